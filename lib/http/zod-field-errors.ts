import type { z } from "@/lib/zod";

/**
 * Field errors keyed by dotted path: `{ "customer.email": ["Enter a valid email"] }`. Its own
 * module because client components use it too, and lib/http/error-response.ts is server-only
 * (it logs), which must not pull the logger into a browser bundle.
 */
export function zodFieldErrors(error: z.ZodError): Record<string, string[]> {
  const fields: Record<string, string[]> = {};
  for (const issue of error.issues) {
    const key = issue.path.length ? issue.path.join(".") : "_";
    (fields[key] ??= []).push(issue.message);
  }
  return fields;
}
