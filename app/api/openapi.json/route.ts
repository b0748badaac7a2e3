import { z } from "@/lib/zod";
import { defineRoute } from "@/lib/http/define-route";
import { buildOpenApiDocument, type OpenApiDocument } from "@/lib/http/openapi-document";
import { apiRouteDefinitions } from "../route-modules";

export const dynamic = "force-dynamic";

let document: OpenApiDocument | undefined;

export const GET = defineRoute(
  {
    method: "GET",
    path: "/api/openapi.json",
    auth: "public",
    tags: ["operations"],
    summary: "This document: OpenAPI 3.1 for every /api route",
    responses: {
      200: z
        .object({ openapi: z.literal("3.1.0") })
        .catchall(z.unknown())
        .meta({ description: "An OpenAPI 3.1 document" }),
    },
  },
  async () => {
    // Built once per process: it depends on the code only.
    document ??= buildOpenApiDocument([...apiRouteDefinitions(), GET.definition]);
    return Response.json(document);
  },
);
