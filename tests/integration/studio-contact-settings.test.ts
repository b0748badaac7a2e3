/**
 * Studio setup's contact details, reminder lead times and the artist's mail opt-in, saved through
 * lib/studio (the admin server actions call it) against a real database. If this breaks, a
 * customer sees a wrong or dangerous link in every page's footer (a "map" that runs script), a
 * studio cannot turn reminders off or gets a database error instead of a field message, or an
 * artist keeps getting mails they switched off.
 */
import { eq } from "drizzle-orm";
import { encode } from "next-auth/jwt";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import type { Database } from "@/db/client";
import { artists, services, studioSettings, users, type StudioSettings } from "@/db/schema";
import { seedDemoStudio } from "@/db/seed";
import { getStudioSetup } from "@/lib/admin/studio-setup";
import { HoldfastError } from "@/lib/errors";
import { errorToResponse } from "@/lib/http/error-response";
import { saveArtist, saveService, saveStudioContact } from "@/lib/studio/save-studio";
import { getPublicStudioInfo } from "@/lib/studio/public-studio-info";
import { closeDb, createTestArtist, uniqueTag, useTestDatabase } from "../support/test-db";

// The admin actions read the session through next/headers; these calls carry an admin's cookie.
const requestCookies = vi.hoisted(() => ({ current: {} as Record<string, string> }));
vi.mock("next/headers", () => ({
  cookies: async () => ({
    getAll: () => Object.entries(requestCookies.current).map(([name, value]) => ({ name, value })),
    get: (name: string) => (name in requestCookies.current ? { name, value: requestCookies.current[name] } : undefined),
  }),
  headers: async () => new Headers({ "user-agent": "vitest-studio-contact", "x-holdfast-client-ip": "203.0.113.41" }),
}));
vi.mock("next/cache", () => ({ revalidatePath: vi.fn(), revalidateTag: vi.fn(), refresh: vi.fn() }));

type ActionResult = { ok: boolean; data?: Record<string, unknown>; error?: { code: string; message: string; fields?: Record<string, string[]> } };
type AnyAction = (input: unknown) => Promise<ActionResult>;

let db: Database;
/** The one settings row as other test files left it: put back afterwards, since they share this database. */
let settingsBefore: StudioSettings | undefined;

beforeAll(async () => {
  db = useTestDatabase();
  await createTestArtist(db);
  [settingsBefore] = await db.select().from(studioSettings).where(eq(studioSettings.id, 1));
});

afterAll(async () => {
  requestCookies.current = {};
  if (settingsBefore) await db.update(studioSettings).set(settingsBefore).where(eq(studioSettings.id, 1));
  await closeDb();
});

