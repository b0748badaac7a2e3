import { asc, eq, inArray } from "drizzle-orm";
import type { Executor } from "@/db/client";
import { bookingResources, resources, serviceResourceNeeds, serviceResources, services, type Resource } from "@/db/schema";

export type PublicResource = { id: string; name: string; kind: string; active: boolean; cleanupMinutes: number };
export type BookingResourceRef = { id: string; name: string; kind: string };
export type ServiceNeeds = { serviceId: string; serviceName: string; needs: { kind: string; resourceIds: string[] }[] };

export function serializeResource(r: Resource): PublicResource {
  return { id: r.id, name: r.name, kind: r.kind, active: r.active, cleanupMinutes: r.cleanupMinutes };
}

/** Every room and station, by kind then name. */
export async function listResources(db: Executor): Promise<PublicResource[]> {
  const rows = await db.select().from(resources).orderBy(asc(resources.kind), asc(resources.name), asc(resources.id));
  return rows.map(serializeResource);
}

/** Every service with what it needs (kinds, and the resources it may use of each); services without needs have `needs: []`. */
export async function listServiceNeeds(db: Executor): Promise<ServiceNeeds[]> {
  const [allServices, needs, allowed] = await Promise.all([
    db.select({ id: services.id, name: services.name }).from(services).orderBy(asc(services.name)),
    db.select().from(serviceResourceNeeds).orderBy(asc(serviceResourceNeeds.kind)),
    db
      .select({ serviceId: serviceResources.serviceId, resourceId: serviceResources.resourceId, kind: resources.kind })
      .from(serviceResources)
      .innerJoin(resources, eq(resources.id, serviceResources.resourceId)),
  ]);
  return allServices.map((s) => ({
    serviceId: s.id,
    serviceName: s.name,
    needs: needs
      .filter((n) => n.serviceId === s.id)
      .map((n) => ({ kind: n.kind, resourceIds: allowed.filter((a) => a.serviceId === s.id && a.kind === n.kind).map((a) => a.resourceId) })),
  }));
}

/** The kinds each of these services needs (`GET /api/artists`): one query for all of them. */
export async function needsByService(db: Executor, serviceIds: string[]): Promise<Map<string, { kind: string }[]>> {
  const map = new Map<string, { kind: string }[]>();
  if (serviceIds.length === 0) return map;
  const rows = await db.select().from(serviceResourceNeeds).where(inArray(serviceResourceNeeds.serviceId, serviceIds)).orderBy(asc(serviceResourceNeeds.kind));
  for (const row of rows) map.set(row.serviceId, [...(map.get(row.serviceId) ?? []), { kind: row.kind }]);
  return map;
}

/** The rooms and stations these bookings took, by booking id (one query for a whole week view). */
export async function resourcesByBooking(db: Executor, bookingIds: string[]): Promise<Map<string, BookingResourceRef[]>> {
  const map = new Map<string, BookingResourceRef[]>();
  if (bookingIds.length === 0) return map;
  const rows = await db
    .select({ bookingId: bookingResources.bookingId, id: resources.id, name: resources.name, kind: bookingResources.kind })
    .from(bookingResources)
    .innerJoin(resources, eq(resources.id, bookingResources.resourceId))
    .where(inArray(bookingResources.bookingId, bookingIds))
    .orderBy(asc(bookingResources.kind));
  for (const { bookingId, ...ref } of rows) map.set(bookingId, [...(map.get(bookingId) ?? []), ref]);
  return map;
}

/** The rooms and stations one booking took, `[]` when its service needs none. */
export async function bookingResourceRefs(db: Executor, bookingId: string): Promise<BookingResourceRef[]> {
  return (await resourcesByBooking(db, [bookingId])).get(bookingId) ?? [];
}

/** "Room 2", "Room 2, Station 1": what a calendar event or a confirmation names. */
export function describeResources(refs: readonly BookingResourceRef[]): string | null {
  return refs.length ? refs.map((r) => r.name).join(", ") : null;
}

/**
 * For the booking detail's room panel: per kind the booking's service needs, the resources it may
 * use (listed ones, else every active one of the kind), so the admin picks only a suitable one.
 */
export async function roomChoicesForService(db: Executor, serviceId: string): Promise<{ kind: string; options: BookingResourceRef[] }[]> {
  const [needs, allowed, all] = await Promise.all([
    db.select().from(serviceResourceNeeds).where(eq(serviceResourceNeeds.serviceId, serviceId)).orderBy(asc(serviceResourceNeeds.kind)),
    db.select({ resourceId: serviceResources.resourceId }).from(serviceResources).where(eq(serviceResources.serviceId, serviceId)),
    db.select().from(resources).where(eq(resources.active, true)).orderBy(asc(resources.name)),
  ]);
  const listed = new Set(allowed.map((a) => a.resourceId));
  return needs.map((n) => {
    const ofKind = all.filter((r) => r.kind === n.kind);
    const limited = ofKind.filter((r) => listed.has(r.id));
    return { kind: n.kind, options: (limited.length ? limited : ofKind).map((r) => ({ id: r.id, name: r.name, kind: r.kind })) };
  });
}
