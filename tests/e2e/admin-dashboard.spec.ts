import { randomUUID } from "node:crypto";
import { expect, test, type APIRequestContext } from "@playwright/test";
import { AdminBookingDetailPage, AdminBookingsPage, screenshot } from "./pages/admin-bookings";
import { ADMIN, AdminSignInPage, createStaffUser } from "./pages/admin-session";
import { AdminStudioPage } from "./pages/admin-studio";
import { nextWeekday, queryDb, requestThroughApi, waitForEmail } from "./support/e2e-runtime";

/** A pending request through the public API; another test grabbing the same slot first just moves us on a slot. */
async function pendingRequest(
  request: APIRequestContext,
  opts: { artist: string; service: string; date: string; email: string; name?: string; slotIndex?: number },
) {
  let lastError: unknown;
  for (let attempt = 0; attempt < 4; attempt += 1) {
    try {
      const { booking, slot } = await requestThroughApi(request, { ...opts, slotIndex: (opts.slotIndex ?? 0) + attempt });
      if (booking?.id) return { booking: booking as { id: string; status: string }, slot: slot as { start: string; end: string } };
    } catch (err) {
      lastError = err;
    }
  }
  throw new Error(`could not place a request for ${opts.artist} on ${opts.date}: ${String(lastError)}`);
}

const unique = (what: string) => `${what}-${randomUUID().slice(0, 8)}@example.com`;

