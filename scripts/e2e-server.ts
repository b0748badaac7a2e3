/**
 * The server Playwright tests run against: a production build on a fresh embedded database in a
 * temporary folder, seeded with the demo studio, with a real SMTP peer whose inbox the tests read
 * over a small loopback HTTP endpoint. Everything is removed when Playwright stops it.
 */
process.env.TZ = "UTC";
import { mkdtemp, rm, writeFile, mkdir } from "node:fs/promises";
import http from "node:http";
import os from "node:os";
import path from "node:path";
import { startFakeStripe } from "@/tests/support/fake-stripe";
import { startSmtpPeer } from "@/tests/support/smtp-peer";
import { ensureBuild } from "./ensure-build";
import { prepareRuntime } from "./prepare-runtime";
import { serve } from "./serve";

async function main() {
  const port = process.env.E2E_PORT ?? "3100";
  const mailPort = Number(process.env.E2E_MAIL_PORT ?? "3101");
  const dataDir = await mkdtemp(path.join(os.tmpdir(), "holdfast-e2e-"));
  const smtp = await startSmtpPeer();
  // Deposits (tests/e2e/deposits.spec.ts): a Stripe-compatible fake whose "Pay" button sends the signed webhook here.
  const stripe = await startFakeStripe({ webhookUrl: `http://127.0.0.1:${port}/api/webhooks/stripe` });
  Object.assign(process.env, {
    STRIPE_SECRET_KEY: stripe.secretKey,
    STRIPE_WEBHOOK_SECRET: stripe.webhookSecret,
    STRIPE_API_BASE: stripe.url,
    PORT: port,
    HOST: "127.0.0.1",
    APP_URL: `http://127.0.0.1:${port}`,
    HOLDFAST_DATA_DIR: dataDir,
    SMTP_URL: smtp.url,
    ADMIN_EMAIL: "admin@holdfast.test",
    ADMIN_PASSWORD: "e2e-admin-password",
    HOLDFAST_SEED_DEMO: "on",
    // tests/e2e/admin-calendars.spec.ts calls the Nextcloud webhook with this secret.
    NEXTCLOUD_WEBHOOK_SECRET: "e2e-nextcloud-webhook-secret",
    // Tests act as many different customers from one machine; they say who they are per request.
    TRUST_PROXY: "true",
    // Warnings and errors only: the CI log shows what went wrong, not every job done (LOG_LEVEL=info to see them).
    LOG_LEVEL: process.env.LOG_LEVEL ?? "warn",
  });
  delete process.env.DATABASE_URL;

  if (process.env.HOLDFAST_SKIP_BUILD !== "1") ensureBuild();
  const runtime = await prepareRuntime({ fastDatabase: true, quiet: true });
  const server = await serve({ tickMs: 5_000 });

  const inbox = http.createServer((req, res) => {
    res.setHeader("content-type", "application/json");
    res.end(JSON.stringify(smtp.received.map((m) => ({ to: m.to, subject: m.subject, text: m.text, messageId: m.messageId }))));
  });
  await new Promise<void>((resolve) => inbox.listen(mailPort, "127.0.0.1", resolve));

  await mkdir(".tmp", { recursive: true });
  await writeFile(
    `.tmp/e2e-runtime-${port}.json`,
    JSON.stringify({ databaseUrl: process.env.DATABASE_URL, appUrl: server.url, mailUrl: `http://127.0.0.1:${mailPort}` }),
  );
  console.log(`e2e server ready at ${server.url}`);

  const stop = async () => {
    await server.stop().catch(() => undefined);
    inbox.close();
    await smtp.stop().catch(() => undefined);
    await stripe.stop().catch(() => undefined);
    await runtime.embedded?.stop().catch(() => undefined);
    await rm(dataDir, { recursive: true, force: true }).catch(() => undefined);
    process.exit(0);
  };
  process.on("SIGINT", () => void stop());
  process.on("SIGTERM", () => void stop());
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
