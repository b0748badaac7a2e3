/** What the public studio routes answer, as zod schemas for GET /api/openapi.json. */
import { z } from "zod";

/** ArtistWithServices (lib/studio/list-artists.ts). */
export const artistsResponseSchema = z.strictObject({
  artists: z.array(
    z.strictObject({
      id: z.uuid(),
      slug: z.string(),
      name: z.string(),
      bio: z.string(),
      timezone: z.string(),
      services: z.array(
        z.strictObject({
          id: z.uuid(),
          slug: z.string(),
          name: z.string(),
          description: z.string(),
          durationMinutes: z.number().int(),
          priceCents: z.number().int(),
          currency: z.string(),
          autoConfirm: z.boolean(),
        }),
      ),
    }),
  ),
});
