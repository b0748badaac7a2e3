import { createHmac } from "node:crypto";
import { describe, expect, it } from "vitest";
import { newRotatedManageSecret, signManageToken, signManageTokenUntil, verifyManageToken } from "@/lib/auth/booking-token";
import { mailboxKey } from "@/lib/auth/email-address";

const config = { secret: "unit-test-secret-unit-test-secret-0123456789", daysAfterEnd: 30 };
const endsAt = new Date("2031-03-10T11:00:00Z");
const booking = { id: "0b6f2c1e-4d1a-4f57-9a3e-5d0c6e7f8a90", endsAt, manageSecret: "0123456789abcdef0123456789abcdef" };
const day = 86_400_000;

// If these fail, a customer's link either stops working too early or works for ever (and an
// admin's rotation does not revoke it).
describe("manage tokens: <expiry>-<HMAC(secret, booking id, manage secret, expiry)>", () => {
  it("carries its expiry (booking end + MANAGE_LINK_DAYS_AFTER_END days) in clear, URL-safe text", () => {
    const token = signManageToken(booking, config);
    expect(token).toMatch(/^\d+-[A-Za-z0-9_-]{43}$/);
    // The e2e suite and mail linkifiers read links with `[\w-]+`: the token must be all of it.
    expect(/token=[\w-]+/.exec(`https://x.test/bookings/1?token=${token}`)?.[0]).toBe(`token=${token}`);
    expect(Number(token.slice(0, token.indexOf("-"))) * 1000).toBe(endsAt.getTime() + 30 * day);
  });

  it("opens the booking until its expiry and not a second after", () => {
    const token = signManageToken(booking, config);
    expect(verifyManageToken(booking, token, new Date(endsAt.getTime() + 30 * day - 1000), config)).toBe(true);
    expect(verifyManageToken(booking, token, new Date(endsAt.getTime() + 30 * day), config)).toBe(false);
  });

  it("refuses a token whose expiry was pushed forward by hand (the HMAC covers it)", () => {
    const token = signManageToken(booking, config);
    const exp = token.slice(0, token.indexOf("-"));
    const mac = token.slice(token.indexOf("-") + 1);
    const forged = `${Number(exp) + 365 * 86_400}-${mac}`;
    expect(verifyManageToken(booking, forged, new Date(endsAt.getTime() + 31 * day), config)).toBe(false);
  });

  it("is revoked by a new manage secret, and is bound to its booking and the server's key", () => {
    const token = signManageToken(booking, config);
    const now = new Date("2031-03-01T00:00:00Z");
    expect(verifyManageToken({ ...booking, manageSecret: newRotatedManageSecret() }, token, now, config)).toBe(false);
    expect(verifyManageToken({ ...booking, id: "0b6f2c1e-4d1a-4f57-9a3e-5d0c6e7f8a91" }, token, now, config)).toBe(false);
    expect(verifyManageToken(booking, token, now, { ...config, secret: "another-secret-another-secret-0123456789" })).toBe(false);
    expect(verifyManageToken(booking, signManageTokenUntil(booking, Math.floor(now.getTime() / 1000) - 1, config.secret), now, config)).toBe(false);
  });

  it("refuses garbage without throwing", () => {
    for (const token of ["", "abc", "1-2", `${"9".repeat(20)}-${"A".repeat(43)}`, "x".repeat(5000), "1767225600-", null, undefined]) {
      expect(verifyManageToken(booking, token, new Date("2031-03-01T00:00:00Z"), config)).toBe(false);
    }
  });

  it("still accepts an old-format link from mails already sent, until end + 30 days, while the secret was never rotated", () => {
    const legacy = createHmac("sha256", config.secret).update(`manage:${booking.id}`).digest("base64url");
    expect(verifyManageToken(booking, legacy, new Date(endsAt.getTime() + 29 * day), config)).toBe(true);
    expect(verifyManageToken(booking, legacy, new Date(endsAt.getTime() + 30 * day), config)).toBe(false);
    expect(verifyManageToken({ ...booking, manageSecret: newRotatedManageSecret() }, legacy, new Date(endsAt.getTime() - day), config)).toBe(false);
  });
});

// If this fails, `+tag` variants of one inbox each get their own allowance of sign-in mails.
describe("mailboxKey", () => {
  it("drops +tags and case, and nothing else", () => {
    expect(mailboxKey("a+1@x.test")).toBe("a@x.test");
    expect(mailboxKey(" A+2@X.TEST ")).toBe("a@x.test");
    expect(mailboxKey("first.last@x.test")).toBe("first.last@x.test");
    expect(mailboxKey("+only@x.test")).toBe("+only@x.test");
  });
});
