/**
 * defineAction (lib/http/define-action.ts), the one boundary of every server action: who may call
 * it (admin session and role from the database, a booking's signed manage link, or anyone), its
 * input parsed by a zod schema, and every failure handed back as the ActionResult error the
 * components render. If this breaks, a customer or an artist could run an admin action, or a
 * malformed form would crash the page instead of marking the field.
 */
import path from "node:path";
import { eq } from "drizzle-orm";
import { encode } from "next-auth/jwt";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { z } from "@/lib/zod";
import type { Database } from "@/db/client";
import { bookings, users } from "@/db/schema";
import { signManageToken } from "@/lib/auth/booking-token";
import { NOT_FOUND_MESSAGE } from "@/lib/bookings/get-customer-booking";
import { HoldfastError } from "@/lib/errors";
import { actionAuthOf, defineAction } from "@/lib/http/define-action";
import { closeDb, createTestArtist, useTestDatabase } from "../support/test-db";

// Server actions read the request through next/headers; each call says whose cookies it carries.
const requestCookies = vi.hoisted(() => ({ current: {} as Record<string, string> }));
vi.mock("next/headers", () => ({
  cookies: async () => ({
    getAll: () => Object.entries(requestCookies.current).map(([name, value]) => ({ name, value })),
    get: (name: string) => (name in requestCookies.current ? { name, value: requestCookies.current[name] } : undefined),
  }),
  headers: async () => new Headers({ "user-agent": "vitest-define-action", "x-holdfast-client-ip": "203.0.113.97" }),
}));
vi.mock("next/cache", () => ({ revalidatePath: vi.fn(), revalidateTag: vi.fn(), refresh: vi.fn() }));

const ROOT = path.resolve(import.meta.dirname, "../..");
type Role = "anonymous" | "customer" | "artist" | "forged-admin" | "admin";
type AnyAction = (...args: unknown[]) => Promise<{ ok: boolean; data?: unknown; error?: { code: string; message: string; fields?: Record<string, string[]> } }>;

let db: Database;
const sessionTokens: Record<Role, string> = { anonymous: "", customer: "", artist: "", "forged-admin": "", admin: "" };
const userIds: Partial<Record<Role, string>> = {};

function as(role: Role) {
  requestCookies.current = sessionTokens[role] ? { "next-auth.session-token": sessionTokens[role] } : {};
}

const actionsOf = async (file: string) => (await import(path.join(ROOT, file))) as Record<string, AnyAction>;

beforeAll(async () => {
  db = useTestDatabase();
  const tag = crypto.randomUUID().slice(0, 8);
  for (const role of ["admin", "artist", "customer"] as const) {
    const [u] = await db
      .insert(users)
      .values({ email: `${role}-${tag}@define-action.test`, name: `${role} ${tag}`, role })
      .returning();
    userIds[role] = u!.id;
    sessionTokens[role] = await encode({ token: { sub: u!.id, email: u!.email, name: u!.name, role }, secret: process.env.AUTH_SECRET! });
  }
  // The token claims admin; the customer's row says otherwise, and the row decides.
  sessionTokens["forged-admin"] = await encode({
    token: { sub: userIds.customer!, email: "x@define-action.test", name: "x", role: "admin" },
    secret: process.env.AUTH_SECRET!,
  });
});

afterAll(async () => {
  requestCookies.current = {};
  await closeDb();
});

