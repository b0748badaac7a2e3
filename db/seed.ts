import bcrypt from "bcryptjs";
import { eq, sql } from "drizzle-orm";
import type { Database } from "./client";
import { artistServices, artists, resources, serviceResourceNeeds, services, studioSettings, users, workingHours } from "./schema";
import type { IntakeQuestionInput } from "@/lib/intake/questions";

type DemoService = {
  slug: string;
  name: string;
  description: string;
  durationMinutes: number;
  bufferBeforeMinutes: number;
  bufferAfterMinutes: number;
  priceCents: number;
  autoConfirm?: boolean;
  minNoticeMinutes?: number;
  slotStepMinutes?: number;
  /** How long before a confirmed appointment each reminder goes out (minutes). */
  reminderLeadMinutes: number[];
  /** A deposit taken when booking: fixed cents, or a percentage of the price (lib/payments). */
  depositKind?: "fixed" | "percent";
  depositValue?: number;
  /** What each request asks (lib/intake): questions, reference images, a consent line the customer ticks. */
  intakeQuestions?: IntakeQuestionInput[];
  asksReferenceImages?: boolean;
  consentText?: string;
};

const DAY = 24 * 60;

/**
 * The usual tattoo intake. All optional: the demo's e2e flows book tattoos without answering, and
 * a studio that wants an answer ticks "Required" in Studio setup.
 */
const TATTOO_INTAKE: IntakeQuestionInput[] = [
  { id: "placement", kind: "text", label: "Where on the body?", hint: "e.g. left forearm, inner side", required: false },
  { id: "size_cm", kind: "number", label: "Approximate size", unit: "cm", min: 1, max: 200, required: false },
  {
    id: "style",
    kind: "select",
    label: "Style",
    options: ["Fine line", "Blackwork", "Traditional", "Neo-traditional", "Realism", "Lettering", "Not sure yet"],
    required: false,
  },
  { id: "colour", kind: "choice", label: "Colour or black and grey?", options: ["Colour", "Black and grey"], required: false },
  { id: "budget", kind: "money", label: "Your budget", hint: "Helps the artist suggest a size and detail that fit", required: false },
  { id: "first_tattoo", kind: "yes_no", label: "Is this your first tattoo?", required: false },
];
const ADULT_CONSENT = "I confirm I am 18 or older.";

/** A short health intake for the deep tissue massage, optional so nobody is stopped from booking by it. */
const MASSAGE_INTAKE: IntakeQuestionInput[] = [
  {
    id: "health",
    kind: "long_text",
    label: "Injuries, conditions or allergies we should know about",
    hint: "Leave empty if none",
    required: false,
  },
  { id: "pregnant", kind: "yes_no", label: "Are you pregnant?", required: false },
  { id: "pressure", kind: "choice", label: "Preferred pressure", options: ["Light", "Medium", "Firm"], required: false },
];

