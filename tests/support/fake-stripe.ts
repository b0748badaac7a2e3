/**
 * A small Stripe-compatible server for tests (no machine here reaches Stripe). It implements
 * exactly what Holdfast calls: Checkout Sessions create / retrieve / expire and Refunds create,
 * honours Idempotency-Key like Stripe (same key, same answer), records every request, and can be
 * put into an outage (every API call answers 500). It also serves a checkout page whose "Pay"
 * button marks the session paid, sends the signed checkout.session.completed webhook to the app
 * (when `webhookUrl` is set) and redirects to the session's success_url, like Stripe would.
 * Webhooks are signed with the SDK's own helper, so the app's real verification runs on them.
 */
import { randomBytes } from "node:crypto";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import Stripe from "stripe";

export type FakeSession = {
  id: string;
  object: "checkout.session";
  status: "open" | "complete" | "expired";
  payment_status: "unpaid" | "paid";
  url: string | null;
  amount_total: number;
  currency: string;
  client_reference_id: string | null;
  customer_email: string | null;
  metadata: Record<string, string>;
  payment_intent: string | null;
  expires_at: number;
  success_url: string;
  cancel_url: string;
  mode: "payment";
  livemode: false;
};

export type FakeRequest = { method: string; path: string; params: Record<string, string>; idempotencyKey: string | null; answered: number };

export type FakeStripe = {
  url: string;
  secretKey: string;
  webhookSecret: string;
  sessions: Map<string, FakeSession>;
  refunds: { id: string; payment_intent: string; amount: number; metadata: Record<string, string> }[];
  requests: FakeRequest[];
  /** While true every API call answers 500 (the checkout page still works). */
  outage: boolean;
  /** Marks a session paid (as the customer's payment would) and returns its signed event. */
  pay(sessionId: string): SignedEvent;
  /** A signed event of any type around an object (a session, a charge). */
  event(type: string, object: unknown, id?: string): SignedEvent;
  /** Sends a signed event to `webhookUrl`. */
  deliver(event: SignedEvent): Promise<Response>;
  stop(): Promise<void>;
};

export type SignedEvent = { id: string; payload: string; signature: string };

const newId = (prefix: string) => `${prefix}_test_${randomBytes(12).toString("hex")}`;

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString("utf8");
}

function send(res: ServerResponse, status: number, body: unknown) {
  res.writeHead(status, { "content-type": "application/json" });
  res.end(JSON.stringify(body));
}

const stripeError = (res: ServerResponse, status: number, type: string, message: string) => send(res, status, { error: { type, message } });

