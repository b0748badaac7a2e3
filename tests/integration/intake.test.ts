/**
 * Intake questions and reference images, against a real Postgres: answers are checked against the
 * service and stored with the request in the same transaction, reference images attach to a hold
 * by its token and only as re-encoded pictures, and they are served only to an admin or through
 * a signed link that expires.
 */
import { eq } from "drizzle-orm";
import sharp from "sharp";
import { describe, expect, it } from "vitest";
import { bookings, mediaImages, notifications, services } from "@/db/schema";
import { GET as serveMedia } from "@/app/media/[id]/[variant]/route";
import type { Actor } from "@/lib/bookings/audit-context";
import { createHold } from "@/lib/bookings/create-hold";
import { submitRequest } from "@/lib/bookings/submit-request";
import { HoldfastError } from "@/lib/errors";
import { loadIntakeSheet } from "@/lib/intake/booking-intake";
import type { IntakeQuestionInput } from "@/lib/intake/questions";
import { saveServiceIntake } from "@/lib/intake/save-service-intake";
import { intakeQuestionListSchema } from "@/lib/intake/questions";
import { attachReferenceImage, deleteUnsentReferenceImages, listReferenceImages, removeReferenceImage } from "@/lib/media/reference-images";
import { mediaVariantUrl } from "@/lib/media/media-urls";
import { signLinkToken, intakePageUrl } from "@/lib/media/signed-links";
import { userWithSessionCookie } from "../support/admin-fixtures";
import { createTestArtist, futureSlot, setupTestDatabase, uniqueTag } from "../support/test-db";

const db = setupTestDatabase();
const customer: Actor = { kind: "customer", id: "intake@example.com", ip: "203.0.113.7", userAgent: "vitest" };

const QUESTIONS: IntakeQuestionInput[] = [
  { id: "placement", kind: "text", label: "Where on the body?", required: true },
  { id: "size_cm", kind: "number", label: "Approximate size", unit: "cm", min: 1, max: 200, required: true },
  { id: "colour", kind: "choice", label: "Colour or black and grey?", options: ["Colour", "Black and grey"], required: true },
  { id: "budget", kind: "money", label: "Your budget", required: false },
  { id: "first_tattoo", kind: "yes_no", label: "Is this your first tattoo?", required: false },
];

async function tattooHold(daysAhead: number) {
  const { artist, service } = await createTestArtist(db);
  await saveServiceIntake(db, {
    serviceId: service.id,
    questions: intakeQuestionListSchema.parse(QUESTIONS),
    asksReferenceImages: true,
    consentText: "I am 18 or older",
  });
  const { hold } = await createHold(db, { artist: artist.slug, service: service.slug, start: futureSlot(daysAhead, "11:00"), actor: customer });
  return { artist, service, hold };
}

const jpeg = () =>
  sharp({ create: { width: 900, height: 600, channels: 3, background: "#345" } })
    .jpeg()
    .toBuffer();

function submit(hold: { id: string; token: string }, intake: unknown) {
  return submitRequest(db, {
    holdId: hold.id,
    holdToken: hold.token,
    customer: { name: "Ink Customer", email: `ink-${uniqueTag()}@example.com` },
    idempotencyKey: `intake-${hold.id}-${uniqueTag()}`,
    intake: intake as never,
    actor: customer,
  });
}

async function refusal(p: Promise<unknown>): Promise<HoldfastError> {
  try {
    await p;
  } catch (err) {
    expect(err).toBeInstanceOf(HoldfastError);
    return err as HoldfastError;
  }
  throw new Error("it was accepted");
}

const mediaRequest = (path: string, cookie?: string) => {
  const url = new URL(path, "http://holdfast.test");
  const [, , id, variant] = url.pathname.split("/");
  return serveMedia(new Request(url, { headers: cookie ? { cookie } : {} }), { params: Promise.resolve({ id: id!, variant: variant! }) });
};

