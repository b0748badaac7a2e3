import { z } from "@/lib/zod";
import { defineRoute } from "@/lib/http/define-route";
import { updateResource } from "@/lib/resources/resource-commands";
import { resourceResponseSchema } from "@/lib/resources/response-schemas";
import { resourceUpdateSchema } from "@/lib/resources/schemas";

export const dynamic = "force-dynamic";

export const PATCH = defineRoute(
  {
    method: "PATCH",
    path: "/api/admin/resources/[id]",
    auth: "admin",
    tags: ["admin: studio"],
    summary: "Rename a room or station, (de)activate it or change its cleanup; its kind only while no booking used it",
    params: z.object({ id: z.uuid() }),
    notFound: "That resource was not found",
    body: resourceUpdateSchema,
    responses: { 200: resourceResponseSchema },
  },
  async ({ db, params, body }) => Response.json({ resource: await updateResource(db, params.id, body) }),
);
