/**
 * Shapes every route shares in GET /api/openapi.json: the one error body and the instant format.
 * Domain answers have their schemas beside their domain (lib/<concern>/response-schemas.ts).
 */
import { z } from "@/lib/zod";
import { errorStatusByCode, type ErrorCode } from "@/lib/errors";

/** An instant as every answer writes it: `Date.toISOString()`, always UTC with a Z. */
export const instantSchema = z.iso.datetime();

/** A calendar date in some zone, `yyyy-MM-dd`. */
export const localDateSchema = z.iso.date();

export const errorCodeSchema = z.enum(Object.keys(errorStatusByCode) as [ErrorCode, ...ErrorCode[]]);

export const fieldErrorsSchema = z
  .record(z.string(), z.array(z.string()))
  .meta({ description: 'Messages per input, keyed by its dotted path ("customer.email"); "_" for the body as a whole.' });

/** `{error:{code, message, fields?}}`, the body of every failure (lib/http/error-response.ts). */
export const errorResponseSchema = z
  .strictObject({
    error: z.object({ code: errorCodeSchema, message: z.string(), fields: fieldErrorsSchema.optional() }).catchall(z.unknown()).meta({
      description:
        "Some codes carry more: `current` and `lastChange` (stale_version, invalid_transition on a booking), `alternatives` (slot_taken: free starts nearby), `reason` (a failed calendar connection test).",
    }),
  })
  .meta({ id: "ErrorResponse", description: "The one error shape: the code decides the status (lib/errors.ts)." });
