import type { Metadata } from "next";
import Link from "next/link";
import { getDb } from "@/db/client";
import { NewBookingForm } from "@/components/admin/new-booking-form";
import { requireAdminPage } from "@/lib/auth/admin-page";
import { listArtists } from "@/lib/studio/list-artists";

export const metadata: Metadata = { title: "New booking" };
export const dynamic = "force-dynamic";

export default async function NewBookingPage() {
  await requireAdminPage("/admin/bookings/new");
  const artists = await listArtists(getDb());
  return (
    <>
      <div className="page-head">
        <h1>New booking</h1>
        <p className="muted small">
          For a customer on the phone or at the counter: confirmed at once and pushed to the artist&apos;s calendar.{" "}
          <Link href="/admin/bookings">Back to bookings</Link>
        </p>
      </div>
      <NewBookingForm
        artists={artists.map((a) => ({ slug: a.slug, name: a.name, timezone: a.timezone, services: a.services.map((s) => ({ slug: s.slug, name: s.name })) }))}
      />
    </>
  );
}
