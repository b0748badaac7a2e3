import sharp, { type Metadata, type OutputInfo } from "sharp";
import { HoldfastError } from "@/lib/errors";

/** The largest upload taken (each image): a phone photo is 2–6 MB; 10 MB leaves room without inviting abuse. */
export const MAX_IMAGE_BYTES = 10 * 1024 * 1024;
/**
 * The most pixels an upload may decode to (about 50 MP, a large camera's photo). A tiny file can
 * claim enormous dimensions (a "decompression bomb"): it is refused from its header, before any
 * pixel is decoded, and sharp's own limitInputPixels enforces the same cap while decoding.
 */
export const MAX_INPUT_PIXELS = 50_000_000;
/** The web widths kept (CSS px at 1x/2x of the layouts); never upscaled: a smaller image keeps its own width. */
export const VARIANT_WIDTHS = [320, 640, 1280] as const;
export const VARIANT_FORMATS = ["webp", "jpeg"] as const;
export type VariantFormat = (typeof VARIANT_FORMATS)[number];

export const ACCEPTED_IMAGE_TYPES = "image/jpeg,image/png,image/webp,image/avif";
export const ACCEPTED_IMAGE_NAMES = "JPEG, PNG, WebP or AVIF";

export type ImageVariant = { width: number; height: number; format: VariantFormat; bytes: Buffer };
export type ProcessedImage = { width: number; height: number; variants: ImageVariant[] };

function refuse(field: string, message: string, code: "invalid_input" | "payload_too_large" = "invalid_input"): never {
  throw new HoldfastError(code, message, { fields: { [field]: [message] } });
}

/** Which widths an image of `width` px gets: the standard ones below it, plus its own when it is narrower than the largest. */
export function variantWidths(width: number): number[] {
  const largest = VARIANT_WIDTHS[VARIANT_WIDTHS.length - 1]!;
  const top = Math.min(width, largest);
  return [...VARIANT_WIDTHS.filter((w) => w < top), top];
}

/**
 * The one door for every image Holdfast keeps (portraits, portfolio, customers' references).
 * Only what sharp decodes as a JPEG, PNG, WebP or AVIF picture is taken, and only its re-encoded
 * pixels are stored: the upload's bytes never are, so a PDF or HTML file renamed .jpg, a
 * polyglot, or a payload hidden in metadata never reaches the database or another browser.
 * The picture is turned upright from its EXIF orientation, then written without any metadata
 * (EXIF, GPS, XMP, ICC: sharp converts to sRGB and keeps nothing unless asked), at web widths,
 * as WebP and JPEG. `field` names the form field in the error.
 */
export async function processImage(bytes: Buffer, field = "image"): Promise<ProcessedImage> {
  if (bytes.length === 0) refuse(field, "The file is empty. Choose a photo (JPEG, PNG, WebP or AVIF).");
  if (bytes.length > MAX_IMAGE_BYTES) {
    refuse(field, `The file is ${(bytes.length / 1024 / 1024).toFixed(1)} MB; images can be at most 10 MB.`, "payload_too_large");
  }
  const options = { limitInputPixels: MAX_INPUT_PIXELS, failOn: "error" as const };
  let meta: Metadata;
  try {
    meta = await sharp(bytes, options).metadata();
  } catch (err) {
    // sharp reads the dimensions from the header and stops at limitInputPixels before decoding anything.
    if (err instanceof Error && /pixel limit/i.test(err.message)) refuse(field, "The image has too many pixels; the most we take is about 50 megapixels.");
    refuse(field, `This file is not an image we can read. Choose a ${ACCEPTED_IMAGE_NAMES} photo.`);
  }
  // AVIF and HEIC share the HEIF container; only AVIF's AV1 is decodable by the prebuilt sharp.
  if (meta.format === "heif" && meta.compression !== "av1") {
    refuse(
      field,
      "HEIC photos (the iPhone default) cannot be read here yet. Export it as JPEG (on iPhone: Settings › Camera › Formats › Most Compatible) and try again.",
    );
  }
  if (!["jpeg", "png", "webp", "heif"].includes(meta.format ?? "")) {
    refuse(field, `${(meta.format ?? "This").toUpperCase()} files are not taken. Choose a ${ACCEPTED_IMAGE_NAMES} photo.`);
  }
  if (!meta.width || !meta.height) refuse(field, `This file is not an image we can read. Choose a ${ACCEPTED_IMAGE_NAMES} photo.`);
  if (meta.width * meta.height > MAX_INPUT_PIXELS) {
    refuse(field, `The image is ${meta.width}×${meta.height} pixels; the most we take is about 50 megapixels.`);
  }
  // Multi-page inputs (animated WebP) keep their first frame only.
  const oriented = sharp(bytes, { ...options, pages: 1 }).autoOrient();
  let upright: { data: Buffer; info: OutputInfo };
  try {
    // Decode everything once, to sRGB pixels: a truncated or corrupt file fails here, not halfway through the variants.
    upright = await oriented.toColourspace("srgb").raw().toBuffer({ resolveWithObject: true });
  } catch {
    refuse(field, `This image is damaged or cannot be read. Choose another ${ACCEPTED_IMAGE_NAMES} photo.`);
  }
  const { width, height, channels } = upright.info;
  const pixels = { raw: { width, height, channels } };
  const variants: ImageVariant[] = [];
  for (const w of variantWidths(width)) {
    const resized = sharp(upright.data, pixels).resize({ width: w, withoutEnlargement: true });
    const webp = await resized.clone().webp({ quality: 80 }).toBuffer({ resolveWithObject: true });
    variants.push({ width: w, height: webp.info.height, format: "webp", bytes: webp.data });
    // JPEG has no transparency: a logo on a transparent PNG is laid on white rather than black.
    const jpeg = await resized.clone().flatten({ background: "#ffffff" }).jpeg({ quality: 82, mozjpeg: true }).toBuffer({ resolveWithObject: true });
    variants.push({ width: w, height: jpeg.info.height, format: "jpeg", bytes: jpeg.data });
  }
  return { width, height, variants };
}

export const VARIANT_CONTENT_TYPES: Record<VariantFormat, string> = { webp: "image/webp", jpeg: "image/jpeg" };
/** The file extension in a variant's URL (`640.webp`, `640.jpg`). */
export const VARIANT_EXTENSIONS: Record<VariantFormat, string> = { webp: "webp", jpeg: "jpg" };

/** `640.webp` -> { width: 640, format: "webp" }; null for anything else. */
export function parseVariantName(name: string): { width: number; format: VariantFormat } | null {
  const match = /^(\d{1,5})\.(webp|jpg)$/.exec(name);
  if (!match) return null;
  return { width: Number(match[1]), format: match[2] === "jpg" ? "jpeg" : "webp" };
}
