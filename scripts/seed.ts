import { closeDb, getDb } from "@/db/client";
import { seedDemoStudio, seedReturningCustomer } from "@/db/seed";
import { readEnv } from "@/lib/env";

// `npm run db:seed`: adds the demo studio to DATABASE_URL (idempotent).
if (!process.env.DATABASE_URL) {
  console.error("Set DATABASE_URL (npm start seeds the embedded Postgres by itself).");
  process.exit(1);
}
const env = readEnv(["APP_TZ", "ADMIN_EMAIL"]);
await seedDemoStudio(getDb(), { timezone: env.APP_TZ, studioEmail: env.ADMIN_EMAIL ?? "studio@holdfast.local" });
await seedReturningCustomer(getDb());
await closeDb();
console.log("Demo studio seeded.");
