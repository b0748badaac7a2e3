import { defineDecisionRoute } from "@/lib/admin/define-decision-route";

export const dynamic = "force-dynamic";

export const POST = defineDecisionRoute("reject");
