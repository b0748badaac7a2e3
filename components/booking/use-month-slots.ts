"use client";

import { useCallback, useEffect, useRef, useState } from "react";
import { monthAvailabilityRange } from "@/lib/availability/summarize-month";
import type { Slot } from "./use-week-slots";

export type MonthState = { month: string; slots: Slot[]; status: "ready" | "loading" | "error"; error?: string };

/** Months younger than this are shown from memory when the customer moves back to one. */
const FRESH_MS = 30_000;

/**
 * The free slots of one month's grid at a time (plus a day either side, so any display zone is
 * covered), read from the public availability API in one request per month. The first month
 * comes from the server render; nothing is fetched until the customer moves to another month.
 */
export function useMonthSlots(opts: { artist: string; service: string; initialMonth: string; initialSlots: Slot[] }) {
  const { artist, service } = opts;
  const cache = useRef(new Map<string, { slots: Slot[]; at: number }>());
  const latest = useRef(opts.initialMonth);
  const [state, setState] = useState<MonthState>({ month: opts.initialMonth, slots: opts.initialSlots, status: "ready" });
  const { initialMonth, initialSlots } = opts;

  useEffect(() => {
    cache.current.set(initialMonth, { slots: initialSlots, at: Date.now() });
  }, [initialMonth, initialSlots]);

  const fetchMonth = useCallback(
    async (month: string): Promise<Slot[]> => {
      const { from, to } = monthAvailabilityRange(month);
      const params = new URLSearchParams({ artist, service, from, to });
      const res = await fetch(`/api/availability?${params}`, { cache: "no-store", headers: { accept: "application/json" } });
      const body = (await res.json().catch(() => null)) as { slots?: Slot[]; error?: { message?: string } } | null;
      if (!res.ok || !body?.slots) throw new Error(body?.error?.message ?? "The free times could not be loaded");
      cache.current.set(month, { slots: body.slots, at: Date.now() });
      return body.slots;
    },
    [artist, service],
  );

  /** Shows `month`; resolves with its slots, or null when loading failed or another month was asked for meanwhile. */
  const goToMonth = useCallback(
    async (month: string, { force = false } = {}): Promise<Slot[] | null> => {
      latest.current = month;
      const hit = cache.current.get(month);
      if (hit && !force && Date.now() - hit.at < FRESH_MS) {
        setState({ month, slots: hit.slots, status: "ready" });
        return hit.slots;
      }
      setState((s) => ({ month, slots: s.month === month ? s.slots : [], status: "loading" }));
      try {
        const slots = await fetchMonth(month);
        if (latest.current !== month) return null;
        setState({ month, slots, status: "ready" });
        return slots;
      } catch (err) {
        if (latest.current !== month) return null;
        setState({ month, slots: [], status: "error", error: err instanceof Error ? err.message : "The free times could not be loaded" });
        return null;
      }
    },
    [fetchMonth],
  );

  /** Drops every remembered month and reloads the one on screen (after a conflict showed the list was stale). */
  const refresh = useCallback(() => {
    cache.current.clear();
    return goToMonth(latest.current, { force: true });
  }, [goToMonth]);

  return { state, goToMonth, refresh };
}
