import { withPublic } from "@/lib/http/route-handlers";
import { listArtists } from "@/lib/studio/list-artists";

export const dynamic = "force-dynamic";

export const GET = withPublic(async ({ db }) => Response.json({ artists: await listArtists(db) }));
