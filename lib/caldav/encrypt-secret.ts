/**
 * CalDAV app passwords at rest: AES-256-GCM under ENCRYPTION_KEY. The stored form is
 * `v1:<iv>:<tag>:<ciphertext>` (base64url), so a later key rotation can tell versions apart.
 * Nothing here logs or echoes a secret, and error messages never contain one.
 */
import { createCipheriv, createDecipheriv, createHash, hkdfSync, randomBytes } from "node:crypto";
import { readEnv } from "@/lib/env";
import { HoldfastError } from "@/lib/errors";

const VERSION = "v1";
const IV_BYTES = 12;
const TAG_BYTES = 16;
// Binds derived keys to this use, so the same ENCRYPTION_KEY reused elsewhere yields another key.
const HKDF_INFO = "holdfast caldav app password v1";

/**
 * A 32-byte key: ENCRYPTION_KEY itself when it is 32 bytes of base64 (what `npm start`
 * generates), otherwise HKDF-SHA256 of the string, so any long random passphrase also works.
 */
function keyFrom(raw: string | undefined): Buffer {
  if (!raw) {
    throw new HoldfastError("not_configured", "ENCRYPTION_KEY is not set, so calendar passwords cannot be stored or read");
  }
  if (/^[A-Za-z0-9+/_-]{43}=?$/.test(raw)) {
    const decoded = Buffer.from(raw.replace(/-/g, "+").replace(/_/g, "/"), "base64");
    if (decoded.length === 32) return decoded;
  }
  const salt = createHash("sha256").update("holdfast").digest();
  return Buffer.from(hkdfSync("sha256", Buffer.from(raw, "utf8"), salt, HKDF_INFO, 32));
}

/** ENCRYPTION_KEY alone (readEnv): the CalDAV benchmark and unit tests have no DATABASE_URL, and a missing key must say so itself. */
function configuredKey(): string | undefined {
  return readEnv(["ENCRYPTION_KEY"]).ENCRYPTION_KEY;
}

export function encryptSecret(plaintext: string, key: string | undefined = configuredKey()): string {
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv("aes-256-gcm", keyFrom(key), iv);
  const ciphertext = Buffer.concat([cipher.update(plaintext, "utf8"), cipher.final()]);
  const tag = cipher.getAuthTag();
  return [VERSION, iv.toString("base64url"), tag.toString("base64url"), ciphertext.toString("base64url")].join(":");
}

export function decryptSecret(stored: string, key: string | undefined = configuredKey()): string {
  const [version, iv, tag, ciphertext, ...rest] = stored.split(":");
  if (version !== VERSION || !iv || !tag || ciphertext === undefined || rest.length > 0) {
    throw new HoldfastError("internal", "A stored calendar password is not in a format this version can read");
  }
  const ivBytes = Buffer.from(iv, "base64url");
  const tagBytes = Buffer.from(tag, "base64url");
  if (ivBytes.length !== IV_BYTES || tagBytes.length !== TAG_BYTES) {
    throw new HoldfastError("internal", "A stored calendar password is damaged");
  }
  try {
    const decipher = createDecipheriv("aes-256-gcm", keyFrom(key), ivBytes);
    decipher.setAuthTag(tagBytes);
    return Buffer.concat([decipher.update(Buffer.from(ciphertext, "base64url")), decipher.final()]).toString("utf8");
  } catch {
    // GCM's authentication failed: wrong key or tampered data. Say which without details.
    throw new HoldfastError("internal", "A stored calendar password cannot be decrypted (was ENCRYPTION_KEY changed?)");
  }
}
