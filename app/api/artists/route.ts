import { defineRoute } from "@/lib/http/define-route";
import { listArtists } from "@/lib/studio/list-artists";
import { artistsResponseSchema } from "@/lib/studio/response-schemas";

export const dynamic = "force-dynamic";

export const GET = defineRoute(
  {
    method: "GET",
    path: "/api/artists",
    auth: "public",
    tags: ["booking"],
    summary: "Active artists and the active services each offers (with the artist's price and duration)",
    responses: { 200: artistsResponseSchema },
  },
  async ({ db }) => Response.json({ artists: await listArtists(db) }),
);