test.describe("admin dashboard", () => {
  test("signs in, approves a request made through the public API, and its confirmation is in the outbox and the inbox", async ({ page, request }) => {
    const email = unique("approve");
    const { booking } = await pendingRequest(request, { artist: "mara", service: "flash-tattoo", date: nextWeekday([4], 22), email, name: "Approve Me" });
    expect(booking.status).toBe("pending");

    const signIn = new AdminSignInPage(page);
    await signIn.goto();
    await screenshot(page, "signin");
    await signIn.signIn();
    await page.waitForURL((url) => url.pathname === "/admin");

    const admin = new AdminBookingsPage(page);
    const row = admin.row(booking.id);
    await expect(row).toBeVisible();
    // The row shows the time on Mara's clock and names her zone.
    await expect(row).toContainText("Europe/Berlin");
    await expect(row).toContainText(/CES?T/);
    await screenshot(page, "requests");

    await admin.approve(booking.id);
    // Decided: it leaves the list of requests waiting for a decision.
    await expect(row).toHaveCount(0);
    const [stored] = await queryDb<{ status: string; version: number }>("select status, version from bookings where id = $1", [booking.id]);
    expect(stored!.status).toBe("confirmed");

    await admin.gotoBookings({ q: email });
    await expect(admin.status(booking.id)).toHaveText("Confirmed");
    await screenshot(page, "bookings");

    // The customer's confirmation: a row in the outbox, delivered to the real SMTP peer.
    const mail = await waitForEmail((m) => m.to.includes(email) && m.subject.startsWith("Confirmed:"));
    expect(mail.subject).toContain("Flash tattoo");
    await expect(async () => {
      await page.goto("/admin/outbox");
      const outboxRow = page.getByTestId("outbox").locator("tr", { hasText: email }).filter({ hasText: "Confirmed:" });
      await expect(outboxRow).toHaveAttribute("data-status", "sent", { timeout: 1_000 });
    }).toPass({ timeout: 20_000 });
    await expect(page.getByTestId("job-queues").or(page.getByText("No jobs waiting."))).toBeVisible();
    await screenshot(page, "outbox");

    // The detail page: status history, the audit trail with who/when/where and before → after, its emails.
    const detail = new AdminBookingDetailPage(page);
    await detail.goto(booking.id);
    await expect(detail.history()).toContainText("pending → confirmed");
    const approval = detail.auditTrail().locator("tr", { hasText: "pending → confirmed" });
    await expect(approval).toContainText(ADMIN.email);
    await expect(approval).toContainText("127.0.0.1");
    await approval.getByText(/fields?$/).click();
    await expect(approval.locator(".diff")).toContainText("status: pending → confirmed");
    await expect(detail.emails()).toContainText("Confirmed:");
    await expect(detail.emails().locator("[data-notification-status]").first()).toBeVisible();
    await expect(page.getByTestId("booking-when")).toContainText("Europe/Berlin");
    await screenshot(page, "booking-detail");
  });

  test("rejects a request with a reason, and the customer is told why", async ({ page, request }) => {
    const email = unique("reject");
    const { booking } = await pendingRequest(request, { artist: "mara", service: "flash-tattoo", date: nextWeekday([5], 22), email, name: "Reject Me" });
    await new AdminSignInPage(page).signInAsAdmin(`/admin/bookings?q=${encodeURIComponent(email)}`);
    const admin = new AdminBookingsPage(page);
    const dialog = await admin.reject(booking.id, "Mara is fully booked that week, sorry!");
    await screenshot(page, "reject-dialog");
    await dialog.getByRole("button", { name: "Reject request" }).click();
    await expect(admin.status(booking.id)).toHaveText("Rejected");
    await expect(admin.row(booking.id)).toContainText("Mara is fully booked that week, sorry!");
    const [stored] = await queryDb<{ status: string; decision_reason: string }>("select status, decision_reason from bookings where id = $1", [booking.id]);
    expect(stored).toEqual({ status: "rejected", decision_reason: "Mara is fully booked that week, sorry!" });
    const mail = await waitForEmail((m) => m.to.includes(email) && m.subject.startsWith("Request declined:"));
    expect(mail.text.replace(/=\r?\n/g, "")).toContain("Mara is fully booked that week");
  });

  test("a stale approve in a second tab shows what changed and overwrites nothing", async ({ page, request }) => {
    const email = unique("stale");
    const { booking } = await pendingRequest(request, { artist: "kai", service: "flash-tattoo", date: nextWeekday([2], 23), email, name: "Two Tabs" });
    await new AdminSignInPage(page).signInAsAdmin(`/admin/bookings/${booking.id}`);
    const tabA = new AdminBookingDetailPage(page);
    const tabB = new AdminBookingDetailPage(await page.context().newPage());
    await tabA.goto(booking.id);
    await tabB.goto(booking.id);

    // Tab A rejects it.
    await tabA.actions().getByRole("button", { name: "Reject…" }).click();
    await page
      .getByRole("dialog")
      .getByLabel(/Reason/)
      .fill("Kai is away that week");
    await page.getByRole("dialog").getByRole("button", { name: "Reject request" }).click();
    await expect(page.getByRole("heading", { level: 1 })).toContainText("Rejected");

    // Tab B still shows it pending (version 1) and approves.
    await tabB.actions().getByRole("button", { name: "Approve" }).click();
    const conflict = tabB.conflict();
    await expect(conflict).toBeVisible();
    await expect(conflict).toContainText("Someone else changed this booking since you loaded it.");
    await expect(conflict).toContainText("Nothing was overwritten");
    await expect(conflict).toContainText("Status: pending → rejected");
    await expect(conflict).toContainText(ADMIN.email);
    await expect(conflict).toContainText("Kai is away that week");
    await screenshot(tabB.page, "conflict");

    const [stored] = await queryDb<{ status: string; version: number }>("select status, version from bookings where id = $1", [booking.id]);
    expect(stored!.status).toBe("rejected");
    const approvals = await queryDb("select 1 from booking_events where booking_id = $1 and new_status = 'confirmed'", [booking.id]);
    expect(approvals).toHaveLength(0);

    await conflict.getByRole("button", { name: "Show the current booking" }).click();
    await expect(tabB.page.getByRole("heading", { level: 1 })).toContainText("Rejected");
  });

  test("reschedules a booking from its page to another free slot on the artist's clock", async ({ page, request }) => {
    const email = unique("move");
    const tuesday = nextWeekday([2], 28);
    const { booking, slot } = await pendingRequest(request, { artist: "mara", service: "flash-tattoo", date: tuesday, email, name: "Move Me" });
    await new AdminSignInPage(page).signInAsAdmin(`/admin/bookings/${booking.id}`);
    const detail = new AdminBookingDetailPage(page);
    await detail.actions().getByRole("button", { name: "Reschedule…" }).click();
    const dialog = page.getByRole("dialog");
    // Mara works Tuesday to Saturday: pick the Friday of that week instead.
    const friday = new Date(Date.parse(`${tuesday}T00:00:00Z`) + 3 * 86_400_000).toISOString().slice(0, 10);
    await dialog.getByLabel("Date").fill(friday);
    await dialog.getByRole("button", { name: "Show free slots" }).click();
    await dialog.getByRole("button", { name: "14:00" }).click();
    await screenshot(page, "reschedule-dialog");
    await dialog.getByRole("button", { name: "Move booking" }).click();
    await expect(page.getByTestId("booking-when")).toContainText("14:00–15:00");
    const [stored] = await queryDb<{ starts_at: Date; status: string }>("select starts_at, status from bookings where id = $1", [booking.id]);
    expect(stored!.status).toBe("pending");
    expect(
      new Intl.DateTimeFormat("en-GB", { timeZone: "Europe/Berlin", hour: "2-digit", minute: "2-digit", hourCycle: "h23" }).format(stored!.starts_at),
    ).toBe("14:00");
    expect(stored!.starts_at.toISOString()).not.toBe(slot.start);
    await waitForEmail((m) => m.to.includes(email) && m.subject.startsWith("New time:"));
    await expect(detail.auditTrail()).toContainText("updated");
  });

  test("changing working hours lists the bookings now outside them for review, and moves none", async ({ page, request }) => {
    const tag = randomUUID().slice(0, 6);
    await new AdminSignInPage(page).signInAsAdmin("/admin/studio");
    const studio = new AdminStudioPage(page);
    await screenshot(page, "studio");
    const artistId = await studio.createArtist({ name: `Hours Test ${tag}`, slug: `hours-${tag}`, timezone: "Europe/Berlin" });
    await studio.offerServices(["Flash tattoo"]);
    await studio.setHours([1, 2, 3, 4, 5], "10:00", "18:00");
    await studio.saveHours();
    await expect(studio.reviewList()).toContainText("None");

    const date = nextWeekday([3], 24);
    const morning = await pendingRequest(request, {
      artist: `hours-${tag}`,
      service: "flash-tattoo",
      date,
      email: unique("morning"),
      name: "Morning Person",
      slotIndex: 0,
    });
    const free = (await (await request.get(`/api/availability?artist=hours-${tag}&service=flash-tattoo&from=${date}&to=${date}`)).json()) as {
      slots: { start: string }[];
    };
    const late = await pendingRequest(request, {
      artist: `hours-${tag}`,
      service: "flash-tattoo",
      date,
      email: unique("late"),
      name: "Late Person",
      slotIndex: free.slots.length - 1,
    });
    // The last slot of a 10:00–18:00 day starts at 17:00 Berlin time: well after the new closing time.
    expect(new Intl.DateTimeFormat("en-GB", { timeZone: "Europe/Berlin", hour: "2-digit", hourCycle: "h23" }).format(new Date(late.slot.start))).toBe("17");
    const before = await queryDb("select id, status, starts_at, ends_at, version, updated_at from bookings where id = any($1) order by id", [
      [morning.booking.id, late.booking.id],
    ]);

    await page.reload();
    await studio.setHours([1, 2, 3, 4, 5], "10:00", "13:00");
    await studio.saveHours();
    const review = studio.reviewList();
    await expect(review).toContainText("1 upcoming booking falls outside the hours now in force. Nothing was changed");
    await expect(review.locator(`[data-booking-id="${late.booking.id}"]`)).toContainText("Late Person");
    await expect(review.locator(`[data-booking-id="${late.booking.id}"]`)).toContainText("10:00–13:00");
    await expect(review.locator(`[data-booking-id="${morning.booking.id}"]`)).toHaveCount(0);
    await expect(page.getByText("No booking was changed.")).toBeVisible();
    await screenshot(page, "studio-artist");

    const after = await queryDb("select id, status, starts_at, ends_at, version, updated_at from bookings where id = any($1) order by id", [
      [morning.booking.id, late.booking.id],
    ]);
    expect(after).toEqual(before);
    // The studio page keeps listing it for review.
    await studio.goto();
    await expect(page.getByTestId("outside-hours").locator(`[data-booking-id="${late.booking.id}"]`)).toBeVisible();
    expect(artistId).toMatch(/^[0-9a-f-]{36}$/);
  });

  test("the pending badge and the request list update without a reload", async ({ page, request }) => {
    await new AdminSignInPage(page).signInAsAdmin("/admin");
    const admin = new AdminBookingsPage(page);
    const before = Number(await admin.badge().textContent());
    const { booking } = await pendingRequest(request, {
      artist: "jonas",
      service: "sports-massage",
      date: nextWeekday([4], 25),
      email: unique("badge"),
      name: "Badge Watcher",
    });
    await expect.poll(async () => Number(await admin.badge().textContent()), { timeout: 20_000 }).toBeGreaterThan(before);
    await expect(admin.row(booking.id)).toBeVisible({ timeout: 20_000 });
    await expect(page.getByTestId("feed")).toContainText("New request from Badge Watcher", { timeout: 20_000 });
  });

  test("approves many requests at once and reports each one", async ({ page, request }) => {
    const tag = randomUUID().slice(0, 6);
    const date = nextWeekday([2], 26);
    const ids: string[] = [];
    for (let i = 0; i < 3; i += 1) {
      const { booking } = await pendingRequest(request, {
        artist: "jonas",
        service: "sports-massage",
        date,
        email: `bulk-${i}-${tag}@example.com`,
        name: `Bulk ${tag} ${i}`,
        slotIndex: i * 4,
      });
      ids.push(booking.id);
    }
    await new AdminSignInPage(page).signInAsAdmin(`/admin/bookings?q=${tag}&status=pending`);
    const admin = new AdminBookingsPage(page);
    for (const id of ids) await expect(admin.row(id)).toBeVisible();
    await page.getByLabel("Select all pending requests on this page").check();
    await screenshot(page, "bulk");
    await page.getByRole("button", { name: "Approve selected" }).click();
    await expect(page.getByTestId("bulk-outcome")).toContainText("Approved 3 of 3.");
    const rows = await queryDb<{ status: string }>("select status from bookings where id = any($1)", [ids]);
    expect(rows.map((r) => r.status)).toEqual(["confirmed", "confirmed", "confirmed"]);
  });

  test("the week view shows bookings on each artist's own clock", async ({ page, request }) => {
    const date = nextWeekday([3], 27);
    const { booking, slot } = await pendingRequest(request, { artist: "kai", service: "flash-tattoo", date, email: unique("calendar"), name: "Calendar Kai" });
    const denver = (iso: string) =>
      new Intl.DateTimeFormat("en-GB", { timeZone: "America/Denver", hour: "2-digit", minute: "2-digit", hourCycle: "h23" }).format(new Date(iso));
    await new AdminSignInPage(page).signInAsAdmin(`/admin/calendar?week=${date}&artist=kai`);
    const block = page.locator(`a.cal-item[href="/admin/bookings/${booking.id}"]`);
    await expect(block).toBeVisible();
    await expect(block).toContainText("Calendar Kai");
    // Drawn on Kai's clock (Denver; he starts at 11:00), whatever the browser's or server's zone.
    await expect(block).toContainText(`${denver(slot.start)}–${denver(slot.end)}`);
    expect(Number(denver(slot.start).slice(0, 2))).toBeGreaterThanOrEqual(11);
    await expect(page.locator('[data-artist="kai"]').first()).toHaveAttribute("aria-label", /M[SD]T/);
    await screenshot(page, "calendar");
    await page.goto(`/admin/calendar?week=${date}`);
    await expect(page.locator('[data-artist="mara"]').first()).toBeVisible();
    await expect(page.locator('[data-artist="kai"]').first()).toBeVisible();
    await screenshot(page, "calendar-all");
  });

  test("a dead job is on the outbox page and Retry puts it back to work", async ({ page }) => {
    const recipient = unique("dead-letter");
    const [n] = await queryDb<{ id: string }>(
      "insert into notifications (kind, recipient, subject, text_body, html_body, status, attempts, last_error) values ('booking_confirmed', $1, 'Dead letter e2e', 'Kept for a retry', '<p>Kept</p>', 'failed', 12, '550 mailbox unavailable') returning id",
      [recipient],
    );
    const [job] = await queryDb<{ id: string }>(
      "select id::text as id from graphile_worker.add_job('deliver_notification', json_build_object('notificationId', $1::uuid), run_at => now() + interval '1 day', max_attempts => 12, job_key => $2)",
      [n!.id, `notification:${n!.id}`],
    );
    await queryDb("select graphile_worker.permanently_fail_jobs(array[$1::bigint], '550 mailbox unavailable')", [job!.id]);

    await new AdminSignInPage(page).signInAsAdmin("/admin/outbox");
    const row = page.locator(`tr[data-job-id="${job!.id}"]`);
    await expect(row).toContainText("dead");
    await expect(row).toContainText("12/12");
    await expect(row).toContainText("550 mailbox unavailable");
    await expect(page.getByTestId("job-queues").locator("tr", { hasText: "deliver_notification" })).toBeVisible();
    await screenshot(page, "outbox-dead-job");
    await row.getByRole("button", { name: "Retry" }).click();
    // The resident worker picks it up again and the SMTP peer receives it.
    await waitForEmail((m) => m.to.includes(recipient) && m.subject === "Dead letter e2e");
    await expect
      .poll(async () => (await queryDb<{ status: string }>("select status from notifications where id = $1", [n!.id]))[0]!.status, { timeout: 20_000 })
      .toBe("sent");
  });

  test("signs out, after which the dashboard asks to sign in again", async ({ page }) => {
    // An admin of its own: signing out ends every session of that user on the server (issue 8),
    // and the other spec files run at the same time with the seeded admin.
    const own = await createStaffUser("admin");
    const signIn = new AdminSignInPage(page);
    await signIn.goto("/admin");
    await signIn.signIn(own.email, own.password);
    await expect(page.getByRole("navigation", { name: "Admin" })).toBeVisible();
    await page.getByRole("button", { name: "Sign out" }).click();
    await page.waitForURL(/\/admin\/signin\?signedOut=1/);
    await expect(page.getByText("You are signed out.")).toBeVisible();
    await page.goto("/admin/bookings");
    await expect(page).toHaveURL(/\/admin\/signin\?callbackUrl=%2Fadmin%2Fbookings/);
  });

  test("a wrong password is refused with a clear message", async ({ page }) => {
    const signIn = new AdminSignInPage(page);
    await signIn.goto();
    await signIn.signIn(ADMIN.email, "not-the-password");
    await expect(page.getByRole("alert").filter({ hasText: "do not match" })).toBeVisible();
    await expect(page).toHaveURL(/\/admin\/signin/);
  });
});
