/** An email address as Holdfast stores and compares it: NFKC, trimmed, lower-case. */
export function normalizeEmail(email: string) {
  return email.normalize("NFKC").trim().toLowerCase();
}

/**
 * The mailbox behind an address, for rate limits only: case-insensitive and without a `+tag`
 * (`A+2@X.test` and `a+1@x.test` are both `a@x.test`), since most mail providers deliver every
 * sub-address to the same inbox. Never used to find an account or to address a mail.
 */
export function mailboxKey(email: string) {
  const normalized = normalizeEmail(email);
  const at = normalized.lastIndexOf("@");
  if (at <= 0) return normalized;
  const local = normalized.slice(0, at);
  const untagged = local.split("+")[0] || local;
  return `${untagged}@${normalized.slice(at + 1)}`;
}
