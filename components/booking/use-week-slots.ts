"use client";

import { useCallback, useEffect, useRef, useState } from "react";
import { addDays, availabilityRange } from "@/lib/time/calendar-dates";

export type Slot = { start: string; end: string };
export type WeekState = { week: string; slots: Slot[]; status: "ready" | "loading" | "error"; error?: string };

/** Slots younger than this are shown from memory when the customer moves back to a week. */
const FRESH_MS = 30_000;

/**
 * The free slots of one week at a time, read from the public availability API. Weeks already seen
 * are kept for a short while (moving back and forth is instant), the next week is fetched ahead,
 * and `refresh` forgets everything, for after a conflict showed that the list was stale.
 */
export function useWeekSlots(opts: {
  artist: string;
  service: string;
  initialWeek: string;
  initialSlots: Slot[];
  maxWeek: string;
  /** Fetch the following week ahead right away (false while the week is not on screen). */
  prefetchNext?: boolean;
}) {
  const { artist, service, initialWeek, initialSlots, maxWeek } = opts;
  const prefetchNext = opts.prefetchNext ?? true;
  const cache = useRef(new Map<string, { slots: Slot[]; at: number }>());
  const latest = useRef(initialWeek);
  const [state, setState] = useState<WeekState>({ week: initialWeek, slots: initialSlots, status: "ready" });

  const fetchWeek = useCallback(
    async (monday: string): Promise<Slot[]> => {
      const { from, to } = availabilityRange(monday);
      const params = new URLSearchParams({ artist, service, from, to });
      const res = await fetch(`/api/availability?${params}`, { cache: "no-store", headers: { accept: "application/json" } });
      const body = (await res.json().catch(() => null)) as { slots?: Slot[]; error?: { message?: string } } | null;
      if (!res.ok || !body?.slots) throw new Error(body?.error?.message ?? "The free times could not be loaded");
      cache.current.set(monday, { slots: body.slots, at: Date.now() });
      return body.slots;
    },
    [artist, service],
  );

  const prefetch = useCallback(
    (monday: string) => {
      if (monday > maxWeek) return;
      const hit = cache.current.get(monday);
      if (hit && Date.now() - hit.at < FRESH_MS) return;
      fetchWeek(monday).catch(() => undefined);
    },
    [fetchWeek, maxWeek],
  );

  useEffect(() => {
    cache.current.set(initialWeek, { slots: initialSlots, at: Date.now() });
    if (prefetchNext) prefetch(addDays(initialWeek, 7));
  }, [initialWeek, initialSlots, prefetch, prefetchNext]);

  /** Shows `monday`'s week; resolves with its slots, or null when loading failed or another week was asked for meanwhile. */
  const goToWeek = useCallback(
    async (monday: string, { force = false } = {}): Promise<Slot[] | null> => {
      latest.current = monday;
      const hit = cache.current.get(monday);
      if (hit && !force && Date.now() - hit.at < FRESH_MS) {
        setState({ week: monday, slots: hit.slots, status: "ready" });
        prefetch(addDays(monday, 7));
        return hit.slots;
      }
      setState((s) => ({ week: monday, slots: s.week === monday ? s.slots : [], status: "loading" }));
      try {
        const slots = await fetchWeek(monday);
        if (latest.current !== monday) return null;
        setState({ week: monday, slots, status: "ready" });
        prefetch(addDays(monday, 7));
        return slots;
      } catch (err) {
        if (latest.current !== monday) return null;
        setState({ week: monday, slots: [], status: "error", error: err instanceof Error ? err.message : "The free times could not be loaded" });
        return null;
      }
    },
    [fetchWeek, prefetch],
  );

  /** Shows `monday`'s week with slots the caller already has (the month view's), without asking the server. */
  const show = useCallback(
    (monday: string, slots: Slot[]) => {
      latest.current = monday;
      cache.current.set(monday, { slots, at: Date.now() });
      setState({ week: monday, slots, status: "ready" });
      prefetch(addDays(monday, 7));
    },
    [prefetch],
  );

  /** Drops every remembered week and reloads the one on screen. */
  const refresh = useCallback(() => {
    cache.current.clear();
    return goToWeek(latest.current, { force: true });
  }, [goToWeek]);

  return { state, goToWeek, refresh, show };
}
