/**
 * Creates an admin (or artist) login, or resets one's password, on the database in DATABASE_URL:
 *
 *   DATABASE_URL=postgres://… npx tsx scripts/create-admin.ts --email you@studio.com [--name "Ana"] [--role artist] [--reset]
 *
 * The password comes from NEW_PASSWORD (at least 12 characters) or is generated and printed once.
 * Without --reset an existing user is left untouched; with it, all their sessions end.
 */
import { existsSync } from "node:fs";
import { parseArgs } from "node:util";
import { closeDb, getDb } from "@/db/client";
import { generatePassword, upsertStaffUser } from "@/lib/auth/staff-users";
import { HoldfastError } from "@/lib/errors";

if (existsSync(".env") && typeof process.loadEnvFile === "function") process.loadEnvFile(".env");

const { values } = parseArgs({
  options: { email: { type: "string" }, name: { type: "string" }, role: { type: "string", default: "admin" }, reset: { type: "boolean", default: false } },
});

if (!process.env.DATABASE_URL) {
  console.error("Set DATABASE_URL to the studio's Postgres (with the embedded database, set ADMIN_EMAIL/ADMIN_PASSWORD and start the app instead).");
  process.exit(1);
}
if (!values.email || (values.role !== "admin" && values.role !== "artist")) {
  console.error("Usage: npx tsx scripts/create-admin.ts --email you@studio.com [--name NAME] [--role admin|artist] [--reset]");
  process.exit(1);
}

const generated = !process.env.NEW_PASSWORD;
const password = process.env.NEW_PASSWORD ?? generatePassword();
try {
  const outcome = await upsertStaffUser(getDb(), { email: values.email, password, role: values.role, name: values.name, resetPassword: values.reset });
  if (outcome === "exists") {
    console.log(`${values.email} already exists; nothing changed (pass --reset to set a new password).`);
  } else {
    console.log(`${outcome === "created" ? "Created" : "Updated"} ${values.role} ${values.email}.`);
    if (outcome === "updated") console.log("Every session of this user has ended: they sign in again with the new password.");
    if (generated) console.log(`Password (shown once, store it in your password manager): ${password}`);
  }
} catch (err) {
  console.error(err instanceof HoldfastError ? err.message : err);
  process.exitCode = 1;
} finally {
  await closeDb();
}