describe("defineAction", () => {
  it("makes every server action of the admin area, the booking flow and the manage page, each with its caller kind", async () => {
    const files = {
      "app/admin/actions.ts": "admin",
      "app/admin/bookings-actions.ts": "admin",
      "app/admin/time-off-actions.ts": "admin",
      "app/book/actions.ts": "public",
      "app/bookings/[id]/actions.ts": "customer-manage-token",
    } as const;
    for (const [file, auth] of Object.entries(files)) {
      const exported = Object.entries(await actionsOf(file));
      expect(exported.length, file).toBeGreaterThan(0);
      for (const [name, value] of exported) expect(actionAuthOf(value), `${file} ${name}`).toBe(auth);
    }
  });

  describe("admin", () => {
    const handler = vi.fn(async ({ input, user, actor }: { input: { name: string }; user: { id: string }; actor: unknown }) => ({
      name: input.name,
      user: user.id,
      actor,
    }));
    const probe = defineAction({ auth: "admin", input: z.object({ name: z.string().min(1, "Enter a name") }) }, handler);

    for (const role of ["anonymous", "customer", "artist", "forged-admin"] as const) {
      it(`refuses ${role} before looking at the input, and never runs the handler`, async () => {
        handler.mockClear();
        as(role);
        const code = role === "anonymous" ? "unauthorized" : "forbidden";
        for (const input of [{ name: "fine" }, { name: 42 }, undefined]) {
          const result = await probe(input as never);
          expect(result).toEqual({ ok: false, error: { code, message: expect.any(String) } });
        }
        // A real one too: refused with no field errors that would describe the form to a stranger.
        const { saveArtistAction } = await actionsOf("app/admin/actions.ts");
        expect(await saveArtistAction!({ name: "", slug: "!" })).toEqual({ ok: false, error: { code, message: expect.any(String) } });
        expect(handler).not.toHaveBeenCalled();
      });
    }

    it("hands malformed time off back as field errors: a time without a zone, days mixed with times, a bad artist id", async () => {
      as("admin");
      const { addTimeOffAction, removeTimeOffAction } = await actionsOf("app/admin/time-off-actions.ts");
      const result = await addTimeOffAction!({ artistId: "nope", start: "2030-01-01T10:00", end: "2030-01-02T10:00:00Z" });
      expect(result).toMatchObject({ ok: false, error: { code: "invalid_input" } });
      expect(Object.keys(result.error!.fields!).sort()).toEqual(["artistId", "start"]);
      expect(await addTimeOffAction!({ artistId: crypto.randomUUID(), start: "2030-01-01", end: "2030-01-02T10:00:00Z" })).toMatchObject({
        ok: false,
        error: { code: "invalid_input", fields: { end: ["Give both as days, or both as times"] } },
      });
      expect(await removeTimeOffAction!({ id: "x" })).toMatchObject({ ok: false, error: { code: "invalid_input", fields: { id: [expect.any(String)] } } });
    });

    it("hands an admin's malformed input back as field errors instead of throwing", async () => {
      handler.mockClear();
      as("admin");
      await expect(probe({ name: "" })).resolves.toEqual({
        ok: false,
        error: { code: "invalid_input", message: "Some fields are not valid", fields: { name: ["Enter a name"] } },
      });
      expect(handler).not.toHaveBeenCalled();

      const { saveArtistAction, markAlertsReadAction, saveCalendarEditPolicyAction, setArtistServicesAction } = await actionsOf("app/admin/actions.ts");
      const artist = await saveArtistAction!({ name: " ", slug: "Not A Slug!", timezone: "Nowhere/Zone", active: true });
      expect(artist).toMatchObject({ ok: false, error: { code: "invalid_input" } });
      expect(Object.keys(artist.error!.fields!).sort()).toEqual(["name", "slug", "timezone"]);
      expect(await markAlertsReadAction!(["not-an-alert"])).toEqual({
        ok: false,
        error: expect.objectContaining({ code: "invalid_input", fields: { "0": ["Not an alert id"] } }),
      });
      // null is not "no ids": it must not mark every alert read.
      expect(await markAlertsReadAction!(null)).toMatchObject({ ok: false, error: { code: "invalid_input" } });
      expect(await saveCalendarEditPolicyAction!({ policy: "sometimes" })).toMatchObject({
        ok: false,
        error: { code: "invalid_input", fields: { policy: [expect.any(String)] } },
      });
      expect(await setArtistServicesAction!({ artistId: "nope", serviceIds: ["also-nope"] })).toMatchObject({
        ok: false,
        error: { code: "invalid_input", fields: { artistId: [expect.any(String)], "serviceIds.0": [expect.any(String)] } },
      });
    });

    it("hands malformed repeat and series input back as field errors: a repeat out of range, a time without a zone, an unknown cancel scope", async () => {
      as("admin");
      const { repeatBookingAction, addToSeriesAction, cancelSeriesAction } = await actionsOf("app/admin/bookings-actions.ts");
      const repeat = await repeatBookingAction!({ bookingId: "nope", everyWeeks: 9, count: 1 });
      expect(repeat).toMatchObject({ ok: false, error: { code: "invalid_input" } });
      expect(Object.keys(repeat.error!.fields!).sort()).toEqual(["bookingId", "count", "everyWeeks"]);
      expect(await addToSeriesAction!({ bookingId: crypto.randomUUID(), start: "2030-01-01T10:00" })).toMatchObject({
        ok: false,
        error: { code: "invalid_input", fields: { start: [expect.any(String)] } },
      });
      expect(await cancelSeriesAction!({ bookingId: crypto.randomUUID(), scope: "all" })).toMatchObject({
        ok: false,
        error: { code: "invalid_input", fields: { scope: [expect.any(String)] } },
      });
      // Well-formed but no such booking: a 404 as data, nothing booked.
      expect(await repeatBookingAction!({ bookingId: crypto.randomUUID(), everyWeeks: 1, count: 2 })).toMatchObject({
        ok: false,
        error: { code: "not_found" },
      });
    });

    it("runs the handler for an admin with the parsed input, the admin and an audit actor", async () => {
      as("admin");
      expect(await probe({ name: "Mara" })).toEqual({
        ok: true,
        data: { name: "Mara", user: userIds.admin, actor: { kind: "admin", id: userIds.admin, ip: "203.0.113.97", userAgent: "vitest-define-action" } },
      });
    });
  });

  describe("customer-manage-token", () => {
    type ManagedBooking = { id: string; endsAt: Date; manageSecret: string };
    let booking: ManagedBooking;
    let other: ManagedBooking;
    const handler = vi.fn(async ({ input }: { input: { bookingId: string } }) => ({ bookingId: input.bookingId }));
    const probe = defineAction({ auth: "customer-manage-token", input: z.object({ bookingId: z.uuid(), token: z.string().min(10) }) }, handler);

    beforeAll(async () => {
      const { artist, service } = await createTestArtist(db);
      const rows: ManagedBooking[] = [];
      // Far ahead of any day the suite runs, so the links are unexpired and the cancellation is inside the notice period.
      for (const startsAt of [new Date("2099-06-01T10:00:00Z"), new Date("2099-06-01T12:00:00Z")]) {
        const id = crypto.randomUUID();
        const [row] = await db
          .insert(bookings)
          .values({
            id,
            artistId: artist.id,
            serviceId: service.id,
            startsAt,
            endsAt: new Date(startsAt.getTime() + 3_600_000),
            status: "pending",
            customerName: "Manage",
            customerEmail: `manage-${id.slice(0, 8)}@example.com`,
            caldavUid: `${id}@holdfast`,
          })
          .returning();
        rows.push(row!);
      }
      [booking, other] = [rows[0]!, rows[1]!];
    });

    it("refuses a wrong token, another booking's token or no booking exactly like a missing booking, and never runs the handler", async () => {
      handler.mockClear();
      as("anonymous");
      const notFound = { ok: false, error: { code: "not_found", message: NOT_FOUND_MESSAGE } };
      expect(await probe({ bookingId: booking.id, token: "x".repeat(40) })).toEqual(notFound);
      expect(await probe({ bookingId: booking.id, token: signManageToken(other) })).toEqual(notFound);
      expect(await probe({ bookingId: crypto.randomUUID(), token: signManageToken(booking) })).toEqual(notFound);
      expect(handler).not.toHaveBeenCalled();
      expect(await probe({ bookingId: "not-a-booking" } as never)).toMatchObject({
        ok: false,
        error: { code: "invalid_input", fields: { bookingId: [expect.any(String)], token: [expect.any(String)] } },
      });
      expect(await probe({ bookingId: booking.id, token: signManageToken(booking) })).toEqual({ ok: true, data: { bookingId: booking.id } });
    });

    it("the manage page's cancel goes through the link check and then cancels", async () => {
      as("anonymous");
      const { cancelBookingAction } = await actionsOf("app/bookings/[id]/actions.ts");
      expect(await cancelBookingAction!({ bookingId: booking.id, token: signManageToken(other), reason: null })).toMatchObject({
        ok: false,
        error: { code: "not_found" },
      });
      const [untouched] = await db.select({ status: bookings.status }).from(bookings).where(eq(bookings.id, booking.id));
      expect(untouched!.status).toBe("pending");
      expect(await cancelBookingAction!({ bookingId: booking.id, token: signManageToken(booking), reason: "cannot make it" })).toEqual({
        ok: true,
        data: { status: "cancelled" },
      });
    });
  });

  describe("customer-manage-token: book again and the series cancel", () => {
    it("refuse another booking's link like a missing booking, and hand malformed input back as field errors", async () => {
      as("anonymous");
      const { artist, service } = await createTestArtist(db);
      const [mine, theirs] = await db
        .insert(bookings)
        .values(
          [new Date("2099-07-01T10:00:00Z"), new Date("2099-07-01T12:00:00Z")].map((startsAt) => {
            const id = crypto.randomUUID();
            return {
              id,
              artistId: artist.id,
              serviceId: service.id,
              startsAt,
              endsAt: new Date(startsAt.getTime() + 3_600_000),
              status: "confirmed" as const,
              customerName: "Series",
              customerEmail: `series-${id.slice(0, 8)}@example.com`,
              caldavUid: `${id}@holdfast`,
            };
          }),
        )
        .returning();
      const { repeatBookingAction, addToSeriesAction, cancelSeriesAction } = await actionsOf("app/bookings/[id]/actions.ts");
      const wrongLink = { bookingId: mine!.id, token: signManageToken(theirs!) };
      const notFound = { ok: false, error: { code: "not_found", message: NOT_FOUND_MESSAGE } };
      expect(await repeatBookingAction!({ ...wrongLink, everyWeeks: 1, count: 2 })).toEqual(notFound);
      expect(await addToSeriesAction!({ ...wrongLink, start: "2099-07-08T10:00:00Z" })).toEqual(notFound);
      expect(await cancelSeriesAction!({ ...wrongLink, scope: "following" })).toEqual(notFound);
      const [untouched] = await db.select({ status: bookings.status }).from(bookings).where(eq(bookings.id, mine!.id));
      expect(untouched!.status).toBe("confirmed");
      // More than a customer may book in one go (6), and a scope that does not exist.
      expect(await repeatBookingAction!({ bookingId: mine!.id, token: signManageToken(mine!), everyWeeks: 1, count: 7 })).toMatchObject({
        ok: false,
        error: { code: "invalid_input", fields: { count: [expect.any(String)] } },
      });
      expect(await cancelSeriesAction!({ bookingId: mine!.id, token: signManageToken(mine!), scope: "everything" })).toMatchObject({
        ok: false,
        error: { code: "invalid_input", fields: { scope: [expect.any(String)] } },
      });
      // The service does not let customers book again (the default): refused, nothing booked.
      expect(await repeatBookingAction!({ bookingId: mine!.id, token: signManageToken(mine!), everyWeeks: 1, count: 2 })).toMatchObject({
        ok: false,
        error: { code: "forbidden" },
      });
      expect(await db.select({ id: bookings.id }).from(bookings).where(eq(bookings.artistId, artist.id))).toHaveLength(2);
    });
  });

  describe("public", () => {
    it("hands malformed input, a domain error and an unexpected crash back as data, never a throw", async () => {
      as("anonymous");
      const { releaseHoldAction } = await actionsOf("app/book/actions.ts");
      expect(await releaseHoldAction!({ holdId: "nope" })).toMatchObject({
        ok: false,
        error: { code: "invalid_input", fields: { holdId: [expect.any(String)], holdToken: [expect.any(String)] } },
      });

      const limited = defineAction({ auth: "public", input: z.object({}) }, async () => {
        throw new HoldfastError("rate_limited", "Too many attempts; try again in 1 minute(s)", { details: { retryAfterSeconds: 42 } });
      });
      expect(await limited({})).toEqual({
        ok: false,
        error: { code: "rate_limited", message: "Too many attempts; try again in 1 minute(s)", retryAfterSeconds: 42 },
      });

      const crashing = defineAction({ auth: "public", input: z.object({}) }, async () => {
        throw new Error("connection reset (internal detail)");
      });
      const result = await crashing({});
      expect(result).toEqual({
        ok: false,
        error: { code: "internal", message: expect.stringMatching(/^Something went wrong on our side \(reference [0-9a-f-]{36}\)/) },
      });
      expect(JSON.stringify(result)).not.toContain("internal detail");
    });
  });
});