export async function startFakeStripe(opts: { webhookUrl?: string; webhookSecret?: string; port?: number } = {}): Promise<FakeStripe> {
  const webhookSecret = opts.webhookSecret ?? `whsec_${randomBytes(16).toString("hex")}`;
  const sessions = new Map<string, FakeSession>();
  const refunds: FakeStripe["refunds"] = [];
  const requests: FakeRequest[] = [];
  const idempotent = new Map<string, { status: number; body: unknown }>();
  let base = "";

  const sign = (payload: string) => Stripe.webhooks.generateTestHeaderString({ payload, secret: webhookSecret });
  const event = (type: string, object: unknown, id = newId("evt")): SignedEvent => {
    const payload = JSON.stringify({
      id,
      object: "event",
      type,
      api_version: "2025-01-01",
      created: Math.floor(Date.now() / 1000),
      livemode: false,
      data: { object },
    });
    return { id, payload, signature: sign(payload) };
  };
  const pay = (sessionId: string): SignedEvent => {
    const session = sessions.get(sessionId);
    if (!session) throw new Error(`no session ${sessionId}`);
    if (session.status === "open") Object.assign(session, { status: "complete", payment_status: "paid", payment_intent: newId("pi"), url: null });
    return event("checkout.session.completed", session);
  };
  const deliver = (e: SignedEvent) => {
    if (!opts.webhookUrl) throw new Error("this fake Stripe has no webhookUrl");
    return fetch(opts.webhookUrl, { method: "POST", headers: { "content-type": "application/json", "stripe-signature": e.signature }, body: e.payload });
  };

  const api = (method: string, path: string, params: Record<string, string>): { status: number; body: unknown } => {
    if (method === "POST" && path === "/v1/checkout/sessions") {
      const id = newId("cs");
      const metadata: Record<string, string> = {};
      for (const [k, v] of Object.entries(params)) {
        const m = /^metadata\[(.+)\]$/.exec(k);
        if (m) metadata[m[1]!] = v;
      }
      const session: FakeSession = {
        id,
        object: "checkout.session",
        status: "open",
        payment_status: "unpaid",
        url: `${base}/pay/${id}`,
        amount_total: Number(params["line_items[0][price_data][unit_amount]"] ?? 0) * Number(params["line_items[0][quantity]"] ?? 1),
        currency: params["line_items[0][price_data][currency]"] ?? "eur",
        client_reference_id: params.client_reference_id ?? null,
        customer_email: params.customer_email ?? null,
        metadata,
        payment_intent: null,
        expires_at: Number(params.expires_at ?? Math.floor(Date.now() / 1000) + 86_400),
        success_url: params.success_url ?? "",
        cancel_url: params.cancel_url ?? "",
        mode: "payment",
        livemode: false,
      };
      if (session.expires_at * 1000 < Date.now() + 30 * 60_000 - 5_000) {
        return { status: 400, body: { error: { type: "invalid_request_error", message: "expires_at must be at least 30 minutes from now" } } };
      }
      sessions.set(id, session);
      return { status: 200, body: session };
    }
    const expire = /^\/v1\/checkout\/sessions\/([^/]+)\/expire$/.exec(path);
    if (method === "POST" && expire) {
      const session = sessions.get(expire[1]!);
      if (!session) return { status: 404, body: { error: { type: "invalid_request_error", message: "No such checkout.session" } } };
      if (session.status !== "open")
        return {
          status: 400,
          body: { error: { type: "invalid_request_error", message: `Only open sessions can be expired (this one is ${session.status})` } },
        };
      Object.assign(session, { status: "expired", url: null });
      return { status: 200, body: session };
    }
    const retrieve = /^\/v1\/checkout\/sessions\/([^/]+)$/.exec(path);
    if (method === "GET" && retrieve) {
      const session = sessions.get(retrieve[1]!);
      return session
        ? { status: 200, body: session }
        : { status: 404, body: { error: { type: "invalid_request_error", message: "No such checkout.session" } } };
    }
    if (method === "POST" && path === "/v1/refunds") {
      const paymentIntent = params.payment_intent;
      const paid = [...sessions.values()].find((s) => s.payment_intent === paymentIntent);
      if (!paid) return { status: 400, body: { error: { type: "invalid_request_error", message: "No such payment_intent" } } };
      const amount = Number(params.amount ?? paid.amount_total);
      const already = refunds.filter((r) => r.payment_intent === paymentIntent).reduce((sum, r) => sum + r.amount, 0);
      if (already + amount > paid.amount_total)
        return { status: 400, body: { error: { type: "invalid_request_error", message: "Refund is larger than the charge" } } };
      const metadata: Record<string, string> = {};
      for (const [k, v] of Object.entries(params)) {
        const m = /^metadata\[(.+)\]$/.exec(k);
        if (m) metadata[m[1]!] = v;
      }
      const refund = { id: newId("re"), object: "refund", payment_intent: paymentIntent!, amount, status: "succeeded", currency: paid.currency, metadata };
      refunds.push(refund);
      return { status: 200, body: refund };
    }
    return { status: 404, body: { error: { type: "invalid_request_error", message: `Unrecognized request URL (${method}: ${path})` } } };
  };

  const fake: FakeStripe = {
    url: "",
    secretKey: `sk_test_${randomBytes(12).toString("hex")}`,
    webhookSecret,
    sessions,
    refunds,
    requests,
    outage: false,
    pay,
    event,
    deliver,
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };

  const server: Server = createServer((req, res) => {
    void (async () => {
      const url = new URL(req.url ?? "/", base);
      const raw = await readBody(req);
      const page = /^\/pay\/([^/]+)$/.exec(url.pathname);
      if (page) {
        const session = sessions.get(page[1]!);
        if (!session) return stripeError(res, 404, "invalid_request_error", "No such checkout page");
        if (req.method === "POST") {
          const signed = pay(session.id);
          if (opts.webhookUrl) await deliver(signed).catch(() => undefined);
          res.writeHead(303, { location: session.success_url });
          return res.end();
        }
        res.writeHead(200, { "content-type": "text/html; charset=utf-8" });
        return res.end(
          `<!doctype html><html><head><title>Fake Stripe Checkout</title></head><body><h1>Fake Stripe Checkout</h1>` +
            `<p>Amount: <span data-testid="amount">${session.amount_total} ${session.currency.toUpperCase()}</span></p>` +
            (session.status === "open" ? `<form method="post"><button type="submit">Pay</button></form>` : `<p>This checkout is ${session.status}.</p>`) +
            `</body></html>`,
        );
      }
      const params = Object.fromEntries(new URLSearchParams(req.method === "GET" ? url.search : raw));
      const idempotencyKey = (req.headers["idempotency-key"] as string | undefined) ?? null;
      const record: FakeRequest = { method: req.method ?? "GET", path: url.pathname, params, idempotencyKey, answered: 0 };
      requests.push(record);
      if (fake.outage) {
        record.answered = 500;
        return stripeError(res, 500, "api_error", "The fake Stripe server is having an outage");
      }
      if (req.headers.authorization !== `Bearer ${fake.secretKey}`) {
        record.answered = 401;
        return stripeError(res, 401, "invalid_request_error", "Invalid API Key provided");
      }
      const cacheKey = idempotencyKey && req.method === "POST" ? `${url.pathname} ${idempotencyKey}` : null;
      const answer = (cacheKey && idempotent.get(cacheKey)) || api(req.method ?? "GET", url.pathname, params);
      if (cacheKey && answer.status < 500) idempotent.set(cacheKey, answer);
      record.answered = answer.status;
      send(res, answer.status, answer.body);
    })().catch((err) => {
      res.writeHead(500);
      res.end(String(err));
    });
  });
  await new Promise<void>((resolve) => server.listen(opts.port ?? 0, "127.0.0.1", () => resolve()));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  fake.url = base;
  return fake;
}
