import { z } from "@/lib/zod";
import { defineRoute } from "@/lib/http/define-route";
import { setServiceNeeds } from "@/lib/resources/resource-commands";
import { serviceNeedsResponseSchema } from "@/lib/resources/response-schemas";
import { serviceNeedsSchema } from "@/lib/resources/schemas";

export const dynamic = "force-dynamic";

export const PUT = defineRoute(
  {
    method: "PUT",
    path: "/api/admin/resources/services/[id]",
    auth: "admin",
    tags: ["admin: studio"],
    summary: "Say what a service needs: one resource of each kind, from the listed resources (none listed: any active one of the kind)",
    params: z.object({ id: z.uuid() }),
    notFound: "That service was not found",
    body: serviceNeedsSchema,
    responses: { 200: serviceNeedsResponseSchema },
  },
  async ({ db, params, body }) => Response.json(await setServiceNeeds(db, params.id, body)),
);
