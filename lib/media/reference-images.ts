import { and, asc, eq, inArray, isNull, lt, sql } from "drizzle-orm";
import type { Database, Executor } from "@/db/client";
import { bookings, mediaImages, services } from "@/db/schema";
import { holdTokenMatches } from "@/lib/auth/booking-token";
import { HoldfastError } from "@/lib/errors";
import { MAX_REFERENCE_IMAGES } from "@/lib/intake/questions";
import { insertImage, shownImages } from "./media-store";
import type { ShownImage } from "./media-urls";
import { processImage } from "./process-image";
import { signLinkToken } from "./signed-links";

/** How long a customer's own thumbnails keep loading on the form (their upload's link). */
const CUSTOMER_THUMBNAIL_HOURS = 6;
/** Reference images of a hold that was never sent are deleted this long after the hold ran out. */
export const UNSENT_REFERENCE_IMAGES_KEPT_MS = 86_400_000;

type HoldRef = { holdId: string; holdToken: string };

/** The hold, locked, when the token is right and it is still a hold; the same "not found" otherwise (a guessed id learns nothing). */
async function lockOpenHold(tx: Executor, ref: HoldRef) {
  const [hold] = await tx.select().from(bookings).where(eq(bookings.id, ref.holdId)).for("update");
  if (!hold || !holdTokenMatches(ref.holdToken, hold.holdTokenHash)) throw new HoldfastError("not_found", "That hold was not found");
  if (hold.status !== "hold") {
    throw new HoldfastError("hold_expired", "Your hold has ended, so images can no longer be added to it. Hold a time again to add them.");
  }
  return hold;
}

/** Signed URLs for images shown outside the admin (the customer's thumbnails, the artist's intake page). */
export function withImageTokens(images: ShownImage[], expiresAt: Date): ShownImage[] {
  return images.map((image) => ({ ...image, token: signLinkToken("reference-image", image.id, expiresAt) }));
}

/**
 * A customer's reference image for the request they are filling in: attached to the hold's
 * booking row, authorised by the hold's secret token, only for services that ask for them, at
 * most five. The image is decoded and re-encoded first (outside the transaction: it is the slow
 * part), so only pixels are stored and anything that is not a picture is refused with a message
 * for the form.
 */
export async function attachReferenceImage(db: Database, input: HoldRef & { bytes: Buffer; now?: Date }): Promise<ShownImage> {
  const processed = await processImage(input.bytes, "file");
  const image = await db.transaction(async (tx) => {
    const hold = await lockOpenHold(tx, input);
    const [service] = await tx.select({ asks: services.asksReferenceImages }).from(services).where(eq(services.id, hold.serviceId));
    if (!service?.asks)
      throw new HoldfastError("invalid_input", "This service does not take reference images", {
        fields: { file: ["This service does not take reference images"] },
      });
    const [row] = await tx
      .select({ count: sql<number>`count(*)::int` })
      .from(mediaImages)
      .where(and(eq(mediaImages.bookingId, hold.id), eq(mediaImages.role, "reference")));
    if ((row?.count ?? 0) >= MAX_REFERENCE_IMAGES) {
      const message = `You can add up to ${MAX_REFERENCE_IMAGES} images. Remove one to add another.`;
      throw new HoldfastError("invalid_input", message, { fields: { file: [message] } });
    }
    return insertImage(tx, { role: "reference", bookingId: hold.id }, processed, { position: row?.count ?? 0 });
  });
  const [shown] = await shownImages(db, [image]);
  const { image: _row, ...picture } = shown!;
  const now = input.now ?? new Date();
  return withImageTokens([picture], new Date(now.getTime() + CUSTOMER_THUMBNAIL_HOURS * 3_600_000))[0]!;
}

/** The customer takes an image off their request before sending it. */
export async function removeReferenceImage(db: Database, input: HoldRef & { imageId: string }) {
  return db.transaction(async (tx) => {
    const hold = await lockOpenHold(tx, input);
    const deleted = await tx
      .delete(mediaImages)
      .where(and(eq(mediaImages.id, input.imageId), eq(mediaImages.bookingId, hold.id), eq(mediaImages.role, "reference")))
      .returning({ id: mediaImages.id });
    return { removed: deleted.length > 0 };
  });
}

/** A booking's reference images in upload order (without tokens: the admin's session opens them). */
export async function listReferenceImages(db: Executor, bookingId: string): Promise<ShownImage[]> {
  const images = await db
    .select()
    .from(mediaImages)
    .where(and(eq(mediaImages.bookingId, bookingId), eq(mediaImages.role, "reference")))
    .orderBy(asc(mediaImages.position), asc(mediaImages.createdAt));
  return (await shownImages(db, images)).map(({ image: _row, ...picture }) => picture);
}

/** How many reference images a booking has (for the studio's email). */
export async function countReferenceImages(db: Executor, bookingId: string): Promise<number> {
  const [row] = await db
    .select({ count: sql<number>`count(*)::int` })
    .from(mediaImages)
    .where(and(eq(mediaImages.bookingId, bookingId), eq(mediaImages.role, "reference")));
  return row?.count ?? 0;
}

/**
 * Customers' photos must not outlive a request that was never sent: the booking row of an
 * abandoned hold stays (expired, for the audit trail), so its images would otherwise stay too.
 * Run by the tick: deletes the reference images of holds that ran out (or expired) more than a day
 * ago without being submitted. Returns how many images were deleted.
 */
export async function deleteUnsentReferenceImages(db: Executor, now: Date = new Date()): Promise<number> {
  const cutoff = new Date(now.getTime() - UNSENT_REFERENCE_IMAGES_KEPT_MS);
  const stale = db
    .select({ id: bookings.id })
    .from(bookings)
    .where(
      and(
        inArray(bookings.status, ["hold", "expired"]),
        isNull(bookings.submittedAt),
        lt(sql`coalesce(${bookings.holdExpiresAt}, ${bookings.updatedAt})`, cutoff),
      ),
    );
  const deleted = await db
    .delete(mediaImages)
    .where(and(eq(mediaImages.role, "reference"), inArray(mediaImages.bookingId, stale)))
    .returning({ id: mediaImages.id });
  return deleted.length;
}
