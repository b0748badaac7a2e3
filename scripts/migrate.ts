import { migrateDatabase } from "@/db/migrate";

// `npm run db:migrate`: applies the job queue's schema and db/migrations to DATABASE_URL.
const url = process.env.DATABASE_URL;
if (!url) {
  console.error("Set DATABASE_URL (npm start migrates the embedded Postgres by itself).");
  process.exit(1);
}
await migrateDatabase(url);
console.log("Database is up to date.");
