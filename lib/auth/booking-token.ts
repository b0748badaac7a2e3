import { createHash, createHmac, randomBytes, timingSafeEqual } from "node:crypto";

function secret() {
  const value = process.env.AUTH_SECRET;
  if (!value || value.length < 32) throw new Error("AUTH_SECRET must be set (32+ characters) to sign customer links");
  return value;
}

/** The customer's private manage token: an HMAC of the booking id, so nothing needs storing. */
export function signBookingToken(bookingId: string) {
  return createHmac("sha256", secret()).update(`manage:${bookingId}`).digest("base64url");
}

export function verifyBookingToken(bookingId: string, token: string | null | undefined) {
  if (!token) return false;
  const expected = Buffer.from(signBookingToken(bookingId));
  const given = Buffer.from(token);
  return expected.length === given.length && timingSafeEqual(expected, given);
}

export function manageUrl(appUrl: string, bookingId: string) {
  return `${appUrl}/bookings/${bookingId}?token=${signBookingToken(bookingId)}`;
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
