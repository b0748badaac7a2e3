import { randomUUID } from "node:crypto";
import { expect, test } from "@playwright/test";
import { queryDb, uniqueClientIp } from "./support/e2e-runtime";
import { BookingPage } from "./pages/booking-page";
import { dayOfWeek, mondayInWeeks, newCustomer } from "./pages/screens";

// What happens when two people want the same time, when a hold runs out, and when a customer
// clicks twice. Each test books in a week (or with an artist) of its own.

async function holdRow(artistSlug: string, start: string) {
  const rows = await queryDb<{ id: string; status: string }>(
    "select b.id, b.status from bookings b join artists a on a.id = b.artist_id where a.slug = $1 and b.starts_at = $2 order by b.created_at",
    [artistSlug, start],
  );
  return rows;
}

test.describe("slot conflicts and holds", () => {
  test("two customers race for the same slot: exactly one gets the form, the other is told it was just taken and books a nearby time", async ({ browser }) => {
    // Flash tattoo has no deposit: this race is about the slot, not the checkout (deposits.spec.ts covers that).
    const week = mondayInWeeks(7);
    const thursday = dayOfWeek(week, 4);
    const a = await newCustomer(browser);
    const b = await newCustomer(browser);
    const pageA = new BookingPage(a.page);
    const pageB = new BookingPage(b.page);
    await Promise.all([pageA.goto("mara", "flash-tattoo", week), pageB.goto("mara", "flash-tattoo", week)]);
    const { start } = await pageA.slotOn(thursday, 2);
    await expect(pageB.slotAt(start)).toBeVisible();

    await Promise.all([pageA.slotAt(start).click(), pageB.slotAt(start).click()]);
    const outcome = async (p: BookingPage) => {
      await expect(p.detailsHeading.or(p.conflict)).toBeVisible();
      return (await p.conflict.isVisible()) ? "taken" : "held";
    };
    const outcomes = await Promise.all([outcome(pageA), outcome(pageB)]);
    expect([...outcomes].sort()).toEqual(["held", "taken"]);
    const winner = outcomes[0] === "held" ? pageA : pageB;
    const loser = winner === pageA ? pageB : pageA;

    // The loser sees it plainly, with the nearest free times, and the stale slot is gone from the list.
    await expect(loser.conflict).toContainText("that time was just taken");
    await expect(loser.page.getByRole("heading", { name: /just taken/ })).toBeFocused();
    await expect(loser.alternatives().first()).toBeVisible();
    expect(await loser.alternatives().count()).toBeLessThanOrEqual(5);
    await expect(loser.slotAt(start)).toHaveCount(0);
    await expect(loser.page.getByTestId("hold-expired")).toHaveCount(0);

    // Both finish: the winner with the raced time, the loser with the first alternative.
    const alternative = (await loser.alternatives().first().getAttribute("data-start"))!;
    await loser.alternatives().first().click();
    await loser.expectHeld();
    const winnerEmail = `race-win-${randomUUID().slice(0, 8)}@example.com`;
    const loserEmail = `race-alt-${randomUUID().slice(0, 8)}@example.com`;
    await winner.fillDetails({ name: "Winnie Winner", email: winnerEmail });
    await loser.fillDetails({ name: "Lou Later", email: loserEmail });
    await Promise.all([winner.submitButton.click(), loser.submitButton.click()]);
    await expect(winner.page).toHaveURL(/\/confirmed\?token=/);
    await expect(loser.page).toHaveURL(/\/confirmed\?token=/);

    const rows = await queryDb<{ customer_email: string; starts_at: Date }>(
      "select customer_email, starts_at from bookings where customer_email = any($1) and status = 'pending'",
      [[winnerEmail, loserEmail]],
    );
    const startOf = (e: string) => rows.find((r) => r.customer_email === e)?.starts_at.toISOString();
    expect(startOf(winnerEmail)).toBe(start);
    expect(startOf(loserEmail)).toBe(alternative);
    await a.context.close();
    await b.context.close();
  });

  test("a hold that runs out is announced, and the same time can be held again and booked", async ({ browser }) => {
    const { context, page } = await newCustomer(browser);
    await page.clock.install();
    const week = mondayInWeeks(8);
    const booking = new BookingPage(page);
    await booking.goto("mara", "flash-tattoo", week);
    const { slot, start } = await booking.slotOn(dayOfWeek(week, 3), 1);
    await slot.click();
    await booking.expectHeld();
    const email = `expiry-${randomUUID().slice(0, 8)}@example.com`;
    await booking.fillDetails({ name: "Ezra Expired", email, notes: "Kept across the re-hold" });

    // Ten minutes pass (the browser's clock jumps; the database agrees the hold is over).
    const [first] = await holdRow("mara", start);
    await queryDb("update bookings set hold_expires_at = now() - interval '1 second' where id = $1", [first!.id]);
    await page.clock.fastForward("10:05");
    await expect(booking.holdExpired).toContainText("ran out");
    await expect(booking.submitButton).toBeDisabled();

    await booking.holdExpired.getByRole("button", { name: /again/ }).click();
    await booking.expectHeld();
    await expect(booking.holdExpired).toHaveCount(0);
    await expect(page.getByLabel(/^Notes for/)).toHaveValue("Kept across the re-hold");
    await booking.submitButton.click();
    await expect(page).toHaveURL(/\/confirmed\?token=/);

    const rows = await holdRow("mara", start);
    expect(rows.map((r) => r.status)).toEqual(["expired", "pending"]);
    const [mine] = await queryDb<{ id: string }>("select id from bookings where customer_email = $1", [email]);
    expect(mine!.id).not.toBe(first!.id);
    await context.close();
  });

  test("when the hold ran out and someone else booked the time, the customer is told plainly and books one of the nearest free times", async ({
    browser,
    request,
  }) => {
    const { context, page } = await newCustomer(browser);
    const week = mondayInWeeks(8);
    const booking = new BookingPage(page);
    await booking.goto("mara", "flash-tattoo", week);
    const { slot, start } = await booking.slotOn(dayOfWeek(week, 5), 0);
    await slot.click();
    await booking.expectHeld();
    const email = `taken-${randomUUID().slice(0, 8)}@example.com`;
    await booking.fillDetails({ name: "Tia Taken", email });

    // The hold lapses and another customer books exactly that time through the public API.
    const [hold] = await holdRow("mara", start);
    await queryDb("update bookings set hold_expires_at = now() - interval '1 second' where id = $1", [hold!.id]);
    const headers = { "x-forwarded-for": uniqueClientIp() };
    const otherHold = await request.post("/api/holds", { headers, data: { artist: "mara", service: "flash-tattoo", start } });
    expect(otherHold.status()).toBe(201);
    const { hold: theirs } = await otherHold.json();
    const other = await request.post("/api/bookings", {
      headers: { ...headers, "idempotency-key": randomUUID() },
      data: { holdId: theirs.id, holdToken: theirs.token, customer: { name: "Quick Other", email: `other-${randomUUID().slice(0, 8)}@example.com` } },
    });
    expect(other.status()).toBe(201);

    await booking.submitButton.click();
    await expect(booking.conflict).toContainText("that time was just taken");
    await expect(booking.conflict).toContainText("Your hold ran out and someone else booked");
    await expect(booking.slotAt(start)).toHaveCount(0);
    const alternative = (await booking.alternatives().first().getAttribute("data-start"))!;
    await booking.alternatives().first().click();
    await booking.expectHeld();
    await expect(page.getByLabel("Email")).toHaveValue(email);
    await expect(page.getByLabel(/accept the studio/)).toBeChecked();
    await booking.submitButton.click();
    await expect(page).toHaveURL(/\/confirmed\?token=/);

    const rows = await queryDb<{ starts_at: Date; status: string }>("select starts_at, status from bookings where customer_email = $1", [email]);
    expect(rows.map((r) => [r.starts_at.toISOString(), r.status])).toEqual([[alternative, "pending"]]);
    await context.close();
  });

  test("double clicks hold one slot and send one request, not two; going back releases the hold", async ({ browser }) => {
    const { context, page } = await newCustomer(browser);
    const week = mondayInWeeks(6);
    const booking = new BookingPage(page);
    await booking.goto("kai", "flash-tattoo", week);
    const { slot, start } = await booking.slotOn(dayOfWeek(week, 3), 3);
    await slot.dblclick();
    await booking.expectHeld();
    expect((await holdRow("kai", start)).map((r) => r.status)).toEqual(["hold"]);

    // Going back to pick another time lets go of the hold at once; holding again makes one new hold.
    await page.getByRole("button", { name: "Choose another time" }).click();
    await expect(page.getByRole("heading", { name: "Choose a time" })).toBeFocused();
    await expect.poll(async () => (await holdRow("kai", start)).map((r) => r.status)).toEqual(["expired"]);
    await booking.slotAt(start).dblclick();
    await booking.expectHeld();
    expect((await holdRow("kai", start)).map((r) => r.status)).toEqual(["expired", "hold"]);

    const email = `double-${randomUUID().slice(0, 8)}@example.com`;
    await booking.fillDetails({ name: "Dee Double", email });
    await booking.submitButton.dblclick();
    await expect(page).toHaveURL(/\/confirmed\?token=/);
    const rows = await queryDb<{ id: string; status: string }>("select id, status from bookings where customer_email = $1", [email]);
    expect(rows).toHaveLength(1);
    expect(rows[0]!.status).toBe("pending");
    const notifications = await queryDb<{ n: number }>("select count(*)::int as n from notifications where booking_id = $1 and kind = 'request_received'", [
      rows[0]!.id,
    ]);
    expect(notifications[0]!.n).toBe(1);
    await context.close();
  });
});
