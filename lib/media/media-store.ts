import { and, asc, eq, inArray } from "drizzle-orm";
import type { Executor } from "@/db/client";
import { mediaImages, mediaImageVariants, type MediaImage } from "@/db/schema";
import type { ShownImage } from "./media-urls";
import type { ProcessedImage, VariantFormat } from "./process-image";

export type MediaOwner = { role: "portrait" | "portfolio"; artistId: string } | { role: "reference"; bookingId: string };

/** Writes an image and all its variants (call inside the transaction that decides it may be added). */
export async function insertImage(tx: Executor, owner: MediaOwner, processed: ProcessedImage, opts: { altText?: string; position?: number } = {}) {
  const [image] = await tx
    .insert(mediaImages)
    .values({
      role: owner.role,
      artistId: owner.role === "reference" ? null : owner.artistId,
      bookingId: owner.role === "reference" ? owner.bookingId : null,
      altText: opts.altText ?? "",
      position: opts.position ?? 0,
      width: processed.width,
      height: processed.height,
    })
    .returning();
  await tx.insert(mediaImageVariants).values(processed.variants.map((v) => ({ imageId: image!.id, width: v.width, format: v.format, bytes: v.bytes })));
  return image!;
}

/** The bytes of one variant with the image's owner (for the access check), or null. */
export async function loadVariant(db: Executor, imageId: string, width: number, format: VariantFormat) {
  const [row] = await db
    .select({ image: mediaImages, bytes: mediaImageVariants.bytes })
    .from(mediaImageVariants)
    .innerJoin(mediaImages, eq(mediaImages.id, mediaImageVariants.imageId))
    .where(and(eq(mediaImageVariants.imageId, imageId), eq(mediaImageVariants.width, width), eq(mediaImageVariants.format, format)));
  return row ?? null;
}

/** Images as pages show them (no bytes), with their stored widths, in the order given by `position`. */
export async function shownImages(db: Executor, images: MediaImage[]): Promise<(ShownImage & { image: MediaImage })[]> {
  if (images.length === 0) return [];
  const rows = await db
    .select({ imageId: mediaImageVariants.imageId, width: mediaImageVariants.width })
    .from(mediaImageVariants)
    .where(
      and(
        inArray(
          mediaImageVariants.imageId,
          images.map((i) => i.id),
        ),
        eq(mediaImageVariants.format, "webp"),
      ),
    )
    .orderBy(asc(mediaImageVariants.width));
  const widths = new Map<string, number[]>();
  for (const r of rows) widths.set(r.imageId, [...(widths.get(r.imageId) ?? []), r.width]);
  return images.map((image) => ({ id: image.id, altText: image.altText, width: image.width, height: image.height, widths: widths.get(image.id) ?? [], image }));
}
