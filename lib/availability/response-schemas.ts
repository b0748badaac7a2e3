/** What GET /api/availability answers, as a zod schema for GET /api/openapi.json. */
import { z } from "@/lib/zod";
import { instantSchema } from "@/lib/http/response-schemas";

export const availabilityResponseSchema = z.strictObject({
  timezone: z.string().meta({ description: "The artist's IANA zone; `from` and `to` are dates in it." }),
  timezoneLabel: z.string(),
  artist: z.strictObject({ id: z.uuid(), slug: z.string(), name: z.string(), timezone: z.string() }),
  service: z.strictObject({ id: z.uuid(), slug: z.string(), name: z.string(), durationMinutes: z.number().int() }),
  slots: z.array(z.strictObject({ start: instantSchema, end: instantSchema })),
});