/** The HoldfastError `fn` fails with, and the JSON answer a route would give for it. */
async function refusal(fn: () => Promise<unknown>) {
  const err = await fn().then(
    () => {
      throw new Error("expected the save to be refused");
    },
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(HoldfastError);
  const res = errorToResponse(err);
  return {
    err: err as HoldfastError,
    status: res.status,
    body: (await res.json()) as { error: { code: string; message: string; fields?: Record<string, string[]> } },
  };
}

const validContact = {
  email: " Front-Desk@Studio.Example ",
  address: "Oranienstraße 185\r\n  10999 Berlin  \n\nGermany",
  phone: "+49 (30) 5550-1234",
  mapUrl: "https://www.openstreetmap.org/?mlat=52.5&mlon=13.42#map=18/52.5/13.42",
};

describe("the studio's contact details", () => {
  it("are saved normalised and reach customers as links: one address line per line, a dialable tel:, a mailto:, the map", async () => {
    const saved = await saveStudioContact(db, validContact);
    expect(saved).toEqual({
      email: "front-desk@studio.example",
      address: "Oranienstraße 185\n10999 Berlin\nGermany",
      phone: "+49 (30) 5550-1234",
      mapUrl: validContact.mapUrl,
    });
    const [row] = await db.select().from(studioSettings).where(eq(studioSettings.id, 1));
    expect(row).toMatchObject(saved);
    // Saving contact details leaves the rest of the studio's settings alone.
    expect(row!.name).toBe(settingsBefore!.name);
    expect(row!.timezone).toBe(settingsBefore!.timezone);
    expect(row!.cancellationNoticeHours).toBe(settingsBefore!.cancellationNoticeHours);

    const info = await getPublicStudioInfo(db);
    expect(info.contact).toEqual({
      addressLines: ["Oranienstraße 185", "10999 Berlin", "Germany"],
      phone: "+49 (30) 5550-1234",
      phoneHref: "tel:+493055501234",
      email: "front-desk@studio.example",
      mailtoHref: "mailto:front-desk@studio.example",
      mapUrl: validContact.mapUrl,
    });
    expect((await getStudioSetup(db)).contact).toEqual(saved);
  });

  it("may be left empty except the email, and then no empty link is offered", async () => {
    await saveStudioContact(db, { email: "studio@test.example", address: "", phone: "", mapUrl: "" });
    const { contact } = await getPublicStudioInfo(db);
    expect(contact).toEqual({
      addressLines: [],
      phone: null,
      phoneHref: null,
      email: "studio@test.example",
      mailtoHref: "mailto:studio@test.example",
      mapUrl: null,
    });
  });

  it("refuses a map link that is not http(s), a phone with letters, a bad email and control characters, each with its field's message, and keeps what was stored", async () => {
    await saveStudioContact(db, validContact);
    const { err, status, body } = await refusal(() =>
      saveStudioContact(db, { email: "not an email", address: "Main St 1\u0007", phone: "call me maybe", mapUrl: "javascript:alert(document.cookie)" }),
    );
    expect(err.code).toBe("invalid_input");
    // lib/errors.ts maps invalid_input to 400 for every studio write; the body is the one error shape.
    expect(status).toBe(400);
    expect(body.error).toEqual({
      code: "invalid_input",
      message: "Some fields are not valid",
      fields: {
        email: ["Enter a valid email"],
        address: ["Remove the control characters"],
        phone: ["Use digits, spaces and + ( ) - only"],
        mapUrl: ["Use a link starting with https:// or http://"],
      },
    });
    for (const mapUrl of ["ftp://maps.example/studio", "data:text/html,<script>alert(1)</script>", "https://", "www.openstreetmap.org/x"]) {
      const { body: refused } = await refusal(() => saveStudioContact(db, { ...validContact, mapUrl }));
      expect(refused.error.fields, mapUrl).toEqual({ mapUrl: ["Use a link starting with https:// or http://"] });
    }
    const { body: missing } = await refusal(() =>
      saveStudioContact(db, { email: "", address: "a\nb\nc\nd\ne\nf\ng", phone: "+", mapUrl: "https://x.example" }),
    );
    expect(missing.error.fields).toEqual({
      email: ["Enter the studio's email"],
      address: ["Use at most 6 lines"],
      phone: ["Enter a phone number with digits"],
    });

    const [row] = await db.select().from(studioSettings).where(eq(studioSettings.id, 1));
    expect(row).toMatchObject({ email: "front-desk@studio.example", phone: "+49 (30) 5550-1234", mapUrl: validContact.mapUrl });
  });

  it("never puts a non-web map link or a header-adding email into a customer's page, even when one is in the row", async () => {
    await db
      .update(studioSettings)
      .set({ mapUrl: "javascript:alert(1)", email: "desk@studio.example?bcc=everyone@example.com" })
      .where(eq(studioSettings.id, 1));
    const { contact } = await getPublicStudioInfo(db);
    expect(contact.mapUrl).toBeNull();
    expect(contact.mailtoHref).toBeNull();
    expect(contact.email).toBe("desk@studio.example?bcc=everyone@example.com");
  });

  it("are saved by a studio that has no settings row yet, with the defaults every reader already assumed", async () => {
    const rollback = new Error("rollback");
    await db
      .transaction(async (tx) => {
        await tx.delete(studioSettings);
        await saveStudioContact(tx, { email: "new@studio.example", phone: "030 1234", address: "", mapUrl: "" });
        const [row] = await tx.select().from(studioSettings);
        expect(row).toMatchObject({
          id: 1,
          name: "Holdfast",
          email: "new@studio.example",
          phone: "030 1234",
          cancellationNoticeHours: 24,
          calendarEditPolicy: "review",
        });
        throw rollback;
      })
      .catch((e: unknown) => {
        if (e !== rollback) throw e;
      });
  });
});

describe("a service's reminder lead times", () => {
  it("are stored longest first, may be emptied (no reminders), and are kept when a save leaves them out", async () => {
    const { service } = await createTestArtist(db);
    expect(service.reminderLeadMinutes).toEqual([1440]);
    const base = service;

    const two = await saveService(db, { ...base, reminderLeadMinutes: [120, 2880] });
    expect(two.reminderLeadMinutes).toEqual([2880, 120]);
    // A form that does not know about reminders (or an older client) leaves them as they are.
    const { reminderLeadMinutes: _omit, ...withoutReminders } = base;
    expect((await saveService(db, { ...withoutReminders, name: "Renamed" })).reminderLeadMinutes).toEqual([2880, 120]);
    expect((await saveService(db, { ...base, reminderLeadMinutes: [] })).reminderLeadMinutes).toEqual([]);
    const [row] = await db.select().from(services).where(eq(services.id, service.id));
    expect(row!.reminderLeadMinutes).toEqual([]);
  });

  it("a new service gets the default reminder, 24 hours before", async () => {
    const tag = uniqueTag();
    const created = await saveService(db, {
      name: `Reminders ${tag}`,
      slug: `reminders-${tag}`,
      durationMinutes: "60",
      bufferBeforeMinutes: "0",
      bufferAfterMinutes: "0",
      priceCents: "90",
      minNoticeMinutes: "0",
      bookingWindowDays: "30",
      slotStepMinutes: "30",
      autoConfirm: false,
      active: true,
    });
    expect(created.reminderLeadMinutes).toEqual([1440]);
  });

  it("refuses more than five, zero or negative, beyond 30 days, fractions and duplicates with field messages, and keeps what was stored", async () => {
    const { service } = await createTestArtist(db);
    await saveService(db, { ...service, reminderLeadMinutes: [1440, 120] });
    const cases: [unknown, Record<string, string[]>][] = [
      [[60, 120, 180, 240, 300, 360], { reminderLeadMinutes: ["At most 5 reminders per service"] }],
      [[0], { "reminderLeadMinutes.0": ["A reminder must go out before the appointment"] }],
      [[1440, -60], { "reminderLeadMinutes.1": ["A reminder must go out before the appointment"] }],
      [[43_201], { "reminderLeadMinutes.0": ["A reminder can go out at most 30 days before"] }],
      [[90.5], { "reminderLeadMinutes.0": ["Use whole minutes"] }],
      [[120, 120], { reminderLeadMinutes: ["Each reminder time only once"] }],
      [["soon"], { "reminderLeadMinutes.0": ["Enter how long before the appointment"] }],
      ["1440", { reminderLeadMinutes: ["Give the reminder times as a list"] }],
    ];
    for (const [reminderLeadMinutes, fields] of cases) {
      const { status, body } = await refusal(() => saveService(db, { ...service, reminderLeadMinutes: reminderLeadMinutes as number[] }));
      expect(status, JSON.stringify(reminderLeadMinutes)).toBe(400);
      expect(body.error, JSON.stringify(reminderLeadMinutes)).toEqual({ code: "invalid_input", message: "Some fields are not valid", fields });
    }
    // The largest allowed lead time is exactly the database's bound.
    expect((await saveService(db, { ...service, reminderLeadMinutes: [43_200, 1] })).reminderLeadMinutes).toEqual([43_200, 1]);
  });
});

describe("an artist's 'also email the artist' choice", () => {
  it("is on for a new artist, can be switched off and on, and is kept when a save leaves it out", async () => {
    const tag = uniqueTag();
    const artist = await saveArtist(db, {
      name: `Notify ${tag}`,
      slug: `notify-${tag}`,
      email: `notify-${tag}@example.com`,
      timezone: "Europe/Berlin",
      active: true,
    });
    expect(artist.notifyByEmail).toBe(true);
    const input = { id: artist.id, name: artist.name, slug: artist.slug, email: artist.email, timezone: artist.timezone, active: true };
    expect((await saveArtist(db, { ...input, notifyByEmail: false })).notifyByEmail).toBe(false);
    // Form posts send a checkbox as "on" or leave it out.
    expect((await saveArtist(db, input)).notifyByEmail).toBe(false);
    expect((await saveArtist(db, { ...input, notifyByEmail: "on" })).notifyByEmail).toBe(true);
    const [row] = await db.select().from(artists).where(eq(artists.id, artist.id));
    expect(row!.notifyByEmail).toBe(true);
  });
});

describe("through the admin server actions the forms call", () => {
  let actions: Record<string, AnyAction>;

  beforeAll(async () => {
    const tag = uniqueTag();
    const [admin] = await db
      .insert(users)
      .values({ email: `admin-${tag}@studio-contact.test`, name: `Admin ${tag}`, role: "admin" })
      .returning();
    const token = await encode({ token: { sub: admin!.id, email: admin!.email, name: admin!.name, role: "admin" }, secret: process.env.AUTH_SECRET! });
    requestCookies.current = { "next-auth.session-token": token };
    actions = (await import("@/app/admin/actions")) as unknown as Record<string, AnyAction>;
  });

  it("the service form saves its reminder chips and gets field messages back for bad ones", async () => {
    const { service } = await createTestArtist(db);
    const form = {
      id: service.id,
      name: service.name,
      slug: service.slug,
      description: "",
      durationMinutes: "60",
      bufferBeforeMinutes: "0",
      bufferAfterMinutes: "0",
      priceCents: "0",
      currency: "EUR",
      autoConfirm: false,
      minNoticeMinutes: "0",
      bookingWindowDays: "60",
      slotStepMinutes: "30",
      active: true,
    };
    expect(await actions.saveServiceAction!({ ...form, reminderLeadMinutes: [120, 1440] })).toMatchObject({ ok: true });
    expect((await db.select().from(services).where(eq(services.id, service.id)))[0]!.reminderLeadMinutes).toEqual([1440, 120]);
    expect(await actions.saveServiceAction!({ ...form, reminderLeadMinutes: [0, 50_000] })).toEqual({
      ok: false,
      error: {
        code: "invalid_input",
        message: "Some fields are not valid",
        fields: {
          "reminderLeadMinutes.0": ["A reminder must go out before the appointment"],
          "reminderLeadMinutes.1": ["A reminder can go out at most 30 days before"],
        },
      },
    });
    expect(await actions.saveServiceAction!({ ...form, reminderLeadMinutes: [] })).toMatchObject({ ok: true });
    expect((await db.select().from(services).where(eq(services.id, service.id)))[0]!.reminderLeadMinutes).toEqual([]);
  });

  it("the artist form saves the 'also email the artist' checkbox", async () => {
    const { artist } = await createTestArtist(db);
    const form = { id: artist.id, name: artist.name, slug: artist.slug, bio: "", email: "artist@example.com", timezone: artist.timezone, active: true };
    expect(await actions.saveArtistAction!({ ...form, notifyByEmail: false })).toMatchObject({ ok: true });
    expect((await db.select().from(artists).where(eq(artists.id, artist.id)))[0]!.notifyByEmail).toBe(false);
  });
});

describe("the demo seed", () => {
  it("gives the studio its contact details and every service a reminder, and running it again changes nothing an admin set", async () => {
    const rollback = new Error("rollback");
    // In a transaction that is rolled back: the other test files share this database and its one studio.
    await db
      .transaction(async (tx) => {
        await tx.delete(studioSettings);
        const seed = () => seedDemoStudio(tx as unknown as Database, { timezone: "Europe/Berlin", studioEmail: "demo@holdfast.test" });
        await seed();
        const [first] = await tx.select().from(studioSettings);
        expect(first).toMatchObject({ email: "demo@holdfast.test", phone: expect.stringMatching(/\d/), mapUrl: expect.stringMatching(/^https:\/\//) });
        expect(first!.address.split("\n").length).toBeGreaterThan(1);
        const demo = await tx.select({ slug: services.slug, reminders: services.reminderLeadMinutes }).from(services);
        const seeded = demo.filter((s) =>
          ["fine-line-tattoo", "flash-tattoo", "consultation", "deep-tissue-massage", "sports-massage", "full-day-session"].includes(s.slug),
        );
        expect(seeded).toHaveLength(6);
        for (const s of seeded) expect(s.reminders.length, s.slug).toBeGreaterThan(0);
        expect(seeded.find((s) => s.slug === "consultation")!.reminders).toContain(120);

        await tx.update(studioSettings).set({ phone: "+1 555 0100", address: "" });
        await tx.update(services).set({ reminderLeadMinutes: [] }).where(eq(services.slug, "flash-tattoo"));
        await seed();
        const [second] = await tx.select().from(studioSettings);
        expect(second!.phone).toBe("+1 555 0100");
        expect(second!.address).toBe(first!.address);
        expect((await tx.select().from(services).where(eq(services.slug, "flash-tattoo")))[0]!.reminderLeadMinutes).toEqual([]);
        throw rollback;
      })
      .catch((e: unknown) => {
        if (e !== rollback) throw e;
      });
  });
});
