import { and, asc, eq, inArray, max, sql } from "drizzle-orm";
import type { Database, Executor } from "@/db/client";
import { artists, mediaImages } from "@/db/schema";
import { HoldfastError } from "@/lib/errors";
import { insertImage, shownImages } from "./media-store";
import type { ShownImage } from "./media-urls";
import { processImage } from "./process-image";

/** Enough for a portfolio page; each image is about 0.5 MB in all its sizes. */
export const MAX_PORTFOLIO_IMAGES = 30;

export type ArtistMedia = { portrait: ShownImage | null; portfolio: ShownImage[] };

/**
 * Adds an artist's portrait (replacing the previous one) or a portfolio piece (at the end). The
 * image is decoded and re-encoded before the transaction opens: that is the slow part, and no
 * row is locked meanwhile.
 */
export async function addArtistImage(db: Database, input: { artistId: string; role: "portrait" | "portfolio"; altText: string; bytes: Buffer }) {
  const processed = await processImage(input.bytes, "file");
  return db.transaction(async (tx) => {
    // The artist row is the lock: two uploads at once still number the portfolio 0, 1, 2 …
    const [artist] = await tx.select({ id: artists.id }).from(artists).where(eq(artists.id, input.artistId)).for("update");
    if (!artist) throw new HoldfastError("not_found", "That artist was not found");
    if (input.role === "portrait") {
      await tx.delete(mediaImages).where(and(eq(mediaImages.artistId, input.artistId), eq(mediaImages.role, "portrait")));
      return insertImage(tx, { role: "portrait", artistId: input.artistId }, processed, { altText: input.altText });
    }
    const [row] = await tx
      .select({ count: sql<number>`count(*)::int`, last: max(mediaImages.position) })
      .from(mediaImages)
      .where(and(eq(mediaImages.artistId, input.artistId), eq(mediaImages.role, "portfolio")));
    if ((row?.count ?? 0) >= MAX_PORTFOLIO_IMAGES) {
      const message = `A portfolio holds up to ${MAX_PORTFOLIO_IMAGES} images; delete one first.`;
      throw new HoldfastError("invalid_input", message, { fields: { file: [message] } });
    }
    return insertImage(tx, { role: "portfolio", artistId: input.artistId }, processed, { altText: input.altText, position: (row?.last ?? -1) + 1 });
  });
}

/**
 * Saves the portfolio's order (the order of `items`) and each image's alt text, and the
 * portrait's alt text. Ids that are not this artist's images are refused, so a form cannot
 * reorder or relabel another artist's work.
 */
export async function saveArtistMediaDetails(db: Database, input: { artistId: string; items: { id: string; altText: string }[] }) {
  return db.transaction(async (tx) => {
    if (input.items.length === 0) return { saved: 0 };
    const owned = await tx
      .select({ id: mediaImages.id, role: mediaImages.role })
      .from(mediaImages)
      .where(
        and(
          eq(mediaImages.artistId, input.artistId),
          inArray(
            mediaImages.id,
            input.items.map((i) => i.id),
          ),
        ),
      );
    const roleOf = new Map(owned.map((o) => [o.id, o.role]));
    if (input.items.some((i) => !roleOf.has(i.id))) throw new HoldfastError("not_found", "One of those images is not this artist's (reload the page)");
    let position = 0;
    for (const item of input.items) {
      const portfolio = roleOf.get(item.id) === "portfolio";
      await tx
        .update(mediaImages)
        .set({ altText: item.altText, ...(portfolio ? { position: position++ } : {}) })
        .where(eq(mediaImages.id, item.id));
    }
    return { saved: input.items.length };
  });
}

/** Deletes one of an artist's images (its variants go with it). Deleting what is already gone is not an error. */
export async function deleteArtistImage(db: Executor, input: { imageId: string }) {
  const deleted = await db
    .delete(mediaImages)
    .where(and(eq(mediaImages.id, input.imageId), inArray(mediaImages.role, ["portrait", "portfolio"])))
    .returning({ id: mediaImages.id });
  return { deleted: deleted.length > 0 };
}

/** The portraits and portfolios of several artists at once (the home page lists them all). */
export async function loadArtistMedia(db: Executor, artistIds: string[]): Promise<Map<string, ArtistMedia>> {
  const result = new Map<string, ArtistMedia>(artistIds.map((id) => [id, { portrait: null, portfolio: [] }]));
  if (artistIds.length === 0) return result;
  const images = await db
    .select()
    .from(mediaImages)
    .where(and(inArray(mediaImages.artistId, artistIds), inArray(mediaImages.role, ["portrait", "portfolio"])))
    .orderBy(asc(mediaImages.position), asc(mediaImages.createdAt));
  for (const shown of await shownImages(db, images)) {
    const { image, ...picture } = shown;
    const media = result.get(image.artistId!)!;
    if (image.role === "portrait") media.portrait = picture;
    else media.portfolio.push(picture);
  }
  return result;
}
