import type { Metadata } from "next";
import { getDb } from "@/db/client";
import { ResourcesEditor } from "@/components/admin/resources-editor";
import { requireAdminPage } from "@/lib/auth/admin-page";
import { listResources, listServiceNeeds } from "@/lib/resources/resource-queries";

export const metadata: Metadata = { title: "Rooms and stations" };
export const dynamic = "force-dynamic";

export default async function ResourcesPage() {
  await requireAdminPage("/admin/resources");
  const db = getDb();
  const [resources, services] = await Promise.all([listResources(db), listServiceNeeds(db)]);
  return (
    <>
      <h1>Rooms and stations</h1>
      <p className="muted">
        Rooms and stations are booked together with the artist: a service that needs a room is offered only when the artist and a suitable room are free,
        cleanup included.
      </p>
      <ResourcesEditor resources={resources} services={services} />
    </>
  );
}
