import type { Executor } from "@/db/client";
import { HoldfastError } from "@/lib/errors";
import { loadVariant } from "./media-store";
import { parseVariantName, VARIANT_CONTENT_TYPES } from "./process-image";
import { verifyLinkToken } from "./signed-links";

const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export type ImageViewer = {
  /** The signed `token` query of the URL, if any. */
  token: string | null;
  /** Whether the request carries a signed-in admin's session (read only when the image is private). */
  isAdmin: () => Promise<boolean>;
  now?: Date;
};

/**
 * One stored variant as an HTTP answer. Artists' portraits and portfolio pieces are public and
 * immutable (a new upload is a new id), so browsers and CDNs keep them a year. Customers'
 * reference images are private: only a signed-in admin or a signed, unexpired link for that very
 * image opens them, and no shared cache may keep them. A missing image and a refused one answer
 * the same 404, so ids cannot be probed.
 */
export async function serveImageVariant(db: Executor, imageId: string, variantName: string, viewer: ImageViewer): Promise<Response> {
  const variant = parseVariantName(variantName);
  if (!UUID_RE.test(imageId) || !variant) throw new HoldfastError("not_found", "That image was not found");
  const row = await loadVariant(db, imageId, variant.width, variant.format);
  if (!row) throw new HoldfastError("not_found", "That image was not found");
  const isPublic = row.image.role !== "reference";
  if (!isPublic && !verifyLinkToken("reference-image", imageId, viewer.token, viewer.now) && !(await viewer.isAdmin())) {
    throw new HoldfastError("not_found", "That image was not found");
  }
  return new Response(new Uint8Array(row.bytes), {
    headers: {
      "content-type": VARIANT_CONTENT_TYPES[variant.format],
      "content-length": String(row.bytes.length),
      "cache-control": isPublic ? "public, max-age=31536000, immutable" : "private, max-age=3600",
      "x-content-type-options": "nosniff",
      // A customer's photo, opened from a signed link, must not leak that link onward.
      ...(isPublic ? {} : { "referrer-policy": "no-referrer" }),
      "content-disposition": "inline",
    },
  });
}