describe("intake questions and reference images", () => {
  it("refuses a request missing required answers or the consent, with a field error on each, and books nothing", async () => {
    const { hold } = await tattooHold(30);
    const err = await refusal(submit(hold, { answers: { placement: "", size_cm: "300", colour: "Purple" }, consent: false }));
    expect(err.code).toBe("invalid_input");
    expect(err.fields).toEqual({
      "intake.answers.placement": ["Please answer: Where on the body?"],
      "intake.answers.size_cm": ["The largest is 200 cm"],
      "intake.answers.colour": ["Choose one of: Colour, Black and grey"],
      "intake.consent": ["Please tick “I am 18 or older” to continue"],
    });
    const [row] = await db.select().from(bookings).where(eq(bookings.id, hold.id));
    expect(row!.status).toBe("hold");
    expect(row!.intakeAnswers).toBeNull();
  });

  it("stores the answers, the consent time and the images with the request, and lists them in the studio's email", async () => {
    const { hold } = await tattooHold(31);
    const image = await attachReferenceImage(db, { holdId: hold.id, holdToken: hold.token, bytes: await jpeg() });
    expect(image.widths).toEqual([320, 640, 900]);
    expect(image.token).toMatch(/^\d+-/);
    const { booking } = await submit(hold, {
      answers: { placement: "Left forearm", size_cm: "12", colour: "Black and grey", budget: 250, first_tattoo: true, unknown: "dropped" },
      consent: true,
    });
    expect(booking.status).toBe("pending");
    expect(booking.consentGivenAt).toBeInstanceOf(Date);
    expect(booking.intakeAnswers).toEqual({
      answers: [
        { id: "placement", label: "Where on the body?", kind: "text", value: "Left forearm", display: "Left forearm" },
        { id: "size_cm", label: "Approximate size", kind: "number", value: 12, display: "12 cm" },
        { id: "colour", label: "Colour or black and grey?", kind: "choice", value: "Black and grey", display: "Black and grey" },
        { id: "budget", label: "Your budget", kind: "money", value: 250, display: "€250" },
        { id: "first_tattoo", label: "Is this your first tattoo?", kind: "yes_no", value: true, display: "Yes" },
      ],
    });
    expect((await listReferenceImages(db, booking.id)).map((i) => i.id)).toEqual([image.id]);
    const [mail] = await db
      .select()
      .from(notifications)
      .where(eq(notifications.bookingId, booking.id))
      .then((rows) => rows.filter((r) => r.kind === "studio_new_request"));
    expect(mail!.textBody).toContain("Where on the body?: Left forearm");
    expect(mail!.textBody).toContain("Approximate size: 12 cm");
    expect(mail!.textBody).toMatch(/Reference images: 1: http\S+\/media\/intake\//);
  });

  it("attaches images to a hold only with its token, refuses non-images and a sixth image, and lets the customer remove one", async () => {
    const { hold } = await tattooHold(32);
    const wrong = await refusal(attachReferenceImage(db, { holdId: hold.id, holdToken: "x".repeat(32), bytes: await jpeg() }));
    expect(wrong.code).toBe("not_found");
    const pdf = await refusal(attachReferenceImage(db, { holdId: hold.id, holdToken: hold.token, bytes: Buffer.from("%PDF-1.4\n%%EOF") }));
    expect(pdf.fields?.file?.[0]).toMatch(/not an image/);
    const added = [];
    for (let i = 0; i < 5; i++) added.push(await attachReferenceImage(db, { holdId: hold.id, holdToken: hold.token, bytes: await jpeg() }));
    const sixth = await refusal(attachReferenceImage(db, { holdId: hold.id, holdToken: hold.token, bytes: await jpeg() }));
    expect(sixth.fields?.file?.[0]).toMatch(/up to 5 images/);
    expect(await removeReferenceImage(db, { holdId: hold.id, holdToken: hold.token, imageId: added[0]!.id })).toEqual({ removed: true });
    expect(await listReferenceImages(db, hold.id)).toHaveLength(4);
  });

  it("refuses reference images for a service that does not ask for them", async () => {
    const { artist, service } = await createTestArtist(db);
    const { hold } = await createHold(db, { artist: artist.slug, service: service.slug, start: futureSlot(33, "11:00"), actor: customer });
    const err = await refusal(attachReferenceImage(db, { holdId: hold.id, holdToken: hold.token, bytes: await jpeg() }));
    expect(err.fields?.file?.[0]).toMatch(/does not take reference images/);
  });

  it("serves a reference image only to an admin or through its signed link, never to a stranger or an expired link", async () => {
    const { hold } = await tattooHold(34);
    const image = await attachReferenceImage(db, { holdId: hold.id, holdToken: hold.token, bytes: await jpeg() });
    const plain = mediaVariantUrl({ id: image.id }, 320, "webp");

    expect((await mediaRequest(plain)).status).toBe(404);
    const { cookie: customerCookie } = await userWithSessionCookie(db, { email: `c-${uniqueTag()}@example.com`, name: "C", role: "customer" });
    expect((await mediaRequest(plain, customerCookie)).status).toBe(404);
    const { cookie: adminCookie } = await userWithSessionCookie(db, { email: `a-${uniqueTag()}@example.com`, name: "A", role: "admin" });
    const asAdmin = await mediaRequest(plain, adminCookie);
    expect(asAdmin.status).toBe(200);
    expect(asAdmin.headers.get("content-type")).toBe("image/webp");
    expect(asAdmin.headers.get("cache-control")).toBe("private, max-age=3600");

    const signed = await mediaRequest(mediaVariantUrl(image, 640, "jpeg"));
    expect(signed.status).toBe(200);
    expect(signed.headers.get("content-type")).toBe("image/jpeg");
    expect((await sharp(Buffer.from(await signed.arrayBuffer())).metadata()).width).toBe(640);

    const expired = signLinkToken("reference-image", image.id, new Date(Date.now() - 1000));
    expect((await mediaRequest(mediaVariantUrl({ id: image.id, token: expired }, 320, "webp"))).status).toBe(404);
    const otherImage = signLinkToken("reference-image", hold.id, new Date(Date.now() + 3_600_000));
    expect((await mediaRequest(mediaVariantUrl({ id: image.id, token: otherImage }, 320, "webp"))).status).toBe(404);
  });

  it("serves artists' portfolio images publicly with a year-long immutable cache", async () => {
    const { artist } = await createTestArtist(db);
    const { addArtistImage } = await import("@/lib/media/artist-media");
    const image = await addArtistImage(db, { artistId: artist.id, role: "portfolio", altText: "Fine-line rose", bytes: await jpeg() });
    const res = await mediaRequest(`/media/${image.id}/320.webp`);
    expect(res.status).toBe(200);
    expect(res.headers.get("cache-control")).toBe("public, max-age=31536000, immutable");
    expect((await mediaRequest(`/media/${image.id}/999.webp`)).status).toBe(404);
  });

  it("opens the artist's intake page from the calendar's signed link until 30 days after the appointment, and not after", async () => {
    const { hold } = await tattooHold(35);
    await attachReferenceImage(db, { holdId: hold.id, holdToken: hold.token, bytes: await jpeg() });
    const { booking } = await submit(hold, { answers: { placement: "Calf", size_cm: 20, colour: "Colour" }, consent: true });
    const token = new URL(intakePageUrl("http://holdfast.test", booking)).searchParams.get("token");
    const sheet = await loadIntakeSheet(db, booking.id, token, new Date(booking.endsAt.getTime() + 29 * 86_400_000));
    expect(sheet.answers.map((a) => a.display)).toEqual(["Calf", "20 cm", "Colour"]);
    expect(sheet.images).toHaveLength(1);
    expect(sheet.images[0]!.token).toBeTruthy();
    const late = await refusal(loadIntakeSheet(db, booking.id, token, new Date(booking.endsAt.getTime() + 31 * 86_400_000)));
    expect(late.code).toBe("not_found");
    const forged = await refusal(
      loadIntakeSheet(
        db,
        booking.id,
        token!.replace(/.$/, (c) => (c === "A" ? "B" : "A")),
      ),
    );
    expect(forged.code).toBe("not_found");
  });

  it("deletes the reference images of a hold that ran out unsent a day later, and keeps those of sent requests", async () => {
    const { hold } = await tattooHold(36);
    await attachReferenceImage(db, { holdId: hold.id, holdToken: hold.token, bytes: await jpeg() });
    const sent = await tattooHold(37);
    await attachReferenceImage(db, { holdId: sent.hold.id, holdToken: sent.hold.token, bytes: await jpeg() });
    await submit(sent.hold, { answers: { placement: "Back", size_cm: 30, colour: "Colour" }, consent: true });
    const [row] = await db.select().from(bookings).where(eq(bookings.id, hold.id));
    const afterExpiry = new Date(row!.holdExpiresAt!.getTime() + 86_400_000 + 60_000);

    expect(await deleteUnsentReferenceImages(db, new Date(row!.holdExpiresAt!.getTime() + 3_600_000))).toBe(0);
    expect(await deleteUnsentReferenceImages(db, afterExpiry)).toBeGreaterThanOrEqual(1);
    expect(await db.select().from(mediaImages).where(eq(mediaImages.bookingId, hold.id))).toEqual([]);
    expect(await listReferenceImages(db, sent.hold.id)).toHaveLength(1);
  });

  it("asks nothing of a service without questions: a plain request still goes through unchanged", async () => {
    const { artist, service } = await createTestArtist(db);
    const [plain] = await db.select().from(services).where(eq(services.id, service.id));
    expect(plain!.intakeQuestions).toEqual([]);
    const { hold } = await createHold(db, { artist: artist.slug, service: service.slug, start: futureSlot(38, "11:00"), actor: customer });
    const { booking } = await submit(hold, undefined);
    expect(booking.intakeAnswers).toBeNull();
    expect(booking.consentGivenAt).toBeNull();
  });
});
