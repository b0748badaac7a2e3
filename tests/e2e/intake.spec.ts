import { randomUUID } from "node:crypto";
import { mkdirSync } from "node:fs";
import { expect, test, type Browser, type Locator, type Page } from "@playwright/test";
import sharp from "sharp";
import { queryDb } from "./support/e2e-runtime";
import { AdminSignInPage } from "./pages/admin-session";
import { AdminStudioPage } from "./pages/admin-studio";
import { AdminBookingDetailPage } from "./pages/admin-bookings";
import { BookingPage } from "./pages/booking-page";
import { DESKTOP, PHONE, mondayInWeeks, newCustomer, screenshot } from "./pages/screens";

// Tattoo requests an artist can quote from, and the artist's own photos (issue 15). If this fails, a
// customer cannot answer the fine-line tattoo's questions or attach a reference image, a file that is
// not an image is not refused on the form, the admin does not see the answers and the image on the
// booking detail, or a portrait and portfolio image uploaded in Studio setup do not reach the public
// artist page with their description.

/**
 * Saves a screenshot of an admin screen after checking that `region` (what this test is about) fits
 * the viewport. Not the whole page: at 375 px the working-hours table and the booking detail's
 * reschedule form still scroll sideways (not part of this feature; reported to the lead).
 */
async function adminScreenshot(page: Page, region: Locator, name: string) {
  const width = page.viewportSize()!.width;
  const box = (await region.boundingBox())!;
  expect(box.x + box.width, `${name} is wider than the screen`).toBeLessThanOrEqual(width);
  const inside = await region.evaluate((el) => Math.max(...Array.from(el.querySelectorAll("*")).map((c) => c.getBoundingClientRect().right)));
  expect(inside, `something in ${name} sticks out of the screen`).toBeLessThanOrEqual(width);
  mkdirSync("test-results/screenshots", { recursive: true });
  await page.screenshot({ path: `test-results/screenshots/${name}-${width}.png`, fullPage: true });
}

/** A small real picture, made on the spot (a sketch the customer might send). */
function png(width: number, height: number, rgb: { r: number; g: number; b: number }) {
  return sharp({ create: { width, height, channels: 3, background: rgb } })
    .png()
    .toBuffer();
}

/** The picture an <img> shows has loaded (its bytes decoded), not just an element with a src. */
async function expectLoaded(img: Locator) {
  await expect(img).toBeVisible();
  await expect.poll(() => img.evaluate((el) => (el as HTMLImageElement).complete && (el as HTMLImageElement).naturalWidth > 0)).toBe(true);
}

async function adminPage(browser: Browser, viewport: { width: number; height: number }, callbackUrl: string) {
  const { context, page } = await newCustomer(browser, { viewport });
  await new AdminSignInPage(page).signInAsAdmin(callbackUrl);
  return { context, page };
}

/** A fresh tattoo artist of this test's own (so no other test's bookings or times get in the way), offering the fine-line tattoo. */
async function createTattooArtist(page: Page, tag: string) {
  const studio = new AdminStudioPage(page);
  const name = `Ink Tester ${tag}`;
  const slug = `ink-${tag}`;
  const id = await studio.createArtist({ name, slug, timezone: "Europe/Berlin" });
  await studio.offerServices(["Fine-line tattoo"]);
  await studio.setHours([1, 2, 3, 4, 5], "10:00", "18:00");
  await studio.saveHours();
  await expect(studio.reviewList()).toContainText("None");
  return { id, name, slug };
}

