import { createHmac, timingSafeEqual } from "node:crypto";
import { getEnv } from "@/lib/env";

/**
 * Signed, expiring links for what is not public (a customer's reference images and the booking's
 * intake page), made the way manage links are (lib/auth/booking-token.ts): `<expiry, unix
 * seconds>-<HMAC(AUTH_SECRET, purpose, subject, expiry)>`. Nothing is stored; the expiry travels
 * in the clear and is covered by the MAC. Each purpose has its own MAC input, so an image link
 * never opens the intake page and neither opens a booking's manage page.
 */
export type SignedLinkPurpose = "intake-page" | "reference-image";

const DAY_MS = 86_400_000;
/** How long after the appointment the artist's link to the intake answers keeps working. */
export const INTAKE_LINK_DAYS_AFTER_END = 30;
const TOKEN_RE = /^(\d{1,12})-([A-Za-z0-9_-]{43})$/;

function mac(secret: string, purpose: SignedLinkPurpose, subject: string, expiresAtSeconds: number) {
  return createHmac("sha256", secret).update(`${purpose}:v1\n${subject}\n${expiresAtSeconds}`).digest("base64url");
}

export function signLinkToken(purpose: SignedLinkPurpose, subject: string, expiresAt: Date, secret: string = getEnv().AUTH_SECRET): string {
  const seconds = Math.floor(expiresAt.getTime() / 1000);
  return `${seconds}-${mac(secret, purpose, subject, seconds)}`;
}

/** Whether `token` was signed for this purpose and subject and has not expired at `now`. */
export function verifyLinkToken(
  purpose: SignedLinkPurpose,
  subject: string,
  token: string | null | undefined,
  now: Date = new Date(),
  secret: string = getEnv().AUTH_SECRET,
): boolean {
  const match = token ? TOKEN_RE.exec(token) : null;
  if (!match) return false;
  const seconds = Number(match[1]);
  const a = Buffer.from(mac(secret, purpose, subject, seconds));
  const b = Buffer.from(match[2]!);
  if (a.length !== b.length || !timingSafeEqual(a, b)) return false;
  return now.getTime() < seconds * 1000;
}

/** When the artist's intake link of a booking stops working: 30 days after the appointment ends. */
export function intakeLinkExpiry(endsAt: Date): Date {
  return new Date(endsAt.getTime() + INTAKE_LINK_DAYS_AFTER_END * DAY_MS);
}

/** The page with a booking's intake answers and reference images, openable without signing in until the link expires. */
export function intakePageUrl(appUrl: string, booking: { id: string; endsAt: Date }): string {
  const token = signLinkToken("intake-page", booking.id, intakeLinkExpiry(booking.endsAt));
  return `${appUrl.replace(/\/+$/, "")}/media/intake/${booking.id}?token=${token}`;
}
