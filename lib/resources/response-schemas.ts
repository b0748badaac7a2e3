import { z } from "@/lib/zod";

/** A room or station as the admin API writes it. */
export const resourceSchema = z
  .strictObject({ id: z.uuid(), name: z.string(), kind: z.string(), active: z.boolean(), cleanupMinutes: z.number().int() })
  .meta({ id: "Resource" });

/** The room or station a booking took. */
export const bookingResourceSchema = z.strictObject({ id: z.uuid(), name: z.string(), kind: z.string() }).meta({ id: "BookingResource" });

export const serviceNeedSchema = z.strictObject({
  kind: z.string(),
  resourceIds: z.array(z.uuid()).meta({ description: "The resources of this kind the service may use; empty = every active one of the kind." }),
});

export const serviceNeedsSchemaOut = z.strictObject({ serviceId: z.uuid(), serviceName: z.string(), needs: z.array(serviceNeedSchema) });

export const resourcesResponseSchema = z.strictObject({ resources: z.array(resourceSchema), services: z.array(serviceNeedsSchemaOut) });
export const resourceResponseSchema = z.strictObject({ resource: resourceSchema });
export const serviceNeedsResponseSchema = serviceNeedsSchemaOut;
export const bookingRoomResponseSchema = z.strictObject({ bookingId: z.uuid(), version: z.number().int(), resources: z.array(bookingResourceSchema) });