for (const [label, viewport] of [
  ["phone", PHONE],
  ["desktop", DESKTOP],
] as const) {
  test.describe(`intake on a ${label}`, () => {
    test(`a customer's fine-line tattoo request carries the answers and a reference image to the admin's booking detail, and a non-image file is refused on the form`, async ({
      browser,
    }) => {
      test.setTimeout(120_000);
      const tag = `${label.slice(0, 1)}${randomUUID().slice(0, 6)}`;
      const admin = await adminPage(browser, viewport, "/admin/studio");
      const artist = await createTattooArtist(admin.page, tag);

      const { context, page } = await newCustomer(browser, { viewport });
      const email = `intake-${tag}@example.com`;
      const booking = new BookingPage(page);
      await booking.goto(artist.slug, "fine-line-tattoo", mondayInWeeks(2));
      const slot = page.locator(".week-grid .slot").first();
      await expect(slot).toBeVisible();
      await slot.click();
      await booking.expectHeld();

      // The seeded intake: placement, size, style, colour, budget, first tattoo, reference images, the 18+ line.
      await page.getByLabel("Where on the body?").fill("Left forearm, inner side");
      await page.getByLabel("Approximate size (cm)").fill("8");
      await page.getByLabel("Style").selectOption("Fine line");
      await page
        .getByRole("group", { name: /Colour or black and grey/ })
        .getByLabel("Black and grey")
        .check();
      await page.getByLabel(/Your budget/).fill("250");
      await page
        .getByRole("group", { name: /first tattoo/ })
        .getByLabel("Yes")
        .check();
      await expect(page.getByText("I confirm I am 18 or older.")).toBeVisible();

      const picker = page.getByTestId("reference-images");
      const fileInput = picker.locator('input[type="file"]');
      await fileInput.setInputFiles({ name: "notes.txt", mimeType: "text/plain", buffer: Buffer.from("not a picture, just some words\n") });
      await expect(picker.getByRole("alert")).toContainText("notes.txt: This file is not an image we can read");
      await expect(picker.getByRole("img")).toHaveCount(0);

      await fileInput.setInputFiles({ name: "sketch.png", mimeType: "image/png", buffer: await png(240, 160, { r: 30, g: 30, b: 30 }) });
      const thumb = picker.getByRole("img", { name: "Reference image 1" });
      await expectLoaded(thumb);
      await expect(picker.getByRole("alert")).toHaveCount(0);

      await booking.fillDetails({ name: "Ina Intake", email });
      await screenshot(page, "intake-form");
      await booking.submitButton.click();

      // Fine-line tattoos take a €50 deposit: paid in the fake Stripe checkout.
      await expect(page.getByRole("heading", { name: "Fake Stripe Checkout" })).toBeVisible();
      await expect(page.getByTestId("amount")).toHaveText("5000 EUR");
      await page.getByRole("button", { name: "Pay" }).click();
      await expect(page).toHaveURL(/\/confirmed\?token=.*checkout=returned/);
      await context.close();

      const [row] = await queryDb<{ id: string; consent: Date | null; images: number }>(
        `select b.id, b.consent_given_at as consent,
                (select count(*)::int from media_images m where m.booking_id = b.id) as images
           from bookings b where b.customer_email = $1`,
        [email],
      );
      expect(row, "the request was stored").toBeDefined();
      expect(row!.consent, "the 18+ line was ticked").not.toBeNull();
      expect(row!.images).toBe(1);

      const detail = new AdminBookingDetailPage(admin.page);
      await detail.goto(row!.id);
      const intake = admin.page.getByTestId("booking-intake");
      await expect(intake).toContainText("Where on the body?");
      await expect(intake).toContainText("Left forearm, inner side");
      await expect(intake).toContainText("8 cm");
      await expect(intake).toContainText("Fine line");
      await expect(intake).toContainText("Black and grey");
      await expect(intake).toContainText("250");
      await expect(intake).toContainText("Is this your first tattoo?");
      await expect(intake.getByTestId("intake-consent")).toContainText("I confirm I am 18 or older.");
      await expect(intake).toContainText("Reference images (1)");
      await expectLoaded(intake.locator(".intake-images img").first());
      await adminScreenshot(admin.page, intake, "intake-booking-detail");
      await admin.context.close();
    });

    test(`an admin sets a new service's request questions, reference images and consent line in Studio setup, and a size range the wrong way round is refused`, async ({
      browser,
    }) => {
      const tag = `${label.slice(0, 1)}${randomUUID().slice(0, 6)}`;
      const admin = await adminPage(browser, viewport, "/admin/studio/services/new");
      const page = admin.page;
      await page.getByLabel("Name", { exact: true }).fill(`Intake service ${tag}`);
      await page.getByLabel("Slug", { exact: true }).fill(`intake-${tag}`);
      await page.getByRole("button", { name: "Create service" }).click();
      await page.waitForURL(/\/admin\/studio\/services\/[0-9a-f-]{36}$/);

      const editor = page.getByTestId("intake-editor");
      await expect(editor).toContainText("No questions");
      for (const preset of ["Placement", "Size in cm"]) {
        await editor.getByLabel("Ready-made question").selectOption(preset);
        await editor.getByRole("button", { name: "Add ready-made question" }).click();
      }
      const questions = editor.getByTestId("intake-question");
      await expect(questions).toHaveCount(2);
      await editor.getByRole("button", { name: "Move question 2 up" }).click();
      await expect(questions.first().getByLabel("Question", { exact: true })).toHaveValue("Approximate size");
      await questions.first().getByLabel("Smallest").fill("50");
      await questions.first().getByLabel("Largest").fill("10");
      await editor.getByLabel(/Ask for reference images/).check();
      await editor.getByLabel("Consent line (optional)").fill("I confirm I am 18 or older.");
      await editor.getByRole("button", { name: "Save questions" }).click();
      await expect(questions.first().getByText("The largest value is below the smallest")).toBeVisible();
      expect((await queryDb<{ n: unknown }>("select intake_questions as n from services where slug = $1", [`intake-${tag}`]))[0]!.n).toEqual([]);

      await questions.first().getByLabel("Largest").fill("60");
      await editor.getByRole("button", { name: "Save questions" }).click();
      await expect(editor.getByText("Saved.")).toBeVisible();
      await adminScreenshot(page, editor, "intake-editor");
      const [row] = await queryDb<{ questions: { id: string; required: boolean; min?: number; max?: number }[]; asks: boolean; consent: string }>(
        "select intake_questions as questions, asks_reference_images as asks, consent_text as consent from services where slug = $1",
        [`intake-${tag}`],
      );
      expect(row!.questions.map((q) => [q.id, q.required, q.min, q.max])).toEqual([
        ["size_cm", true, 50, 60],
        ["placement", true, undefined, undefined],
      ]);
      expect(row!.asks).toBe(true);
      expect(row!.consent).toBe("I confirm I am 18 or older.");

      await page.reload();
      await expect(questions).toHaveCount(2);
      await expect(questions.nth(1).getByLabel("Question", { exact: true })).toHaveValue("Where on the body?");
      await admin.context.close();
    });

    test(`a portrait and a portfolio image uploaded on the artist's Studio setup page show on the public artist page, the portfolio image with its description as alt text`, async ({
      browser,
    }) => {
      test.setTimeout(120_000);
      const tag = `${label.slice(0, 1)}${randomUUID().slice(0, 6)}`;
      const admin = await adminPage(browser, viewport, "/admin/studio");
      const artist = await createTattooArtist(admin.page, tag);
      const page = admin.page;
      const media = page.getByTestId("artist-media");
      await expect(media).toContainText("No portrait yet");

      await media.getByLabel("Use as").selectOption("portrait");
      await media
        .getByLabel("Image file")
        .setInputFiles({ name: "portrait.png", mimeType: "image/png", buffer: await png(400, 400, { r: 180, g: 120, b: 90 }) });
      await media.getByLabel("Description (alt text)").fill(`${artist.name} in the studio`);
      await media.getByRole("button", { name: "Upload" }).click();
      await expect(media.getByRole("status")).toHaveText("Portrait uploaded.");
      await expectLoaded(media.getByTestId("admin-portrait").getByRole("img"));

      // A file that is not a picture is refused with words the admin can act on, and nothing is added.
      await media.getByLabel("Use as").selectOption("portfolio");
      await media.getByLabel("Image file").setInputFiles({ name: "flash.pdf", mimeType: "application/pdf", buffer: Buffer.from("%PDF-1.4\n% not an image\n") });
      await media.getByRole("button", { name: "Upload" }).click();
      await expect(media.getByRole("alert")).toContainText("This file is not an image we can read");
      await expect(media.getByTestId("admin-portfolio-item")).toHaveCount(0);

      const description = `Fine-line peony on a forearm by ${artist.name}`;
      await media.getByLabel("Use as").selectOption("portfolio");
      await media.getByLabel("Image file").setInputFiles({ name: "peony.png", mimeType: "image/png", buffer: await png(900, 600, { r: 40, g: 90, b: 60 }) });
      await media.getByLabel("Description (alt text)").fill(description);
      await media.getByRole("button", { name: "Upload" }).click();
      await expect(media.getByRole("status")).toHaveText("Added to the portfolio.");
      await expect(media.getByTestId("admin-portfolio-item")).toHaveCount(1);
      await expect(media.getByLabel("Description of portfolio image 1")).toHaveValue(description);
      await adminScreenshot(page, media, "artist-media");

      const [stored] = await queryDb<{ portraits: number; portfolio: number }>(
        `select count(*) filter (where role = 'portrait')::int as portraits, count(*) filter (where role = 'portfolio')::int as portfolio
           from media_images where artist_id = $1`,
        [artist.id],
      );
      expect(stored).toEqual({ portraits: 1, portfolio: 1 });

      await page.goto(`/artists/${artist.slug}`);
      await expect(page.getByRole("heading", { level: 1 })).toContainText(artist.name);
      await expectLoaded(page.getByTestId("artist-portrait").locator("img"));
      const work = page.getByTestId("artist-portfolio").getByRole("img", { name: description });
      await work.scrollIntoViewIfNeeded();
      await expectLoaded(work);
      await screenshot(page, "artist-page-photos");
      await admin.context.close();
    });
  });
}
