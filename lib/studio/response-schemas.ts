/** What the public studio routes answer, as zod schemas for GET /api/openapi.json. */
import { z } from "@/lib/zod";

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
          deposit: z
            .strictObject({ amountCents: z.number().int(), currency: z.string() })
            .nullable()
            .meta({ description: "Paid when booking (Stripe Checkout, or as the studio says in the manual mode); null = none." }),
          needs: z
            .array(z.strictObject({ kind: z.string() }))
            .meta({ description: "Kinds of resource (room, station) booked with the artist, one of each; empty when nothing." }),
        }),
      ),
    }),
  ),
});
