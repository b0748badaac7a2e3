/**
 * POST /api/webhooks/nextcloud: Nextcloud 30's webhook_listeners as a trigger for an immediate
 * pull. Called through the real route handler against the test database: refused while
 * NEXTCLOUD_WEBHOOK_SECRET is unset, 401 without the right secret, and with it only the calendars
 * the call is about (server and user from the webhook URL, user and calendar from Nextcloud's
 * body) are marked due, with one pull job queued.
 */
import path from "node:path";
import { and, eq, inArray, notInArray, sql } from "drizzle-orm";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { Database } from "@/db/client";
import { calendars } from "@/db/schema";
import { closeDb, createTestArtist, useTestDatabase } from "../support/test-db";

type Handler = (req: Request, ctx: { params: Promise<Record<string, never>> }) => Promise<Response>;

const SECRET = "nextcloud-webhook-test-secret-0123456789";
let db: Database;
let POST: Handler;
const cal = { work: "", privateCal: "", other: "", paused: "" };
const FAR = new Date(Date.now() + 7 * 86_400_000);

async function call(opts: { query?: string; headers?: Record<string, string>; body?: string } = {}) {
  const req = new Request(`http://holdfast.test/api/webhooks/nextcloud${opts.query ?? ""}`, {
    method: "POST",
    headers: { "content-type": "application/json", "user-agent": "Nextcloud Server Crawler", ...opts.headers },
    body: opts.body,
  });
  const res = await POST(req, { params: Promise.resolve({}) });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

/** Which of this file's calendars are due now. */
async function due() {
  const rows = await db
    .select({ id: calendars.id, next: calendars.nextSyncAt })
    .from(calendars)
    .where(inArray(calendars.id, Object.values(cal)));
  const now = Date.now();
  return Object.entries(cal)
    .filter(([, id]) => rows.find((r) => r.id === id)!.next.getTime() <= now)
    .map(([name]) => name)
    .sort();
}

async function pullJobs() {
  const result = await db.execute<{ n: number }>(sql`select count(*)::int as n from graphile_worker._private_jobs where key = 'caldav-pull-due'`);
  return result.rows[0]!.n;
}

const nextcloudBody = (uid: string, calendarUri: string) =>
  JSON.stringify({
    user: { uid, displayName: uid },
    time: 1_760_000_000,
    event: {
      class: "OCP\\Calendar\\Events\\CalendarObjectUpdatedEvent",
      calendarId: 7,
      calendarData: { id: 7, uri: calendarUri, principaluri: `principals/users/${uid}`, "{DAV:}displayname": calendarUri },
      objectData: { id: 42, uri: "event.ics", calendardata: "BEGIN:VCALENDAR…" },
    },
  });

beforeAll(async () => {
  db = useTestDatabase();
  ({ POST } = (await import(path.resolve(import.meta.dirname, "../../app/api/webhooks/nextcloud/route.ts"))) as { POST: Handler });
  const { artist } = await createTestArtist(db);
  const { artist: other } = await createTestArtist(db);
  const base = { passwordEncrypted: "not-used-here", nextSyncAt: FAR, role: "busy" as const };
  const rows = await db
    .insert(calendars)
    .values([
      {
        ...base,
        artistId: artist.id,
        serverUrl: "https://cloud-a.test",
        username: "mara",
        calendarUrl: "https://cloud-a.test/remote.php/dav/calendars/mara/work/",
        role: "write",
      },
      {
        ...base,
        artistId: artist.id,
        serverUrl: "https://cloud-a.test/remote.php/dav/",
        username: "mara",
        calendarUrl: "https://cloud-a.test/remote.php/dav/calendars/mara/private/",
      },
      {
        ...base,
        artistId: other.id,
        serverUrl: "https://cloud-b.test",
        username: "jonas",
        calendarUrl: "https://cloud-b.test/remote.php/dav/calendars/jonas/private/",
      },
      {
        ...base,
        artistId: artist.id,
        serverUrl: "https://cloud-a.test",
        username: "mara",
        calendarUrl: "https://cloud-a.test/remote.php/dav/calendars/mara/old/",
        active: false,
      },
    ])
    .returning({ id: calendars.id });
  [cal.work, cal.privateCal, cal.other, cal.paused] = rows.map((r) => r.id) as [string, string, string, string];
});

beforeEach(async () => {
  process.env.NEXTCLOUD_WEBHOOK_SECRET = SECRET;
  await db
    .update(calendars)
    .set({ nextSyncAt: FAR })
    .where(inArray(calendars.id, Object.values(cal)));
  await db.execute(sql`select graphile_worker.remove_job('caldav-pull-due')`);
});

afterEach(() => {
  delete process.env.NEXTCLOUD_WEBHOOK_SECRET;
});

afterAll(async () => {
  await db.delete(calendars).where(inArray(calendars.id, Object.values(cal)));
  await db.execute(sql`select graphile_worker.remove_job('caldav-pull-due')`);
  await closeDb();
});

describe("POST /api/webhooks/nextcloud", () => {
  it("is off while NEXTCLOUD_WEBHOOK_SECRET is unset, whatever the caller sends", async () => {
    delete process.env.NEXTCLOUD_WEBHOOK_SECRET;
    const res = await call({ headers: { "x-holdfast-webhook-secret": SECRET }, body: nextcloudBody("mara", "work") });
    expect(res.status).toBe(503);
    expect(res.body).toEqual({ error: expect.objectContaining({ code: "not_configured" }) });
    expect(await due()).toEqual([]);
    expect(await pullJobs()).toBe(0);
  });

  it("refuses a missing, wrong or near-miss secret with 401 and changes nothing", async () => {
    const attempts: Record<string, string>[] = [
      {},
      { "x-holdfast-webhook-secret": "wrong" },
      { "x-holdfast-webhook-secret": `${SECRET}x` },
      { authorization: `Basic ${SECRET}` },
      { authorization: `Bearer ${SECRET.slice(0, -1)}` },
    ];
    for (const headers of attempts) {
      const res = await call({ headers, body: nextcloudBody("mara", "work") });
      expect(res.status, JSON.stringify(headers)).toBe(401);
      expect(Object.keys(res.body)).toEqual(["error"]);
    }
    expect(await due()).toEqual([]);
    expect(await pullJobs()).toBe(0);
  });

  it("with the secret header and ?server=, pulls that server's active calendars at once (no body needed)", async () => {
    const res = await call({ query: "?server=https://cloud-a.test", headers: { "x-holdfast-webhook-secret": SECRET } });
    expect(res.status).toBe(202);
    expect(res.body).toEqual({ calendars: 2 });
    expect(await due()).toEqual(["privateCal", "work"]);
    expect(await pullJobs()).toBe(1);
  });

  it("reads the user and the calendar from Nextcloud's own body (Bearer secret)", async () => {
    const res = await call({ headers: { authorization: `Bearer ${SECRET}` }, body: nextcloudBody("mara", "private") });
    expect(res.status).toBe(202);
    expect(res.body).toEqual({ calendars: 1 });
    expect(await due()).toEqual(["privateCal"]);
  });

  it("a user's event pulls all of that user's calendars; a calendar Holdfast does not follow pulls nothing", async () => {
    const body = JSON.stringify({ user: { uid: "jonas" }, event: { class: "OCP\\Calendar\\Events\\CalendarObjectCreatedEvent" } });
    expect((await call({ headers: { "x-holdfast-webhook-secret": SECRET }, body })).body).toEqual({ calendars: 1 });
    expect(await due()).toEqual(["other"]);

    await db
      .update(calendars)
      .set({ nextSyncAt: FAR })
      .where(inArray(calendars.id, Object.values(cal)));
    expect((await call({ headers: { "x-holdfast-webhook-secret": SECRET }, body: nextcloudBody("mara", "birthdays") })).body).toEqual({ calendars: 0 });
    expect((await call({ query: "?server=https://nobody.test", headers: { "x-holdfast-webhook-secret": SECRET } })).body).toEqual({ calendars: 0 });
    expect(await due()).toEqual([]);
  });

  it("the query's user wins over the body; the server narrows too", async () => {
    const res = await call({
      query: "?server=https://cloud-a.test&user=mara",
      headers: { "x-holdfast-webhook-secret": SECRET },
      body: nextcloudBody("jonas", "work"),
    });
    expect(res.body).toEqual({ calendars: 1 });
    expect(await due()).toEqual(["work"]);
  });

  it("treats an oversized or non-JSON body as no body (it is only a trigger), and rejects a bad ?server=", async () => {
    const huge = JSON.stringify({ user: { uid: "jonas" }, pad: "x".repeat(300 * 1024) });
    expect((await call({ query: "?server=https://cloud-b.test", headers: { "x-holdfast-webhook-secret": SECRET }, body: huge })).body).toEqual({
      calendars: 1,
    });
    expect(
      (await call({ query: "?server=https://cloud-b.test", headers: { "x-holdfast-webhook-secret": SECRET, "content-type": "text/plain" }, body: "ping" }))
        .body,
    ).toEqual({ calendars: 1 });
    expect(await due()).toEqual(["other"]);
    const bad = await call({ query: "?server=javascript:alert(1)", headers: { "x-holdfast-webhook-secret": SECRET } });
    expect(bad.status).toBe(400);
  });

  it("without any hint, marks every active calendar due (and never a paused one)", async () => {
    const others = await db
      .select({ id: calendars.id, next: calendars.nextSyncAt })
      .from(calendars)
      .where(and(eq(calendars.active, true), notInArray(calendars.id, Object.values(cal))));
    try {
      const res = await call({ headers: { "x-holdfast-webhook-secret": SECRET } });
      expect(res.status).toBe(202);
      expect(res.body.calendars).toBe(3 + others.length);
      expect(await due()).toEqual(["other", "privateCal", "work"]);
    } finally {
      // Other files' calendars go back to their own schedule.
      for (const o of others) await db.update(calendars).set({ nextSyncAt: o.next }).where(eq(calendars.id, o.id));
    }
  });
});
