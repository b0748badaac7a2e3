/**
 * Calendar sync end to end, against a real Radicale (Debian's) on loopback with htpasswd logins:
 * an admin links Mara's calendars through "Test connection" (a wrong password first), a customer
 * books Mara through the public API and the event appears in Radicale with the REQUEST: prefix,
 * the admin approves and the prefix goes away; an artist's own event blocks its slot after
 * "Sync now" and after a Nextcloud webhook; an artist deleting a booking's event opens a conflict
 * that "Keep booking & re-push" resolves; the edit policy saves; unlinking frees the slot again.
 *
 * Mara's bookings here live in week 11 from now, which no other spec uses.
 */
import { randomUUID } from "node:crypto";
import { expect, test, type APIRequestContext, type Page } from "@playwright/test";
import { startRadicale, type RunningCalDavServer } from "../support/caldav-servers";
import { AdminBookingDetailPage } from "./pages/admin-bookings";
import { AdminCalendarsPage } from "./pages/admin-calendars";
import { ADMIN, AdminSignInPage, signInThroughApi } from "./pages/admin-session";
import { clock, dayOfWeek, DESKTOP, expectNoHorizontalScroll, mondayInWeeks, PHONE } from "./pages/screens";
import { queryDb, requestThroughApi, uniqueClientIp } from "./support/e2e-runtime";

const MARA = "Mara Voss";
const KAI = "Kai Moreno";
const ZONE = "Europe/Berlin";
const ACCOUNT = { username: "mara", password: `mara-app-${randomUUID().slice(0, 8)}` };
const WEBHOOK_SECRET = "e2e-nextcloud-webhook-secret";
const WEEK = mondayInWeeks(11);
const REQUEST_DATE = dayOfWeek(WEEK, 3); // a Wednesday: Mara works Tue–Sat
const BUSY_DATE = dayOfWeek(WEEK, 4);
const WEBHOOK_DATE = dayOfWeek(WEEK, 5);
const CUSTOMER = `Calendar Customer ${randomUUID().slice(0, 4)}`;

let radicale: RunningCalDavServer;
const urls = { work: "", private: "" };
const state = { bookingId: "" };

type CalEvent = { uid: string | null; summary: string | null; status: string | null; bookingId: string | null; text: string };

function auth() {
  return `Basic ${Buffer.from(`${radicale.username}:${radicale.password}`).toString("base64")}`;
}

/** The calendar as the artist's own app would read it: one GET of the collection, VEVENTs parsed by hand. */
async function eventsIn(calendarUrl: string): Promise<CalEvent[]> {
  const res = await fetch(calendarUrl, { headers: { authorization: auth() } });
  expect(res.status).toBe(200);
  const text = (await res.text()).replace(/\r?\n[ \t]/g, "");
  const prop = (block: string, name: string) => {
    const m = new RegExp(`^${name}(?:;[^:\\r\\n]*)?:(.*)$`, "m").exec(block);
    return m ? m[1]!.replace(/\r$/, "").replace(/\\,/g, ",").replace(/\\;/g, ";") : null;
  };
  return [...text.matchAll(/BEGIN:VEVENT[\s\S]*?END:VEVENT/g)].map(([block]) => ({
    uid: prop(block, "UID"),
    summary: prop(block, "SUMMARY"),
    status: prop(block, "STATUS"),
    bookingId: prop(block, "X-HOLDFAST-BOOKING-ID"),
    text: block,
  }));
}

async function bookingEvent(bookingId: string) {
  return (await eventsIn(urls.work)).find((e) => e.bookingId === bookingId) ?? null;
}

/** Polls until the booking's event in Radicale satisfies `check`; returns how long it took. */
async function waitForEvent(bookingId: string, check: (e: CalEvent | null) => boolean, timeoutMs = 15_000) {
  const started = Date.now();
  let last: CalEvent | null = null;
  while (Date.now() - started < timeoutMs) {
    last = await bookingEvent(bookingId);
    if (check(last)) return { event: last, ms: Date.now() - started };
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`the event of booking ${bookingId} did not reach the expected state within ${timeoutMs} ms; last seen: ${JSON.stringify(last)}`);
}

