/**
 * A tiny receiver for Holdfast's outgoing webhooks: verifies each message's Standard Webhooks
 * signature with the endpoint's secret and prints the event. A starting point for an integration
 * (forward to ntfy, Slack, Matrix…), and a way to see what Holdfast sends.
 *
 *   WEBHOOK_SECRET=whsec_… npx tsx scripts/example-webhook-receiver.ts
 *
 * Listens on 127.0.0.1:4455 (RECEIVER_HOST / RECEIVER_PORT change that). Without WEBHOOK_SECRET it
 * prints messages unverified, so you can register the endpoint first and restart with its secret.
 * Answers 204 to a verified message, 401 to one whose signature does not match (Holdfast retries
 * it), and remembers webhook-ids so a retried message is printed once.
 */
import http from "node:http";
import { Webhook, WebhookVerificationError } from "standardwebhooks";

const host = process.env.RECEIVER_HOST ?? "127.0.0.1";
const port = Number(process.env.RECEIVER_PORT ?? 4455);
const secret = process.env.WEBHOOK_SECRET;
const webhook = secret ? new Webhook(secret) : null;
const seen = new Set<string>();

const server = http.createServer((req, res) => {
  if (req.method !== "POST") {
    res.writeHead(405, { allow: "POST" }).end();
    return;
  }
  const chunks: Buffer[] = [];
  req.on("data", (chunk: Buffer) => chunks.push(chunk));
  req.on("end", () => {
    // Verify the exact bytes received: re-serialised JSON would not match the signature.
    const body = Buffer.concat(chunks).toString("utf8");
    const headers = Object.fromEntries(Object.entries(req.headers).map(([k, v]) => [k, Array.isArray(v) ? v.join(", ") : (v ?? "")]));
    let event: { type?: string; timestamp?: string; data?: unknown };
    try {
      event = webhook ? (webhook.verify(body, headers) as typeof event) : (JSON.parse(body) as typeof event);
    } catch (err) {
      const why = err instanceof WebhookVerificationError ? err.message : "not JSON";
      console.warn(`✗ refused ${headers["webhook-id"] ?? "(no webhook-id)"}: ${why}`);
      res.writeHead(err instanceof WebhookVerificationError ? 401 : 400).end();
      return;
    }
    const id = headers["webhook-id"] ?? "";
    if (seen.has(id)) {
      console.log(`↻ ${id} again (a retry); already handled`);
    } else {
      seen.add(id);
      console.log(`${webhook ? "✓" : "?"} ${event.type} ${id} at ${event.timestamp}${webhook ? "" : " (UNVERIFIED: set WEBHOOK_SECRET)"}`);
      console.log(JSON.stringify(event.data, null, 2));
    }
    res.writeHead(204).end();
  });
});

server.listen(port, host, () => {
  console.log(`Listening on http://${host}:${port}/ — register this URL under Admin → Webhooks.`);
  if (!webhook) console.log("No WEBHOOK_SECRET set: messages are printed without checking their signature.");
});
