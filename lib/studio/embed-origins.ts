import { getDb } from "@/db/client";
import { getStudioSettings } from "./studio-settings";

/*
 * The sites the studio allows to frame its booking page (studio_settings.embedOrigins), for the
 * proxy's Content-Security-Policy. The proxy asks on every booking page, so the list is kept for a
 * few seconds; a save in Studio setup forgets it at once (the cache lives on globalThis, which the
 * proxy and the app's server code share in one process; another process sees it within TTL_MS).
 */
const TTL_MS = 10_000;
type Cache = { origins: string[]; at: number } | null;
const holder = ((globalThis as Record<string, unknown>).__holdfastEmbedOrigins ??= { cache: null }) as { cache: Cache };

/** The listed origins; an unreadable database means none (framing refused), never "anyone". */
export async function embedOriginsForFraming(now = Date.now()): Promise<string[]> {
  if (holder.cache && now - holder.cache.at < TTL_MS) return holder.cache.origins;
  try {
    const origins = (await getStudioSettings(getDb())).embedOrigins;
    holder.cache = { origins, at: now };
    return origins;
  } catch (err) {
    console.error("[embed] could not read the embed origins; framing stays refused:", (err as Error).message);
    return [];
  }
}

export function forgetEmbedOrigins() {
  holder.cache = null;
}
