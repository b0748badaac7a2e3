import { closeDb, getDb } from "@/db/client";
import { seedDemoStudio } from "@/db/seed";

// `npm run db:seed`: adds the demo studio to DATABASE_URL (idempotent).
if (!process.env.DATABASE_URL) {
  console.error("Set DATABASE_URL (npm start seeds the embedded Postgres by itself).");
  process.exit(1);
}
await seedDemoStudio(getDb(), { timezone: process.env.APP_TZ ?? "Europe/Berlin", studioEmail: process.env.ADMIN_EMAIL ?? "studio@holdfast.local" });
await closeDb();
console.log("Demo studio seeded.");