const demoServices: DemoService[] = [
  {
    slug: "fine-line-tattoo",
    name: "Fine-line tattoo",
    description: "Delicate single-needle work, up to palm size.",
    durationMinutes: 120,
    bufferBeforeMinutes: 15,
    bufferAfterMinutes: 15,
    priceCents: 18000,
    reminderLeadMinutes: [DAY],
    depositKind: "fixed",
    depositValue: 5000,
    intakeQuestions: TATTOO_INTAKE,
    asksReferenceImages: true,
    consentText: ADULT_CONSENT,
  },
  {
    slug: "flash-tattoo",
    name: "Flash tattoo",
    description: "Pick a design from the flash sheet.",
    durationMinutes: 60,
    bufferBeforeMinutes: 0,
    bufferAfterMinutes: 15,
    priceCents: 9000,
    reminderLeadMinutes: [DAY],
    intakeQuestions: TATTOO_INTAKE,
    asksReferenceImages: true,
  },
  {
    slug: "consultation",
    name: "Consultation",
    description: "A free 30-minute chat about your idea. Confirmed instantly.",
    durationMinutes: 30,
    bufferBeforeMinutes: 0,
    bufferAfterMinutes: 0,
    priceCents: 0,
    autoConfirm: true,
    minNoticeMinutes: 60,
    reminderLeadMinutes: [DAY, 120],
  },
  {
    slug: "deep-tissue-massage",
    name: "Deep tissue massage",
    description: "90 minutes of focused, firm-pressure work.",
    durationMinutes: 90,
    bufferBeforeMinutes: 0,
    bufferAfterMinutes: 15,
    priceCents: 9500,
    reminderLeadMinutes: [DAY],
    intakeQuestions: MASSAGE_INTAKE,
  },
  {
    slug: "sports-massage",
    name: "Sports massage",
    description: "Recovery and mobility for active people.",
    durationMinutes: 60,
    bufferBeforeMinutes: 0,
    bufferAfterMinutes: 10,
    priceCents: 7000,
    slotStepMinutes: 15,
    reminderLeadMinutes: [DAY],
    // No intake here: the keyboard-only e2e test books it with a fixed number of Tab presses.
  },
  {
    slug: "full-day-session",
    name: "Full-day session",
    description: "Large pieces: a whole day with breaks.",
    durationMinutes: 360,
    bufferBeforeMinutes: 30,
    bufferAfterMinutes: 30,
    priceCents: 90000,
    minNoticeMinutes: 7 * 24 * 60,
    reminderLeadMinutes: [2 * DAY, DAY],
    depositKind: "percent",
    depositValue: 20,
    intakeQuestions: TATTOO_INTAKE,
    asksReferenceImages: true,
    consentText: ADULT_CONSENT,
  },
];

type DemoArtist = {
  slug: string;
  name: string;
  bio: string;
  timezone: string;
  services: string[];
  hours: { weekdays: number[]; start: string; end: string }[];
};

const demoArtists: DemoArtist[] = [
  {
    slug: "mara",
    name: "Mara Voss",
    bio: "Fine-line and botanical tattoos. Ten years of steady hands in Berlin.",
    timezone: "Europe/Berlin",
    services: ["fine-line-tattoo", "flash-tattoo", "consultation"],
    hours: [{ weekdays: [2, 3, 4, 5, 6], start: "10:00", end: "18:00" }],
  },
  {
    slug: "jonas",
    name: "Jonas Richter",
    bio: "Massage therapist for athletes and desk workers alike.",
    timezone: "Europe/Berlin",
    services: ["deep-tissue-massage", "sports-massage"],
    hours: [
      { weekdays: [1, 2, 3, 4, 5], start: "09:00", end: "13:00" },
      { weekdays: [1, 2, 3, 4, 5], start: "14:00", end: "19:00" },
    ],
  },
  // The massage practice part (issue 13): three therapists and two treatment rooms, so the rooms, not
  // the therapists, decide how many massages run at once.
  {
    slug: "lena",
    name: "Lena Park",
    bio: "Relaxing and deep tissue massage; shares the treatment rooms with Jonas and Noor.",
    timezone: "Europe/Berlin",
    services: ["deep-tissue-massage", "sports-massage"],
    hours: [{ weekdays: [1, 2, 3, 4, 5, 6], start: "10:00", end: "18:00" }],
  },
  {
    slug: "noor",
    name: "Noor Haddad",
    bio: "Sports massage and recovery for runners and climbers.",
    timezone: "Europe/Berlin",
    services: ["deep-tissue-massage", "sports-massage"],
    hours: [{ weekdays: [2, 3, 4, 5, 6], start: "09:00", end: "17:00" }],
  },
  {
    slug: "kai",
    name: "Kai Moreno",
    bio: "Traditional and neo-traditional. Guest spot in Denver, Colorado.",
    timezone: "America/Denver",
    services: ["flash-tattoo", "consultation", "full-day-session"],
    hours: [{ weekdays: [1, 2, 3, 4, 5], start: "11:00", end: "19:00" }],
  },
];

export const DEMO_HOURS_EFFECTIVE_FROM = "2026-01-01";

/**
 * Rooms and stations (issue 13): two treatment rooms the massages need one of (a short airing
 * after each), and a station per tattoo artist and one spare for the tattoo services, so the
 * tattoo artists never wait for a station. The consultation needs none.
 */
