import { eq, inArray, sql } from "drizzle-orm";
import type { Executor } from "@/db/client";
import { bookingResources, bookings, resources, serviceResourceNeeds, serviceResources, services } from "@/db/schema";
import { setAuditContext, type Actor } from "@/lib/bookings/audit-context";
import { BookingConflictError, isSlotConflict } from "@/lib/bookings/booking-conflict-error";
import { serializeBooking } from "@/lib/bookings/serialize-booking";
import { enqueueCalendarPush } from "@/lib/caldav/enqueue-calendar-push";
import { HoldfastError, invalidInput, notFound } from "@/lib/errors";
import { bookingResourceRefs, roomChoicesForService, serializeResource, type PublicResource } from "./resource-queries";
import {
  changeBookingRoomSchema,
  resourceInputSchema,
  resourceUpdateSchema,
  serviceNeedsSchema,
  type ChangeBookingRoomInput,
  type ResourceInput,
  type ResourceUpdate,
  type ServiceNeedsInput,
} from "./schemas";

/** The statuses whose resources block time (the same list as booking_resources.blocking). */
const BLOCKING_STATUSES = new Set(["hold", "awaiting_payment", "pending", "confirmed"]);

export async function createResource(db: Executor, input: ResourceInput): Promise<PublicResource> {
  const values = resourceInputSchema.parse(input);
  const [row] = await db.insert(resources).values(values).returning();
  return serializeResource(row!);
}

/**
 * Renames, (de)activates or changes a resource's cleanup. A deactivated one is offered to no new
 * booking and keeps the ones it has. Its kind can change only while no booking ever used it: a
 * booking's row names the kind it needed.
 */
export async function updateResource(db: Executor, id: string, input: ResourceUpdate): Promise<PublicResource> {
  const patch = resourceUpdateSchema.parse(input);
  return db.transaction(async (tx) => {
    const [current] = await tx.select().from(resources).where(eq(resources.id, id)).for("update");
    if (!current) throw notFound("That resource");
    if (patch.kind !== undefined && patch.kind !== current.kind) {
      const [used] = await tx.select({ id: bookingResources.bookingId }).from(bookingResources).where(eq(bookingResources.resourceId, id)).limit(1);
      if (used) throw invalidInput({ kind: ["Bookings already use this resource as a " + current.kind + "; add a new resource instead"] });
    }
    if (Object.keys(patch).length === 0) return serializeResource(current);
    const [row] = await tx.update(resources).set(patch).where(eq(resources.id, id)).returning();
    return serializeResource(row!);
  });
}

/** Replaces what a service needs (kinds, and which resources of each it may use) in one transaction. */
export async function setServiceNeeds(db: Executor, serviceId: string, input: ServiceNeedsInput) {
  const { needs } = serviceNeedsSchema.parse(input);
  return db.transaction(async (tx) => {
    const [service] = await tx.select({ id: services.id, name: services.name }).from(services).where(eq(services.id, serviceId)).for("update");
    if (!service) throw notFound("That service");
    const ids = needs.flatMap((n) => n.resourceIds);
    const found = ids.length ? await tx.select({ id: resources.id, kind: resources.kind }).from(resources).where(inArray(resources.id, ids)) : [];
    const fields: Record<string, string[]> = {};
    needs.forEach((need, i) => {
      for (const id of need.resourceIds) {
        const resource = found.find((r) => r.id === id);
        if (!resource) fields[`needs.${i}.resourceIds`] = [`No resource ${id}`];
        else if (resource.kind !== need.kind) fields[`needs.${i}.resourceIds`] = [`A ${resource.kind} cannot serve as a ${need.kind}`];
      }
    });
    if (Object.keys(fields).length) throw invalidInput(fields, "Some resources do not fit what the service needs");
    await tx.delete(serviceResourceNeeds).where(eq(serviceResourceNeeds.serviceId, serviceId));
    await tx.delete(serviceResources).where(eq(serviceResources.serviceId, serviceId));
    if (needs.length) await tx.insert(serviceResourceNeeds).values(needs.map((n) => ({ serviceId, kind: n.kind })));
    const allowed = [...new Set(ids)];
    if (allowed.length) await tx.insert(serviceResources).values(allowed.map((resourceId) => ({ serviceId, resourceId })));
    return { serviceId, serviceName: service.name, needs: needs.map((n) => ({ kind: n.kind, resourceIds: [...new Set(n.resourceIds)] })) };
  });
}

/**
 * Moves a booking to another room or station of a kind its service needs. The booking row is the
 * lock and the version the admin saw must still be current; the resource's exclusion constraint
 * decides whether the room is free (cleanup included), so two admins moving two bookings into the
 * same room can never both win. The booking's version goes up, and its calendar event is pushed
 * again (it names the room).
 */
export async function changeBookingRoom(db: Executor, bookingId: string, input: ChangeBookingRoomInput & { actor: Actor }) {
  const { version, kind, resourceId } = changeBookingRoomSchema.parse(input);
  try {
    return await db.transaction(async (tx) => {
      const [current] = await tx.select().from(bookings).where(eq(bookings.id, bookingId)).for("update");
      if (!current) throw notFound("That booking");
      const choices = await roomChoicesForService(tx, current.serviceId);
      const option = choices.find((c) => c.kind === kind)?.options.find((o) => o.id === resourceId);
      // The audit row of the version bump below names the change.
      await setAuditContext(tx, input.actor, `${kind} changed${option ? ` to ${option.name}` : ""}`);
      if (current.version !== version) {
        throw new BookingConflictError("stale_version", `This booking was changed since you loaded it (now ${current.status}, version ${current.version})`, {
          current: serializeBooking(current),
        });
      }
      if (!BLOCKING_STATUSES.has(current.status)) {
        throw new HoldfastError("invalid_transition", `A ${current.status} booking keeps the rooms it had`, {
          details: { current: serializeBooking(current) },
        });
      }
      if (!choices.some((c) => c.kind === kind)) throw invalidInput({ kind: [`This service needs no ${kind}`] });
      if (!option) throw invalidInput({ resourceId: [`Not an active ${kind} this service may use`] });
      // The resource row is the lock, as in holdfast_take_resources: racing takers queue instead of deadlocking in the constraint.
      const [resource] = await tx.select({ cleanupMinutes: resources.cleanupMinutes }).from(resources).where(eq(resources.id, resourceId)).for("update");
      const row = {
        bookingId,
        resourceId,
        kind,
        startsAt: current.startsAt,
        endsAt: current.endsAt,
        bufferBeforeMinutes: current.bufferBeforeMinutes,
        cleanupMinutes: Math.max(resource!.cleanupMinutes, current.bufferAfterMinutes),
        blocking: true,
      };
      await tx
        .insert(bookingResources)
        .values(row)
        .onConflictDoUpdate({
          target: [bookingResources.bookingId, bookingResources.kind],
          set: { resourceId, cleanupMinutes: row.cleanupMinutes, blocking: true },
        });
      // A room change is a change of the booking: another admin's open page must see it as stale.
      const [updated] = await tx
        .update(bookings)
        .set({ version: sql`${bookings.version} + 1` })
        .where(eq(bookings.id, bookingId))
        .returning();
      await enqueueCalendarPush(tx, updated!);
      return { bookingId, version: updated!.version, resources: await bookingResourceRefs(tx, bookingId) };
    });
  } catch (err) {
    if (!(err instanceof HoldfastError) && isSlotConflict(err)) {
      throw new BookingConflictError("no_room_free", `That ${kind} is taken at this booking's time (or its cleanup); the booking keeps its room`, {
        cause: err,
      });
    }
    throw err;
  }
}
