import { readFileSync } from "node:fs";
import { randomUUID } from "node:crypto";
import { Client } from "pg";
import type { APIRequestContext } from "@playwright/test";

type Runtime = { databaseUrl: string; appUrl: string; mailUrl: string };

export function e2eRuntime(): Runtime {
  // Keyed by port: two Playwright runs in one checkout must not read each other's database.
  return JSON.parse(readFileSync(`.tmp/e2e-runtime-${process.env.E2E_PORT}.json`, "utf8")) as Runtime;
}

/** Reads the e2e server's database directly, for asserting what a page claims. */
export async function queryDb<T extends Record<string, unknown>>(text: string, values: unknown[] = []): Promise<T[]> {
  const client = new Client({ connectionString: e2eRuntime().databaseUrl });
  await client.connect();
  try {
    return (await client.query<T>(text, values)).rows;
  } finally {
    await client.end();
  }
}

export type InboxMessage = { to: string[]; subject: string; text: string; messageId?: string };

/** Waits until the real SMTP peer behind the e2e server has received a matching message. */
export async function waitForEmail(match: (m: InboxMessage) => boolean, timeoutMs = 20_000): Promise<InboxMessage> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const messages = (await (await fetch(e2eRuntime().mailUrl)).json()) as InboxMessage[];
    const found = messages.find(match);
    if (found) return found;
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error("expected email did not arrive");
}

/** A unique client address per test, so rate limits count each simulated customer separately. */
export function uniqueClientIp() {
  const n = Number.parseInt(randomUUID().slice(0, 6), 16);
  return `10.${(n >> 16) & 255}.${(n >> 8) & 255}.${n & 255}`;
}

/** The next date (yyyy-MM-dd) at least `minDaysAhead` away that falls on one of the ISO weekdays. */
export function nextWeekday(isoWeekdays: number[], minDaysAhead = 3) {
  const d = new Date();
  d.setUTCDate(d.getUTCDate() + minDaysAhead);
  while (!isoWeekdays.includes(((d.getUTCDay() + 6) % 7) + 1)) d.setUTCDate(d.getUTCDate() + 1);
  return d.toISOString().slice(0, 10);
}

/** Holds and submits a request through the public API, as a phone app or another tool would. */
export async function requestThroughApi(
  request: APIRequestContext,
  opts: { artist: string; service: string; date: string; email: string; slotIndex?: number; name?: string },
) {
  const ip = uniqueClientIp();
  const headers = { "x-forwarded-for": ip };
  const availability = await (
    await request.get(`/api/availability?artist=${opts.artist}&service=${opts.service}&from=${opts.date}&to=${opts.date}`, { headers })
  ).json();
  const slot = availability.slots[opts.slotIndex ?? 0];
  if (!slot) throw new Error(`no free slot for ${opts.artist}/${opts.service} on ${opts.date}`);
  const holdRes = await request.post("/api/holds", { headers, data: { artist: opts.artist, service: opts.service, start: slot.start } });
  const { hold } = await holdRes.json();
  const bookingRes = await request.post("/api/bookings", {
    headers: { ...headers, "idempotency-key": randomUUID() },
    data: { holdId: hold.id, holdToken: hold.token, customer: { name: opts.name ?? "Test Customer", email: opts.email } },
  });
  const { booking } = await bookingRes.json();
  return { booking, slot };
}