const demoResources = [
  { name: "Treatment room 1", kind: "room", cleanupMinutes: 10 },
  { name: "Treatment room 2", kind: "room", cleanupMinutes: 10 },
  { name: "Station 1", kind: "station", cleanupMinutes: 0 },
  { name: "Station 2", kind: "station", cleanupMinutes: 0 },
  { name: "Station 3", kind: "station", cleanupMinutes: 0 },
];
const demoServiceNeeds: Record<string, string[]> = {
  "deep-tissue-massage": ["room"],
  "sports-massage": ["room"],
  "fine-line-tattoo": ["station"],
  "flash-tattoo": ["station"],
  "full-day-session": ["station"],
};

/** Is this database still empty (no studio yet)? Seeding happens only then. */
export async function isUnseeded(db: Database) {
  const rows = await db.select({ id: studioSettings.id }).from(studioSettings).limit(1);
  return rows.length === 0;
}

export async function ensureStudioSettings(db: Database, opts: { name: string; email: string; timezone: string }) {
  await db
    .insert(studioSettings)
    .values({ id: 1, ...opts, policyText: "Please arrive on time. Cancel at least 24 hours ahead so someone else can have your slot." })
    .onConflictDoNothing();
}

/** How customers reach the demo studio (a made-up address and number), shown in the footer and every email. */
export const DEMO_STUDIO_CONTACT = {
  address: "Oranienstraße 185\n10999 Berlin\nGermany",
  phone: "+49 30 5550 1234",
  mapUrl: "https://www.openstreetmap.org/?mlat=52.50035&mlon=13.42107#map=18/52.50035/13.42107",
};

/**
 * The demo studio of `npm start`: five artists in two zones (three massage therapists sharing two
 * treatment rooms), six services with reminders, rooms and tattoo stations, weekly
 * hours, the studio's contact details. Running it again changes nothing an admin has set: contact
 * details are only filled in where they are still empty.
 */
export async function seedDemoStudio(db: Database, opts: { timezone: string; studioEmail: string }) {
  await db.transaction(async (tx) => {
    await tx
      .insert(studioSettings)
      .values({
        id: 1,
        name: "Holdfast Demo Studio",
        email: opts.studioEmail,
        timezone: opts.timezone,
        ...DEMO_STUDIO_CONTACT,
        cancellationNoticeHours: 24,
        policyText: "Please arrive on time. Cancel at least 24 hours ahead so someone else can have your slot. Deposits are not refundable for no-shows.",
      })
      .onConflictDoUpdate({
        target: studioSettings.id,
        set: {
          address: sql`case when "studio_settings"."address" = '' then excluded."address" else "studio_settings"."address" end`,
          phone: sql`case when "studio_settings"."phone" = '' then excluded."phone" else "studio_settings"."phone" end`,
          mapUrl: sql`case when "studio_settings"."map_url" = '' then excluded."map_url" else "studio_settings"."map_url" end`,
        },
      });
    const serviceIds = new Map<string, string>();
    for (const s of demoServices) {
      const [row] = await tx
        .insert(services)
        .values({
          ...s,
          autoConfirm: s.autoConfirm ?? false,
          minNoticeMinutes: s.minNoticeMinutes ?? 120,
          slotStepMinutes: s.slotStepMinutes ?? 30,
          bookingWindowDays: 90,
        })
        .onConflictDoUpdate({ target: services.slug, set: { name: s.name } })
        .returning({ id: services.id });
      serviceIds.set(s.slug, row!.id);
    }
    for (const a of demoArtists) {
      const [artist] = await tx
        .insert(artists)
        .values({ slug: a.slug, name: a.name, bio: a.bio, timezone: a.timezone, email: `${a.slug}@holdfast.local` })
        .onConflictDoUpdate({ target: artists.slug, set: { name: a.name } })
        .returning({ id: artists.id });
      for (const slug of a.services) {
        await tx
          .insert(artistServices)
          .values({ artistId: artist!.id, serviceId: serviceIds.get(slug)! })
          .onConflictDoNothing();
      }
      const existing = await tx.select({ id: workingHours.id }).from(workingHours).where(eq(workingHours.artistId, artist!.id)).limit(1);
      if (existing.length === 0) {
        await tx
          .insert(workingHours)
          .values(
            a.hours.flatMap((h) =>
              h.weekdays.map((weekday) => ({ artistId: artist!.id, effectiveFrom: DEMO_HOURS_EFFECTIVE_FROM, weekday, startTime: h.start, endTime: h.end })),
            ),
          );
      }
    }
    // Only into a studio with no resources yet: an admin's own rooms are never touched again.
    const anyResource = await tx.select({ id: resources.id }).from(resources).limit(1);
    if (anyResource.length === 0) {
      await tx.insert(resources).values(demoResources);
      for (const [slug, kinds] of Object.entries(demoServiceNeeds)) {
        await tx
          .insert(serviceResourceNeeds)
          .values(kinds.map((kind) => ({ serviceId: serviceIds.get(slug)!, kind })))
          .onConflictDoNothing();
      }
    }
  });
}

