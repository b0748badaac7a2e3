import type { Actor, ActorKind } from "@/lib/bookings/audit-context";

/** Set by our own server from the socket address (scripts/start.ts); any incoming copy is dropped there. */
export const CLIENT_IP_HEADER = "x-holdfast-client-ip";

export type ClientInfo = { ip: string; userAgent: string | null };

export function clientInfo(req: Request): ClientInfo {
  const trustProxy = ["1", "true", "yes", "on"].includes((process.env.TRUST_PROXY ?? "").toLowerCase());
  const forwarded = trustProxy ? req.headers.get("x-forwarded-for")?.split(",")[0]?.trim() : undefined;
  const ip = forwarded || req.headers.get(CLIENT_IP_HEADER) || "unknown";
  return { ip, userAgent: req.headers.get("user-agent") };
}

export function actorFrom(client: ClientInfo, kind: ActorKind, id?: string | null): Actor {
  return { kind, id: id ?? null, ip: client.ip, userAgent: client.userAgent };
}
