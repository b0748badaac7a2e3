import { randomUUID } from "node:crypto";
import { expect, test, type APIRequestContext } from "@playwright/test";
import { BookingPage } from "./pages/booking-page";
import { ManagePage } from "./pages/manage-page";
import { dateIn, dayOfWeek, mondayInWeeks, newCustomer, PHONE } from "./pages/screens";
import { StudioFooter, telHref, type StudioContactRow } from "./pages/studio-footer";
import { queryDb, requestThroughApi, uniqueClientIp } from "./support/e2e-runtime";

// How a customer reaches the studio, and when they are told they will have to: the contact
// footer on every customer page, the warning before booking a time that is already inside the
// cancellation notice, and the manage page's refusal with the studio's phone and email.

const ZONE = "Europe/Berlin";
const HOUR = 3_600_000;

/**
 * An artist of this test alone, open around the clock every day, with one instantly confirmed
 * 30-minute service and no minimum notice: a time a few hours from now is bookable at whatever
 * hour or weekday the suite runs, and no other test's bookings are in the way.
 */
async function alwaysOpenArtist() {
  const tag = randomUUID().slice(0, 8);
  const slugs = { artist: `notice-${tag}`, service: `quick-chat-${tag}` };
  const [artist] = await queryDb<{ id: string }>("insert into artists (slug, name, timezone) values ($1, $2, $3) returning id", [
    slugs.artist,
    `Nico Notice ${tag}`,
    ZONE,
  ]);
  const [service] = await queryDb<{ id: string }>(
    "insert into services (slug, name, duration_minutes, auto_confirm, min_notice_minutes, booking_window_days, slot_step_minutes) values ($1, $2, 30, true, 0, 60, 30) returning id",
    [slugs.service, `Quick chat ${tag}`],
  );
  await queryDb("insert into artist_services (artist_id, service_id) values ($1, $2)", [artist!.id, service!.id]);
  await queryDb(
    "insert into working_hours (artist_id, effective_from, weekday, start_time, end_time) select $1, '2020-01-01', d, '00:00', '23:59' from generate_series(1, 7) d",
    [artist!.id],
  );
  return slugs;
}

/** The free starts of `slugs` between the two instants, as the public API lists them. */
async function freeStartsBetween(request: APIRequestContext, slugs: { artist: string; service: string }, after: number, before: number) {
  const from = dateIn(new Date(after).toISOString(), ZONE);
  const to = dateIn(new Date(before).toISOString(), ZONE);
  const res = await request.get(`/api/availability?artist=${slugs.artist}&service=${slugs.service}&from=${from}&to=${to}`, {
    headers: { "x-forwarded-for": uniqueClientIp() },
  });
  expect(res.status()).toBe(200);
  const { slots } = (await res.json()) as { slots: { start: string }[] };
  return slots.map((s) => s.start).filter((start) => Date.parse(start) > after && Date.parse(start) < before);
}