/** Creates the first admin if no user has that email yet; never overwrites an existing password. */
export async function ensureAdmin(db: Database, email: string, password: string, name = "Studio admin") {
  const hash = await bcrypt.hash(password, 12);
  const inserted = await db
    .insert(users)
    .values({ email: email.toLowerCase(), name, passwordHash: hash, role: "admin" })
    .onConflictDoNothing()
    .returning({ id: users.id });
  return inserted.length > 0;
}

export const DEMO_RETURNING_CUSTOMER = { name: "Lena Berger", email: "lena.berger@example.com", phone: "+49 30 5550123" };

/**
 * A returning customer for the studio's phone-booking demo: one massage from a month ago and a
 * 4-week series ahead, booked as the studio would (confirmed, no mail to the made-up address).
 * Idempotent: skipped once the customer has a series.
 */
export async function seedReturningCustomer(db: Database, opts: { now?: Date } = {}) {
  const [{ bookForCustomer }, { setAuditContext }, { loadBookable }, { instantInZone, wallClockInZone }, { bookings }] = await Promise.all([
    import("@/lib/bookings/book-for-customer"),
    import("@/lib/bookings/audit-context"),
    import("@/lib/studio/load-bookable"),
    import("@/lib/time/zone-clock"),
    import("./schema"),
  ]);
  const existing = await db.execute(
    sql`select 1 from bookings where lower(customer_email) = ${DEMO_RETURNING_CUSTOMER.email} and series_id is not null limit 1`,
  );
  if (existing.rows.length > 0) return false;
  const now = opts.now ?? new Date();
  const bookable = await loadBookable(db, "jonas", "deep-tissue-massage");
  const tz = bookable.artist.timezone;
  // Next Tuesday at 19:30 on the artist's clock, a week out at least: after closing, as a studio
  // books its regulars (override), so the series takes none of the times the public page offers.
  const today = wallClockInZone(now, tz);
  const day = new Date(Date.UTC(today.year, today.month - 1, today.day + 7));
  day.setUTCDate(day.getUTCDate() + ((2 - day.getUTCDay() + 7) % 7));
  const first = instantInZone(`${day.toISOString().slice(0, 10)}T19:30`, tz);
  const earlier = new Date(first.getTime() - 35 * 24 * 3_600_000);
  await db.transaction(async (tx) => {
    await setAuditContext(tx, { kind: "system", id: "seed" }, "demo data");
    const id = crypto.randomUUID();
    await tx.insert(bookings).values({
      id,
      artistId: bookable.artist.id,
      serviceId: bookable.service.id,
      startsAt: earlier,
      endsAt: new Date(earlier.getTime() + bookable.rules.durationMinutes * 60_000),
      status: "completed",
      customerName: DEMO_RETURNING_CUSTOMER.name,
      customerEmail: DEMO_RETURNING_CUSTOMER.email,
      customerPhone: DEMO_RETURNING_CUSTOMER.phone,
      caldavUid: `${id}@holdfast`,
    });
  });
  await bookForCustomer(db, {
    artist: "jonas",
    service: "deep-tissue-massage",
    start: first,
    customer: DEMO_RETURNING_CUSTOMER,
    notes: "Regular: lower back. Books by phone.",
    notify: false,
    override: true,
    repeat: { everyWeeks: 1, count: 4 },
    actor: { kind: "system", id: "seed" },
    reason: "demo data",
    now,
  });
  return true;
}
