import { z } from "zod";
import { HoldfastError } from "@/lib/errors";

/** Field errors keyed by dotted path: `{ "customer.email": ["Enter a valid email"] }`. */
export function zodFieldErrors(error: z.ZodError): Record<string, string[]> {
  const fields: Record<string, string[]> = {};
  for (const issue of error.issues) {
    const key = issue.path.length ? issue.path.join(".") : "_";
    (fields[key] ??= []).push(issue.message);
  }
  return fields;
}

export function jsonError(status: number, body: { code: string; message: string; fields?: Record<string, string[]>; [k: string]: unknown }, headers: Record<string, string> = {}) {
  return Response.json({ error: body }, { status, headers: { "cache-control": "no-store", ...headers } });
}

/** Every failure leaves as `{ error: { code, message, fields? } }`; unknown errors never leak internals. */
export function errorToResponse(err: unknown): Response {
  if (err instanceof HoldfastError) {
    return jsonError(err.status, { code: err.code, message: err.message, ...(err.fields ? { fields: err.fields } : {}), ...(err.details ?? {}) }, err.headers);
  }
  if (err instanceof z.ZodError) {
    return jsonError(400, { code: "invalid_input", message: "Some fields are not valid", fields: zodFieldErrors(err) });
  }
  const id = crypto.randomUUID();
  console.error(`[http] unexpected error ${id}:`, err);
  return jsonError(500, { code: "internal", message: `Something went wrong on our side (reference ${id})` });
}
