/**
 * Which pages the studio's own site may show in a frame (the embed, public/embed.js): the booking
 * flow and the artist pages that lead to it. Everything after it (confirmation, checkout, the
 * customer's manage link) opens at the top level. Browser-safe: the proxy and the framed page's
 * bridge both use it.
 */
export function isEmbeddablePath(pathname: string): boolean {
  return pathname.startsWith("/book/") || pathname.startsWith("/artists/");
}

/** The messages the framed page sends to public/embed.js (which repeats these names). */
export const EMBED_MESSAGE = { height: "holdfast:height", open: "holdfast:open" } as const;

/** An origin from the `parent` query parameter, or null when it is not one. */
export function parentOriginOf(value: string | null | undefined): string | null {
  if (!value) return null;
  try {
    const url = new URL(value);
    return (url.protocol === "https:" || url.protocol === "http:") && url.origin === value ? url.origin : null;
  } catch {
    return null;
  }
}
