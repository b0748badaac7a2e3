/**
 * The one error type of the domain. Every failure a caller should see carries a stable `code`;
 * the HTTP layer maps codes to statuses and renders `{ error: { code, message, fields? } }`.
 */
export const errorStatusByCode = {
  invalid_input: 400,
  /** Input the database itself could not take (a NUL byte, an impossible date): never a 500. */
  bad_request: 400,
  invalid_json: 400,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  method_not_allowed: 405,
  slot_taken: 409,
  /** The artist is free but no suitable room or station is (issue 13). */
  no_room_free: 409,
  stale_version: 409,
  invalid_transition: 409,
  hold_expired: 409,
  already_submitted: 409,
  idempotency_conflict: 409,
  cancellation_window_passed: 409,
  payload_too_large: 413,
  unsupported_media_type: 415,
  not_bookable: 422,
  rate_limited: 429,
  internal: 500,
  not_configured: 503,
  unavailable: 503,
} as const;

export type ErrorCode = keyof typeof errorStatusByCode;
export type FieldErrors = Record<string, string[]>;

export class HoldfastError extends Error {
  readonly code: ErrorCode;
  readonly fields?: FieldErrors;
  /** Extra JSON merged into the error body (e.g. alternatives, the current booking). */
  readonly details?: Record<string, unknown>;
  readonly headers?: Record<string, string>;

  constructor(
    code: ErrorCode,
    message: string,
    opts: { fields?: FieldErrors; details?: Record<string, unknown>; headers?: Record<string, string>; cause?: unknown } = {},
  ) {
    super(message, { cause: opts.cause });
    this.name = "HoldfastError";
    this.code = code;
    this.fields = opts.fields;
    this.details = opts.details;
    this.headers = opts.headers;
  }

  get status(): number {
    return errorStatusByCode[this.code];
  }
}

export const notFound = (what: string) => new HoldfastError("not_found", `${what} was not found`);
export const invalidInput = (fields: FieldErrors, message = "Some fields are not valid") => new HoldfastError("invalid_input", message, { fields });
