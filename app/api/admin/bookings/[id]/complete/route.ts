import { decisionRoute } from "@/lib/admin/decision-route";

export const dynamic = "force-dynamic";

export const POST = decisionRoute("complete");
