/**
 * How an image is addressed in pages (client-safe: no database, no secrets). A variant's URL never
 * changes its bytes (a new upload is a new id), so the route serves it as immutable.
 */
export type ImageFormatName = "webp" | "jpeg";

/** What a page needs to show one stored image responsively. */
export type ShownImage = {
  id: string;
  altText: string;
  width: number;
  height: number;
  /** The widths stored for it, smallest first (each as WebP and JPEG). */
  widths: number[];
  /** For a reference image: the signed `token` query its URLs need (customers and the artist's link). */
  token?: string;
};

export function mediaVariantUrl(image: Pick<ShownImage, "id" | "token">, width: number, format: ImageFormatName): string {
  const base = `/media/${image.id}/${width}.${format === "jpeg" ? "jpg" : "webp"}`;
  return image.token ? `${base}?token=${encodeURIComponent(image.token)}` : base;
}

/** `srcset` for one format: every stored width. */
export function mediaSrcSet(image: ShownImage, format: ImageFormatName): string {
  return image.widths.map((w) => `${mediaVariantUrl(image, w, format)} ${w}w`).join(", ");
}

/** The smallest stored width at least `cssWidth` px (else the largest): for a fallback `src`. */
export function pickWidth(image: Pick<ShownImage, "widths">, cssWidth: number): number {
  return image.widths.find((w) => w >= cssWidth) ?? image.widths[image.widths.length - 1] ?? cssWidth;
}

/** The height of the image shown at `width`, for width/height attributes that reserve its space (no layout shift). */
export function scaledHeight(image: Pick<ShownImage, "width" | "height">, width: number): number {
  return Math.max(1, Math.round((image.height * width) / image.width));
}
