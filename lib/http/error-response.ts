import { z } from "@/lib/zod";
import { HoldfastError } from "@/lib/errors";
import { childLogger } from "@/lib/log/logger";
import { zodFieldErrors } from "./zod-field-errors";

const log = childLogger("http");

export function jsonError(
  status: number,
  body: { code: string; message: string; fields?: Record<string, string[]>; [k: string]: unknown },
  headers: Record<string, string> = {},
) {
  return Response.json({ error: body }, { status, headers: { "cache-control": "no-store", ...headers } });
}

export type ErrorBody = { code: string; message: string; fields?: Record<string, string[]>; [k: string]: unknown };

/**
 * The one mapping from a thrown error to what the caller is told, shared by route handlers
 * (errorToResponse) and server actions (runAction): the same error gives the same code and
 * message either way, and unknown errors never leak internals.
 */
export function describeError(err: unknown, source: "http" | "action"): { status: number; body: ErrorBody; headers?: Record<string, string> } {
  if (err instanceof HoldfastError) {
    return {
      status: err.status,
      body: { code: err.code, message: err.message, ...(err.fields ? { fields: err.fields } : {}), ...(err.details ?? {}) },
      headers: err.headers,
    };
  }
  if (err instanceof z.ZodError) {
    return { status: 400, body: { code: "invalid_input", message: "Some fields are not valid", fields: zodFieldErrors(err) } };
  }
  if (badInputSqlState(err)) {
    return {
      status: 400,
      body: {
        code: "bad_request",
        message: "The request holds a value the server cannot store or compare (a control character, or a date or number out of range)",
      },
    };
  }
  const id = crypto.randomUUID();
  // One JSON line like every other (the log-safe cause: no failed query's params, no customer's address).
  log.error({ source, reference: id, err }, "unexpected error");
  return { status: 500, body: { code: "internal", message: `Something went wrong on our side (reference ${id}). Please try again.` } };
}

/** Every failure leaves as `{ error: { code, message, fields? } }`. */
export function errorToResponse(err: unknown): Response {
  const { status, body, headers } = describeError(err, "http");
  return jsonError(status, body, headers);
}

/**
 * SQLSTATEs Postgres raises for a value it cannot take, which only bad input produces: 22021
 * (a NUL byte or broken UTF-8), 22P02 (invalid text for a uuid/number), 22008 (a timestamp out of
 * range), 22007 (an unparsable date/time), 22003 (a number out of range). The validation in front
 * of the database should already refuse these; this is the net under it, so they are a 400 and
 * never a 500 that hints at the SQL.
 */
const BAD_INPUT_SQLSTATES = new Set(["22021", "22P02", "22008", "22007", "22003"]);

function badInputSqlState(err: unknown): string | undefined {
  let current: unknown = err;
  for (let depth = 0; current && typeof current === "object" && depth < 4; depth += 1) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === "string" && BAD_INPUT_SQLSTATES.has(code)) return code;
    current = (current as { cause?: unknown }).cause;
  }
  return undefined;
}
