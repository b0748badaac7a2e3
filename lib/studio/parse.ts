import type { z } from "@/lib/zod";
import { HoldfastError } from "@/lib/errors";
import { zodFieldErrors } from "@/lib/http/zod-field-errors";

/** Validates input for a studio write; a failure is `invalid_input` with messages per field. */
export function parseOrThrow<T extends z.ZodType>(schema: T, input: unknown): z.output<T> {
  const parsed = schema.safeParse(input);
  if (!parsed.success) throw new HoldfastError("invalid_input", "Some fields are not valid", { fields: zodFieldErrors(parsed.error) });
  return parsed.data;
}
