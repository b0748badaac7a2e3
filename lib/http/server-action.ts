import { headers } from "next/headers";
import { z } from "@/lib/zod";
import { HoldfastError } from "@/lib/errors";
import { clientInfo, type ClientInfo } from "./client-info";
import { describeError } from "./error-response";
import { zodFieldErrors } from "./zod-field-errors";

/**
 * What a server action hands back to the browser. Server actions cannot throw meaningful errors
 * to the client (production builds mask them), so failures travel as data, in the same shape as
 * the public API's error bodies: `{ code, message, fields?, alternatives? }`.
 */
export type ActionError = {
  code: string;
  message: string;
  fields?: Record<string, string[]>;
  alternatives?: { start: string; end: string }[];
  retryAfterSeconds?: number;
};
export type ActionResult<T> = { ok: true; data: T } | { ok: false; error: ActionError };

/** The caller's address and user agent, by the one rule the route handlers use too (see clientIpFromHeaders). */
export async function actionClientInfo(): Promise<ClientInfo> {
  return clientInfo({ headers: await headers() });
}

function toActionError(err: unknown): ActionError {
  const { body } = describeError(err, "action");
  return {
    code: body.code,
    message: body.message,
    ...(body.fields ? { fields: body.fields } : {}),
    ...(Array.isArray(body.alternatives) ? { alternatives: body.alternatives as ActionError["alternatives"] } : {}),
    ...(typeof body.retryAfterSeconds === "number" ? { retryAfterSeconds: body.retryAfterSeconds } : {}),
  };
}

/** Runs a server action body and turns every failure into an `ActionError`. */
export async function runAction<T>(fn: () => Promise<T>): Promise<ActionResult<T>> {
  try {
    return { ok: true, data: await fn() };
  } catch (err) {
    return { ok: false, error: toActionError(err) };
  }
}

/** Validates untrusted action input with a zod schema; a failure becomes a 400-style `invalid_input` with field errors. */
export function parseActionInput<T extends z.ZodType>(schema: T, input: unknown): z.output<T> {
  const parsed = schema.safeParse(input);
  if (!parsed.success) throw new HoldfastError("invalid_input", "Some fields are not valid", { fields: zodFieldErrors(parsed.error) });
  return parsed.data;
}
