import { createHash, createHmac, randomBytes, timingSafeEqual } from "node:crypto";
import { getEnv } from "@/lib/env";

/** What a manage token is made from: the booking's id, its end and its rotatable secret. */
export type ManageLinkBooking = { id: string; endsAt: Date; manageSecret: string };

/** The signing key and link lifetime; the defaults come from lib/env (tests pass their own). */
export type ManageTokenConfig = { secret: string; daysAfterEnd: number };

function configFromEnv(): ManageTokenConfig {
  const env = getEnv();
  return { secret: env.AUTH_SECRET, daysAfterEnd: env.MANAGE_LINK_DAYS_AFTER_END };
}

/**
 * Secrets written by rotateManageLink start with this; the column's default (32 hex digits) never
 * does. It tells "never rotated" apart without another column, for the pre-expiry tokens below.
 */
export const ROTATED_MANAGE_SECRET_PREFIX = "r.";

export function newRotatedManageSecret() {
  return `${ROTATED_MANAGE_SECRET_PREFIX}${randomBytes(24).toString("base64url")}`;
}

const DAY_MS = 86_400_000;
// "-" between the parts keeps the whole token in [A-Za-z0-9_-]: mail clients' linkifiers and
// `[\w-]+` patterns take it whole. The MAC has a fixed length, so the split is unambiguous.
const TOKEN_RE = /^(\d{1,12})-([A-Za-z0-9_-]{43})$/;
const LEGACY_TOKEN_RE = /^[A-Za-z0-9_-]{43}$/;

/** When a booking's manage links stop working: MANAGE_LINK_DAYS_AFTER_END days after it ends. */
export function manageLinkExpiry(endsAt: Date, daysAfterEnd: number) {
  return new Date(endsAt.getTime() + daysAfterEnd * DAY_MS);
}

function mac(secret: string, bookingId: string, manageSecret: string, expiresAtSeconds: number) {
  return createHmac("sha256", secret).update(`manage:v2\n${bookingId}\n${manageSecret}\n${expiresAtSeconds}`).digest("base64url");
}

function sameText(a: string, b: string) {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/**
 * The customer's private manage token: `<expiry, unix seconds>-<HMAC(AUTH_SECRET, booking id,
 * manage secret, expiry)>`. The expiry travels in the clear (the HMAC covers it), so nothing needs
 * storing; rotating the booking's secret revokes every token made so far.
 */
export function signManageToken(booking: ManageLinkBooking, config: ManageTokenConfig = configFromEnv()) {
  const expiresAt = Math.floor(manageLinkExpiry(booking.endsAt, config.daysAfterEnd).getTime() / 1000);
  return signManageTokenUntil(booking, expiresAt, config.secret);
}

/** The same with an explicit expiry (unix seconds): for tests of expired links. */
export function signManageTokenUntil(
  booking: Pick<ManageLinkBooking, "id" | "manageSecret">,
  expiresAtSeconds: number,
  secret: string = configFromEnv().secret,
) {
  return `${expiresAtSeconds}-${mac(secret, booking.id, booking.manageSecret, expiresAtSeconds)}`;
}

/**
 * Tokens from before expiry and rotation existed (a bare HMAC of the booking id) are in mails
 * already sent. Refusing them would greet every customer with an upcoming booking with "not
 * found" from the studio's own email, so they keep working on the same terms as new links (until
 * MANAGE_LINK_DAYS_AFTER_END days after the booking's end), but only while the booking's secret
 * was never rotated: an admin's rotation revokes them too. Nothing makes new ones, so support for
 * them can be deleted once every booking made before this release ended that long ago.
 */
function legacyTokenValid(booking: ManageLinkBooking, token: string, config: ManageTokenConfig, now: Date) {
  if (booking.manageSecret.startsWith(ROTATED_MANAGE_SECRET_PREFIX)) return false;
  if (now.getTime() >= manageLinkExpiry(booking.endsAt, config.daysAfterEnd).getTime()) return false;
  const expected = createHmac("sha256", config.secret).update(`manage:${booking.id}`).digest("base64url");
  return sameText(expected, token);
}

/** Whether a token opens this booking's manage page at `now`: right signature, current secret, not expired. */
export function verifyManageToken(
  booking: ManageLinkBooking,
  token: string | null | undefined,
  now: Date = new Date(),
  config: ManageTokenConfig = configFromEnv(),
) {
  if (!token) return false;
  const match = TOKEN_RE.exec(token);
  if (!match) return LEGACY_TOKEN_RE.test(token) && legacyTokenValid(booking, token, config, now);
  const expiresAtSeconds = Number(match[1]);
  if (!sameText(mac(config.secret, booking.id, booking.manageSecret, expiresAtSeconds), match[2]!)) return false;
  return now.getTime() < expiresAtSeconds * 1000;
}

export function manageUrl(appUrl: string, booking: ManageLinkBooking) {
  return `${appUrl}/bookings/${booking.id}?token=${signManageToken(booking)}`;
}

/** Hold tokens are random and stored only as a hash: a leaked database cannot submit holds. */
export function newHoldToken() {
  const token = randomBytes(24).toString("base64url");
  return { token, hash: hashHoldToken(token) };
}

export function hashHoldToken(token: string) {
  return createHash("sha256").update(token).digest("hex");
}

export function holdTokenMatches(token: string, hash: string | null) {
  if (!hash) return false;
  const a = Buffer.from(hashHoldToken(token));
  const b = Buffer.from(hash);
  return a.length === b.length && timingSafeEqual(a, b);
}