/** An artist's own appointment, written straight to Radicale as their calendar app would. */
async function putArtistEvent(calendarUrl: string, start: string, end: string, summary: string) {
  const uid = `artist-${randomUUID()}`;
  const utc = (iso: string) => iso.replace(/[-:]/g, "").replace(/\.\d{3}/, "");
  const ics = [
    "BEGIN:VCALENDAR",
    "VERSION:2.0",
    "PRODID:-//Mara's phone//EN",
    "BEGIN:VEVENT",
    `UID:${uid}`,
    "DTSTAMP:20260101T000000Z",
    `DTSTART:${utc(start)}`,
    `DTEND:${utc(end)}`,
    `SUMMARY:${summary}`,
    "END:VEVENT",
    "END:VCALENDAR",
    "",
  ].join("\r\n");
  const res = await fetch(new URL(`${uid}.ics`, calendarUrl), {
    method: "PUT",
    headers: { authorization: auth(), "content-type": "text/calendar; charset=utf-8" },
    body: ics,
  });
  expect(res.status).toBe(201);
}

async function slotsOn(request: APIRequestContext, date: string) {
  const res = await request.get(`/api/availability?artist=mara&service=flash-tattoo&from=${date}&to=${date}`, {
    headers: { "x-forwarded-for": uniqueClientIp() },
  });
  expect(res.status()).toBe(200);
  return ((await res.json()) as { slots: { start: string; end: string }[] }).slots;
}

const at = (slots: { start: string }[], hhmm: string) => slots.find((s) => clock(s.start, ZONE) === hhmm);

async function shoot(page: Page, name: string) {
  await page.screenshot({ path: `test-results/screenshots/${name}.png`, fullPage: true });
}

