/** App passwords at rest: a database leak must not hand out the artists' calendars. */
import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { decryptSecret, encryptSecret } from "@/lib/caldav/encrypt-secret";

const key = randomBytes(32).toString("base64");

describe("encrypting calendar app passwords", () => {
  it("round-trips, and never stores the same ciphertext twice", () => {
    const a = encryptSecret("app-pass-123", key);
    const b = encryptSecret("app-pass-123", key);
    expect(a).not.toBe(b);
    expect(a).not.toContain("app-pass-123");
    expect(decryptSecret(a, key)).toBe("app-pass-123");
  });

  it("accepts any passphrase as ENCRYPTION_KEY (derived with HKDF)", () => {
    expect(decryptSecret(encryptSecret("pw", "a long passphrase, not base64"), "a long passphrase, not base64")).toBe("pw");
  });

  it("refuses a wrong key or tampered data without revealing anything", () => {
    const stored = encryptSecret("s3cret-value", key);
    expect(() => decryptSecret(stored, randomBytes(32).toString("base64"))).toThrow(/cannot be decrypted/);
    const parts = stored.split(":");
    parts[3] = Buffer.from("tampered").toString("base64url");
    expect(() => decryptSecret(parts.join(":"), key)).toThrow(/cannot be decrypted/);
    try {
      decryptSecret(stored, "wrong");
    } catch (err) {
      expect(String(err)).not.toContain("s3cret-value");
    }
  });

  it("says clearly when ENCRYPTION_KEY is missing", () => {
    expect(() => encryptSecret("pw", undefined)).toThrow(/ENCRYPTION_KEY/);
  });
});