async function studioContact() {
  const [row] = await queryDb<StudioContactRow>("select name, email, phone, address, map_url from studio_settings where id = 1");
  // The demo seed gives the studio every detail; without them this spec would check nothing.
  expect(row!.phone).not.toBe("");
  expect(row!.address).not.toBe("");
  expect(row!.map_url).toMatch(/^https:\/\//);
  return row!;
}

async function expectContactFooter(footer: StudioFooter, contact: StudioContactRow) {
  await expect(footer.root).toBeVisible();
  await expect(footer.root).toContainText(contact.name);
  for (const line of contact.address.split("\n")) await expect(footer.root).toContainText(line.trim());
  await expect(footer.phoneLink).toHaveAttribute("href", telHref(contact.phone));
  await expect(footer.phoneLink).toHaveText(contact.phone);
  await expect(footer.emailLink).toHaveAttribute("href", `mailto:${contact.email}`);
  await expect(footer.emailLink).toHaveText(contact.email);
  await expect(footer.mapLink).toHaveAttribute("href", contact.map_url);
}

test.describe("the studio's contact details and its cancellation notice", () => {
  test("a time less than 24 hours away is flagged before the customer books it, a later one is not; slots name their zone", async ({ browser, request }) => {
    const slugs = await alwaysOpenArtist();
    const now = Date.now();
    // Well inside the 24-hour notice, and far enough ahead that the test's own minutes do not matter.
    const [soon] = await freeStartsBetween(request, slugs, now + 2 * HOUR, now + 20 * HOUR);
    expect(soon, "an always-open artist has a free time a few hours from now").toBeDefined();
    const { context, page } = await newCustomer(browser, { viewport: PHONE, timezoneId: ZONE });
    const booking = new BookingPage(page);
    await booking.goto(slugs.artist, slugs.service, dateIn(soon!, ZONE));

    // The slot's accessible name says whose clock it is: "10:00 CET, Tuesday 3 March".
    const slot = booking.slotAt(soon!);
    await expect(slot).toHaveAccessibleName(/^\d\d:\d\d (CET|CEST), [A-Z][a-z]+day \d{1,2} [A-Z][a-z]+$/);
    await slot.click();
    await booking.expectHeld();
    await expect(booking.noticeWarning).toBeVisible();
    await expect(booking.noticeWarning).toContainText("This time is less than 24 hours away, so it can no longer be cancelled online");
    await expect(booking.noticeWarning.getByRole("link", { name: "contact the studio" })).toHaveAttribute("href", "#studio-contact");
    // Screen reader users hear it with the hold, before they fill in the form.
    await expect(booking.announcer).toContainText("cannot be cancelled online");
    // The warning is part of what the consent checkbox describes, so it is read before committing.
    await expect(page.getByLabel(/accept the studio/)).toHaveAttribute("aria-describedby", /notice-warning/);
    await expect(booking.submitButton).toBeEnabled();

    // A time a few weeks ahead carries no warning.
    await page.getByRole("button", { name: "Choose another time" }).click();
    const later = dayOfWeek(mondayInWeeks(3), 3);
    await booking.goto(slugs.artist, slugs.service, later);
    const { slot: laterSlot } = await booking.slotOn(later);
    await laterSlot.click();
    await booking.expectHeld();
    await expect(booking.noticeWarning).toHaveCount(0);
    await context.close();
  });

  test("the contact footer is on the booking, confirmation and manage pages (and not in the admin area)", async ({ browser }) => {
    const contact = await studioContact();
    const slugs = await alwaysOpenArtist();
    const { context, page } = await newCustomer(browser, { viewport: PHONE, timezoneId: ZONE });
    const footer = new StudioFooter(page);

    await page.goto("/");
    await expectContactFooter(footer, contact);

    const booking = new BookingPage(page);
    const date = dayOfWeek(mondayInWeeks(4), 2);
    await booking.goto(slugs.artist, slugs.service, date);
    await expectContactFooter(footer, contact);
    const { slot } = await booking.slotOn(date);
    await slot.click();
    await booking.expectHeld();
    await booking.fillDetails({ name: "Fia Footer", email: `footer-${randomUUID().slice(0, 8)}@example.com` });
    await booking.submitButton.click();

    await expect(page).toHaveURL(/\/bookings\/[0-9a-f-]{36}\/confirmed\?token=/);
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("You're booked in");
    await expectContactFooter(footer, contact);

    await page.getByRole("link", { name: "View, change or cancel" }).click();
    await expect(page.getByRole("heading", { level: 1, name: "Your booking" })).toBeVisible();
    await expectContactFooter(footer, contact);

    await page.goto("/admin/signin");
    await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
    await expect(footer.root).toHaveCount(0);
    await context.close();
  });

  test("a confirmed booking inside the notice cannot be cancelled online, and the refusal gives the studio's phone and email as links", async ({
    browser,
    request,
  }) => {
    const contact = await studioContact();
    const slugs = await alwaysOpenArtist();
    const { booking } = await requestThroughApi(request, {
      ...slugs,
      date: dayOfWeek(mondayInWeeks(5), 4),
      email: `refused-${randomUUID().slice(0, 8)}@example.com`,
      name: "Rafa Refused",
    });
    expect(booking.status).toBe("confirmed");
    // As if the customer opened their link on the day: the appointment is a few hours away.
    await queryDb(
      "update bookings set starts_at = date_trunc('minute', now()) + interval '5 hours', ends_at = date_trunc('minute', now()) + interval '5 hours 30 minutes' where id = $1",
      [booking.id],
    );
    const url = new URL(booking.manageUrl);
    const { context, page } = await newCustomer(browser, { viewport: PHONE, timezoneId: ZONE });
    const manage = new ManagePage(page);
    await manage.goto(`${url.pathname}${url.search}`);
    await manage.waitUntilInteractive();
    await manage.cancel();

    const refusal = manage.actions.getByRole("alert");
    await expect(refusal).toContainText("up to 24 hours before they start");
    await expect(refusal.getByRole("link", { name: contact.phone })).toHaveAttribute("href", telHref(contact.phone));
    await expect(refusal.getByRole("link", { name: contact.email })).toHaveAttribute("href", `mailto:${contact.email}`);
    const [row] = await queryDb<{ status: string }>("select status from bookings where id = $1", [booking.id]);
    expect(row!.status).toBe("confirmed");
    await context.close();
  });
});
