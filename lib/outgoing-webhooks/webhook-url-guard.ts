/**
 * Where an outgoing webhook may be sent: the CalDAV SSRF guard (lib/caldav/outbound-guard.ts),
 * with the address rule on by default. An admin types the URL and sees each answer's status in
 * the delivery log, so without it the app would be a probe of the studio's own network. Unlike
 * CalDAV (often Nextcloud on the same machine), a webhook receiver is normally out on the
 * internet: loopback, private and link-local addresses are refused unless the host is listed in
 * WEBHOOK_ALLOWED_PRIVATE_HOSTS. The name is resolved at every delivery and the socket connects
 * only to the checked addresses (no DNS rebinding between the check and the connect).
 */
import { checkOutboundUrl, normalizeHostname, OutboundRefusal, type HostResolver, type OutboundPolicy, type OutboundTarget } from "@/lib/caldav/outbound-guard";
import { readEnv, type EnvSource } from "@/lib/env";

/** The policy for one URL's host: private addresses only for the allow-listed hosts. */
export function webhookPolicyFor(url: URL, source?: EnvSource): OutboundPolicy {
  const allowed = readEnv(["WEBHOOK_ALLOWED_PRIVATE_HOSTS"], source).WEBHOOK_ALLOWED_PRIVATE_HOSTS.map(normalizeHostname);
  return { allowedHosts: [], blockPrivate: !allowed.includes(normalizeHostname(url.hostname)) };
}

/** Why a typed URL can never be a webhook endpoint (a field error), or null. Checks the form only; no DNS. */
export function webhookUrlFormProblem(value: string): string | null {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return "must be a URL like https://hooks.example.com/holdfast";
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") return "must start with https:// (or http://)";
  if (url.username || url.password) return "must not contain a username or password";
  if (!url.hostname) return "must name a server";
  return null;
}

/** The guard refused; nothing was sent. The message names the variable that would allow it. */
export class WebhookUrlRefused extends Error {
  constructor(message: string) {
    super(message);
    this.name = "WebhookUrlRefused";
  }
}

/**
 * Checks the URL against the policy and resolves it. Throws WebhookUrlRefused when the policy
 * forbids it, and the resolver's own error (ENOTFOUND, …) when the name does not resolve.
 */
export async function checkWebhookUrl(url: URL, opts: { resolver?: HostResolver; signal?: AbortSignal; source?: EnvSource } = {}): Promise<OutboundTarget> {
  const formProblem = webhookUrlFormProblem(url.href);
  if (formProblem) throw new WebhookUrlRefused(`The URL ${formProblem}`);
  try {
    return await checkOutboundUrl(url, webhookPolicyFor(url, opts.source), { resolver: opts.resolver, signal: opts.signal });
  } catch (err) {
    if (err instanceof OutboundRefusal) {
      throw new WebhookUrlRefused(
        `${err.host} is a loopback, private or link-local address; webhooks go there only when WEBHOOK_ALLOWED_PRIVATE_HOSTS lists ${err.host}`,
      );
    }
    throw err;
  }
}
