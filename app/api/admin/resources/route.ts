import { defineRoute } from "@/lib/http/define-route";
import { createResource } from "@/lib/resources/resource-commands";
import { listResources, listServiceNeeds } from "@/lib/resources/resource-queries";
import { resourceResponseSchema, resourcesResponseSchema } from "@/lib/resources/response-schemas";
import { resourceInputSchema } from "@/lib/resources/schemas";

export const dynamic = "force-dynamic";

export const GET = defineRoute(
  {
    method: "GET",
    path: "/api/admin/resources",
    auth: "admin",
    tags: ["admin: studio"],
    summary: "Rooms and stations, and what each service needs of them",
    responses: { 200: resourcesResponseSchema },
  },
  async ({ db }) => {
    const [resources, services] = await Promise.all([listResources(db), listServiceNeeds(db)]);
    return Response.json({ resources, services });
  },
);

export const POST = defineRoute(
  {
    method: "POST",
    path: "/api/admin/resources",
    auth: "admin",
    tags: ["admin: studio"],
    summary: "Add a room or station (name, kind, active, cleanup minutes after each use)",
    body: resourceInputSchema,
    responses: { 201: resourceResponseSchema },
  },
  async ({ db, body }) => Response.json({ resource: await createResource(db, body) }, { status: 201 }),
);
