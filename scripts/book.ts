/**
 * Books a customer in from the studio's scripts, through the same command as the admin screen
 * and POST /api/admin/bookings (confirmed at once, "phone booking" in the audit trail):
 *
 *   npm run book -- --artist mara --service fine-line --start 2026-05-12T14:00 --email ana@example.com \
 *     [--name "Ana"] [--phone "+49 …"] [--notes …] [--repeat-weeks 2 --count 4] [--override] [--no-notify] [--reason "walk-in"]
 *
 * `--start` is an ISO instant with a zone, or "YYYY-MM-DDTHH:mm" on the artist's clock.
 */
import { existsSync } from "node:fs";
import { parseArgs } from "node:util";
import { closeDb, getDb } from "@/db/client";
import { bookForCustomer } from "@/lib/bookings/book-for-customer";
import { bookForCustomerSchema } from "@/lib/bookings/book-for-customer-schema";
import { BookingConflictError } from "@/lib/bookings/booking-conflict-error";
import { HoldfastError } from "@/lib/errors";
import { formatDateTimeInZone } from "@/lib/time/format-in-zone";
import { loadBookable } from "@/lib/studio/load-bookable";
import { instantInZone } from "@/lib/time/zone-clock";

if (existsSync(".env") && typeof process.loadEnvFile === "function") process.loadEnvFile(".env");

const USAGE =
  "Usage: npm run book -- --artist SLUG --service SLUG --start \"YYYY-MM-DDTHH:mm\" (--email EMAIL | --phone PHONE) [--name NAME] [--notes TEXT] [--repeat-weeks N --count N] [--override] [--no-notify] [--reason TEXT] [--deposit-paid]\n  A service with a deposit is booked with the deposit due (mark it paid in the booking's payment panel), or paid with --deposit-paid (cash or card at the desk; in a series, the first appointment's).";

const { values } = parseArgs({
  options: {
    artist: { type: "string" },
    service: { type: "string" },
    start: { type: "string" },
    email: { type: "string" },
    phone: { type: "string" },
    name: { type: "string" },
    notes: { type: "string" },
    reason: { type: "string" },
    "repeat-weeks": { type: "string" },
    count: { type: "string" },
    override: { type: "boolean", default: false },
    "no-notify": { type: "boolean", default: false },
    "deposit-paid": { type: "boolean", default: false },
  },
});

if (!process.env.DATABASE_URL) {
  console.error("Set DATABASE_URL to the studio's Postgres.");
  process.exit(1);
}
if (!values.artist || !values.service || !values.start || (!values.email && !values.phone)) {
  console.error(USAGE);
  process.exit(1);
}

const db = getDb();
try {
  const bookable = await loadBookable(db, values.artist, values.service);
  const tz = bookable.artist.timezone;
  // An instant with a zone is taken as it is; a bare local time is read on the artist's clock.
  const start = /(Z|[+-]\d{2}:?\d{2})$/i.test(values.start) ? new Date(values.start) : instantInZone(values.start, tz);
  if (Number.isNaN(start.getTime())) throw new HoldfastError("invalid_input", `--start: not a time: ${values.start}`);
  const repeat = values["repeat-weeks"] || values.count ? { everyWeeks: Number(values["repeat-weeks"] ?? 1), count: Number(values.count ?? 2) } : undefined;
  const parsed = bookForCustomerSchema.safeParse({
    artist: values.artist,
    service: values.service,
    start: start.toISOString(),
    customer: { name: values.name ?? values.email ?? values.phone, email: values.email, phone: values.phone },
    notes: values.notes,
    reason: values.reason,
    notify: !values["no-notify"],
    override: values.override,
    depositPaid: values["deposit-paid"],
    repeat,
  });
  if (!parsed.success) {
    for (const issue of parsed.error.issues) console.error(`${issue.path.join(".") || "input"}: ${issue.message}`);
    process.exitCode = 1;
  } else {
    const result = await bookForCustomer(db, { ...parsed.data, actor: { kind: "admin", id: `cli:${process.env.USER ?? "script"}` } });
    const when = (d: Date | string) => formatDateTimeInZone(new Date(d), tz);
    for (const b of result.bookings) console.log(`Booked ${when(b.startsAt)} (${b.id})`);
    for (const c of result.conflicts) {
      console.log(`Taken: ${when(c.start)} — ${c.message}. Free nearby: ${c.alternatives.map((a) => when(a.start)).join(", ") || "none"}`);
    }
    if (result.seriesId) console.log(`Series ${result.seriesId}: ${result.bookings.length} booked, ${result.conflicts.length} to place by hand.`);
  }
} catch (err) {
  if (err instanceof BookingConflictError) {
    console.error(`${err.message}. Free nearby: ${err.alternatives.map((a) => a.start).join(", ") || "none"}`);
  } else {
    console.error(err instanceof HoldfastError ? err.message : err);
  }
  process.exitCode = 1;
} finally {
  await closeDb();
}