test.describe("calendar sync in the admin dashboard (Radicale)", () => {
  test.describe.configure({ mode: "serial" });

  test.beforeAll(async () => {
    radicale = await startRadicale({ users: [ACCOUNT] });
    urls.work = await radicale.createCalendar("mara-work");
    urls.private = await radicale.createCalendar("mara-private");
  });

  test.afterAll(async ({ playwright }) => {
    // Whatever a failed test left linked goes, so other specs' Mara bookings stop being pushed to a stopped server.
    const ctx = await playwright.request.newContext({ baseURL: `http://127.0.0.1:${process.env.E2E_PORT}` });
    try {
      if ((await signInThroughApi(ctx, ADMIN.email, ADMIN.password)).ok() && radicale) {
        const { calendars } = (await (await ctx.get("/api/admin/calendars")).json()) as { calendars: { id: string; calendarUrl: string }[] };
        for (const c of calendars.filter((c) => c.calendarUrl.startsWith(radicale.baseUrl))) await ctx.delete(`/api/admin/calendars/${c.id}`);
      }
    } finally {
      await ctx.dispose();
      await radicale?.stop();
    }
  });

  test("links Mara's calendars with Test connection: a wrong password is explained, then one write and one busy-only calendar", async ({ page }) => {
    await new AdminSignInPage(page).signInAsAdmin("/admin/calendars");
    const cal = new AdminCalendarsPage(page);
    await expect(cal.artist(MARA)).toBeVisible();
    await expect(page.getByRole("navigation", { name: "Admin" }).getByRole("link", { name: /Calendar sync/ })).toHaveAttribute("aria-current", "page");

    await cal.openLinkForm(MARA);
    await expect(cal.linkForm(MARA).getByLabel("App password")).toHaveAttribute("type", "password");
    await cal.fillAccount(MARA, { serverUrl: radicale.baseUrl, username: ACCOUNT.username, password: "not-the-app-password" });
    await cal.testConnection(MARA);
    await expect(cal.connectionError(MARA)).toHaveAttribute("data-error-code", "bad_credentials");
    await expect(cal.connectionError(MARA)).toContainText("Wrong username or app password");
    await expect(cal.connectionError(MARA)).toContainText("app password");
    await expect(cal.choices(MARA)).toHaveCount(0);
    await shoot(page, "admin-calendars-link-error");

    // Not a CalDAV server at all (Holdfast's own address): said so, differently.
    await cal.fillAccount(MARA, { serverUrl: `http://127.0.0.1:${process.env.E2E_PORT}/`, username: ACCOUNT.username, password: ACCOUNT.password });
    await cal.testConnection(MARA);
    await expect(cal.connectionError(MARA)).toHaveAttribute("data-error-code", "not_caldav");
    await expect(cal.connectionError(MARA)).toContainText("not a CalDAV server");

    await cal.fillAccount(MARA, { serverUrl: radicale.baseUrl, ...ACCOUNT });
    await cal.testConnection(MARA);
    await expect(cal.connectionError(MARA)).toHaveCount(0);
    const choices = cal.choices(MARA);
    await expect(choices).toContainText("2 found");
    await expect(choices.locator("li[data-calendar-url]")).toHaveCount(2);
    await cal.chooseWrite(MARA, "mara-work");
    await cal.chooseBusy(MARA, "mara-private");
    // The write calendar cannot also be busy-only.
    await expect(choices.getByLabel("Only block time from mara-work")).toBeDisabled();
    await shoot(page, "admin-calendars-link-choose");

    await cal.link(MARA);
    await expect(cal.artist(MARA).getByRole("status").filter({ hasText: "Linked 2 calendars for Mara Voss" })).toBeVisible();
    // The app password left the page for good: the field is empty and the choices are gone.
    await expect(cal.linkForm(MARA).getByLabel("App password")).toHaveValue("");
    await expect(cal.choices(MARA)).toHaveCount(0);

    const work = cal.calendar(MARA, "mara-work");
    const priv = cal.calendar(MARA, "mara-private");
    await expect(work).toHaveAttribute("data-role", "write");
    await expect(work).toContainText("Bookings go here");
    await expect(priv).toHaveAttribute("data-role", "busy");
    await expect(priv).toContainText("Blocks time only");

    // Both are pulled at once by the resident worker.
    await cal.reloadUntil(async () => {
      await expect(cal.calendar(MARA, "mara-work")).toHaveAttribute("data-health", "ok", { timeout: 500 });
      await expect(cal.calendar(MARA, "mara-private")).toHaveAttribute("data-health", "ok", { timeout: 500 });
    }, 20_000);
    await expect(work.getByTestId("consecutive-failures")).toHaveText("0");
    await expect(work.getByTestId("last-success")).not.toHaveText("never");

    // Stored encrypted, never returned, never on the page.
    const rows = await queryDb<{ password_encrypted: string; role: string }>(
      "select c.password_encrypted, c.role from calendars c join artists a on a.id = c.artist_id where a.slug = 'mara' and c.calendar_url like $1",
      [`${radicale.baseUrl}%`],
    );
    expect(rows.map((r) => r.role).sort()).toEqual(["busy", "write"]);
    for (const r of rows) expect(r.password_encrypted).not.toContain(ACCOUNT.password);
    const listed = await (await page.request.get("/api/admin/calendars")).text();
    expect(listed).toContain("mara-work");
    expect(listed).not.toContain(ACCOUNT.password);
    expect(listed).not.toMatch(/password/i);
    expect(await page.content()).not.toContain(ACCOUNT.password);
  });

  test("a customer's request appears in Radicale as REQUEST:, and the admin's approval removes the prefix", async ({ page, request }) => {
    const email = `calendar-${randomUUID().slice(0, 8)}@example.com`;
    let booking: { id: string; status: string } | undefined;
    for (let i = 0; i < 4 && !booking?.id; i += 1) {
      booking = (
        await requestThroughApi(request, { artist: "mara", service: "flash-tattoo", date: REQUEST_DATE, email, name: CUSTOMER, slotIndex: i }).catch(() => ({
          booking: undefined,
        }))
      ).booking;
    }
    expect(booking?.status).toBe("pending");
    state.bookingId = booking!.id;

    const pushed = await waitForEvent(state.bookingId, (e) => e !== null);
    expect(pushed.event!.summary).toBe(`REQUEST: Flash tattoo — ${CUSTOMER}`);
    expect(pushed.event!.status).toBe("TENTATIVE");
    expect(pushed.event!.text).toContain(`/admin/bookings/${state.bookingId}`);
    console.log(`[calendars] request → REQUEST: event in Radicale in ${pushed.ms} ms`);

    await new AdminSignInPage(page).signInAsAdmin(`/admin/bookings/${state.bookingId}`);
    const detail = new AdminBookingDetailPage(page);
    await detail.goto(state.bookingId);
    await detail.actions().getByRole("button", { name: "Approve" }).click();
    await expect(detail.actions().getByRole("status")).toContainText("Approved");

    const confirmed = await waitForEvent(state.bookingId, (e) => e?.summary === `Flash tattoo — ${CUSTOMER}`);
    expect(confirmed.event!.status).toBe("CONFIRMED");
    expect(confirmed.event!.summary).not.toContain("REQUEST:");
    console.log(`[calendars] approval → prefix gone in Radicale in ${confirmed.ms} ms`);

    // The booking's page says where its event is.
    await expect(async () => {
      await page.reload();
      await expect(page.getByRole("region", { name: "Calendar sync" })).toContainText("In the calendar as", { timeout: 1_000 });
    }).toPass({ timeout: 10_000 });
    await expect(page.getByRole("region", { name: "Calendar sync" })).toContainText("mara-work");
  });

  test("an artist's own event in the busy-only calendar blocks its slot after Sync now; the sync log shows the run", async ({ page, request }) => {
    const before = await slotsOn(request, BUSY_DATE);
    const slot = at(before, "14:00");
    expect(slot, "Mara is free at 14:00 before the artist's event").toBeDefined();
    expect(at(before, "10:00")).toBeDefined();
    await putArtistEvent(urls.private, slot!.start, new Date(Date.parse(slot!.start) + 3_600_000).toISOString(), "Dentist");

    await new AdminSignInPage(page).signInAsAdmin("/admin/calendars");
    const cal = new AdminCalendarsPage(page);
    await cal.syncNow(MARA, "mara-private");
    await expect(async () => {
      const slots = await slotsOn(request, BUSY_DATE);
      expect(at(slots, "14:00")).toBeUndefined();
      expect(at(slots, "10:00")).toBeDefined();
    }).toPass({ timeout: 15_000, intervals: [250, 500] });

    // A successful run that picked up the one changed object (a tick may have pulled it first, either way).
    await cal.reloadUntil(async () => {
      const rows = await cal.syncLog(MARA, "mara-private");
      const changedOne = rows.filter({ has: page.locator("td:nth-child(4)", { hasText: /^1$/ }) });
      await expect(changedOne.first()).toHaveAttribute("data-run-status", "success", { timeout: 500 });
    });
    await cal.syncLog(MARA, "mara-work");
    await expectNoHorizontalScroll(page);
    await shoot(page, "admin-calendars");

    await page.setViewportSize(PHONE);
    await page.reload();
    await cal.syncLog(MARA, "mara-private");
    await expectNoHorizontalScroll(page);
    await shoot(page, "admin-calendars-phone");
  });

  test("a Nextcloud webhook call (shared secret) pulls Mara's calendars at once", async ({ request }) => {
    const slot = at(await slotsOn(request, WEBHOOK_DATE), "11:00");
    expect(slot).toBeDefined();
    await putArtistEvent(urls.private, slot!.start, new Date(Date.parse(slot!.start) + 1_800_000).toISOString(), "School run");

    const refused = await request.post(`/api/webhooks/nextcloud?server=${encodeURIComponent(radicale.baseUrl)}`, {
      headers: { "x-holdfast-webhook-secret": "wrong-secret" },
    });
    expect(refused.status()).toBe(401);

    const res = await request.post(`/api/webhooks/nextcloud?server=${encodeURIComponent(radicale.baseUrl)}&user=mara`, {
      headers: { "x-holdfast-webhook-secret": WEBHOOK_SECRET },
      data: {
        user: { uid: "mara" },
        time: Math.floor(Date.now() / 1000),
        event: { class: "OCP\\Calendar\\Events\\CalendarObjectCreatedEvent", calendarData: { uri: "mara-private" } },
      },
    });
    expect(res.status()).toBe(202);
    expect(await res.json()).toEqual({ calendars: 1 });
    await expect(async () => expect(at(await slotsOn(request, WEBHOOK_DATE), "11:00")).toBeUndefined()).toPass({ timeout: 10_000, intervals: [250, 500] });
  });

  test("the artist deletes a booking's event: a conflict opens, and Keep booking & re-push writes it back", async ({ page }) => {
    expect(state.bookingId, "the approval test ran first").not.toBe("");
    const [row] = await queryDb<{ caldav_href: string }>("select caldav_href from bookings where id = $1", [state.bookingId]);
    expect(row!.caldav_href).toBeTruthy();
    const deleted = await fetch(row!.caldav_href, { method: "DELETE", headers: { authorization: auth() } });
    expect(deleted.status).toBeLessThan(300);
    expect(await bookingEvent(state.bookingId)).toBeNull();

    await new AdminSignInPage(page).signInAsAdmin("/admin/calendars");
    const cal = new AdminCalendarsPage(page);
    await cal.syncNow(MARA, "mara-work");
    await cal.reloadUntil(async () => {
      await expect(cal.conflict("event_deleted")).toHaveCount(1, { timeout: 500 });
    });
    const conflict = cal.conflict("event_deleted");
    await expect(conflict).toContainText("Mara Voss deleted this booking's event");
    await expect(conflict).toContainText(CUSTOMER);
    await expect(cal.conflictsBadge()).toHaveText("1");
    await expect(cal.conflictsBadge()).toBeVisible();
    // The booking's own page points to it too.
    const detail = new AdminBookingDetailPage(page);
    await detail.goto(state.bookingId);
    await expect(page.getByTestId("booking-calendar-conflicts")).toContainText("event deleted");

    await cal.goto();
    await shoot(page, "admin-calendars-conflict");
    await conflict.getByRole("button", { name: "Keep booking & re-push" }).click();
    // Resolved: it leaves the list of open conflicts.
    await expect(cal.conflicts()).toHaveCount(0);

    const back = await waitForEvent(state.bookingId, (e) => e?.summary === `Flash tattoo — ${CUSTOMER}`);
    expect(back.event!.status).toBe("CONFIRMED");
    const [after] = await queryDb<{ status: string }>("select status from bookings where id = $1", [state.bookingId]);
    expect(after!.status).toBe("confirmed");
    await cal.goto();
    await expect(cal.conflicts()).toHaveCount(0);
    await expect(page.getByTestId("no-conflicts")).toBeVisible();
    await expect(cal.conflictsBadge()).toBeHidden();
    await expect(page.locator("[data-resolved-conflict-id]").first()).toContainText("kept the booking");
  });

  test("a calendar whose server goes away shows as failing, with its last error in the card and the log", async ({ page }) => {
    const second = await startRadicale({ users: [{ username: "kai", password: "kai-app-password" }] });
    let stopped = false;
    try {
      await second.createCalendar("kai-holidays");
      await new AdminSignInPage(page).signInAsAdmin("/admin/calendars");
      await page.setViewportSize(PHONE);
      const cal = new AdminCalendarsPage(page);
      await cal.openLinkForm(KAI);
      await cal.fillAccount(KAI, { serverUrl: second.baseUrl, username: "kai", password: "kai-app-password" });
      await cal.testConnection(KAI);
      await cal.chooseBusy(KAI, "kai-holidays");
      await expectNoHorizontalScroll(page);
      await shoot(page, "admin-calendars-link-phone");
      await cal.link(KAI);
      const card = cal.calendar(KAI, "kai-holidays");
      await cal.reloadUntil(async () => {
        await expect(cal.calendar(KAI, "kai-holidays")).toHaveAttribute("data-health", "ok", { timeout: 500 });
      });

      await second.stop();
      stopped = true;
      await cal.syncNow(KAI, "kai-holidays");
      await cal.reloadUntil(async () => {
        await expect(cal.calendar(KAI, "kai-holidays")).toHaveAttribute("data-health", "failing", { timeout: 500 });
      });
      await expect(card.getByTestId("calendar-health")).toHaveText(/Failing \(\d+×\)/);
      await expect(card.getByTestId("consecutive-failures")).not.toHaveText("0");
      await expect(card.getByTestId("last-error")).toContainText("unreachable");
      await expect(card.getByTestId("last-success")).not.toHaveText("never");
      await expect(page.getByRole("alert").filter({ hasText: "failing to sync" })).toContainText("kai-holidays (Kai Moreno)");
      const rows = await cal.syncLog(KAI, "kai-holidays");
      await expect(rows.first()).toHaveAttribute("data-run-status", "failed");
      await expect(rows.last()).toHaveAttribute("data-run-status", "success");
      await expectNoHorizontalScroll(page);
      await page.setViewportSize(DESKTOP);
      await shoot(page, "admin-calendars-failing");

      await cal.unlink(KAI, "kai-holidays");
    } finally {
      if (!stopped) await second.stop();
    }
  });

  test("the studio's calendar edit policy saves, and unlinking a calendar frees the slots it blocked", async ({ page, request }) => {
    await new AdminSignInPage(page).signInAsAdmin("/admin/calendars");
    const cal = new AdminCalendarsPage(page);
    await cal.savePolicy("auto");
    expect((await queryDb<{ p: string }>("select calendar_edit_policy as p from studio_settings where id = 1"))[0]!.p).toBe("auto");
    await cal.savePolicy("review");
    expect((await queryDb<{ p: string }>("select calendar_edit_policy as p from studio_settings where id = 1"))[0]!.p).toBe("review");

    await cal.unlink(MARA, "mara-private");
    expect(at(await slotsOn(request, BUSY_DATE), "14:00"), "the busy-only calendar's event no longer blocks").toBeDefined();
    await cal.unlink(MARA, "mara-work");
    await expect(cal.artist(MARA)).toContainText("No calendar linked");
    // Nothing was deleted in the calendar itself.
    expect(await bookingEvent(state.bookingId)).not.toBeNull();
  });
});
