import { z } from "@/lib/zod";
import { singleLineString } from "@/lib/bookings/schemas";

/** "room", "station", "laser-room": lower-case words, so "Room" and "room " are never two kinds. */
export const resourceKindSchema = z
  .string({ error: "kind is required" })
  .trim()
  .toLowerCase()
  .regex(/^[a-z0-9][a-z0-9-]{0,39}$/, "A kind is one lower-case word (letters, digits, dashes), e.g. room or station");

export const resourceInputSchema = z.object({
  name: singleLineString("Remove the control characters", { error: "name is required" }).trim().min(1, "Enter a name").max(80),
  kind: resourceKindSchema,
  active: z.boolean().default(true),
  cleanupMinutes: z.number().int().min(0).max(1440, "At most a day (1440 minutes)").default(0),
});
export type ResourceInput = z.input<typeof resourceInputSchema>;

export const resourceUpdateSchema = z.object({
  name: resourceInputSchema.shape.name.optional(),
  kind: resourceKindSchema.optional(),
  active: z.boolean().optional(),
  cleanupMinutes: z.number().int().min(0).max(1440, "At most a day (1440 minutes)").optional(),
});
export type ResourceUpdate = z.input<typeof resourceUpdateSchema>;

/**
 * What a service needs: one resource of each listed kind, from `resourceIds` when any are given
 * (they must be of that kind), else from every active resource of the kind.
 */
export const serviceNeedsSchema = z.object({
  needs: z
    .array(z.object({ kind: resourceKindSchema, resourceIds: z.array(z.uuid()).max(100).default([]) }))
    .max(10)
    .refine((needs) => new Set(needs.map((n) => n.kind)).size === needs.length, "Each kind once"),
});
export type ServiceNeedsInput = z.input<typeof serviceNeedsSchema>;

export const changeBookingRoomSchema = z.object({
  version: z.number({ error: "version is required: send the version you saw" }).int().positive(),
  kind: resourceKindSchema,
  resourceId: z.uuid({ error: "Not a resource id" }),
});
export type ChangeBookingRoomInput = z.input<typeof changeBookingRoomSchema>;
