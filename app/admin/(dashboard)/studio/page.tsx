import type { Metadata } from "next";
import Link from "next/link";
import { getDb } from "@/db/client";
import { formatPrice } from "@/lib/studio/format-price";
import { OutsideHoursList } from "@/components/admin/outside-hours-list";
import { StudioSettingsForm } from "@/components/admin/studio-contact-form";
import { getStudioSetup } from "@/lib/admin/studio-setup";
import { requireAdminPage } from "@/lib/auth/admin-page";
import { describeLeadTime } from "@/lib/notifications/plan-reminders";
import { getStudioSettings } from "@/lib/studio/studio-settings";
import { formatDuration, formatNotice } from "@/lib/time/format-duration";
import { bookingsOutsideHoursForStudio } from "@/lib/studio/working-hours";

export const metadata: Metadata = { title: "Studio setup" };
export const dynamic = "force-dynamic";

export default async function StudioPage() {
  await requireAdminPage("/admin/studio");
  const db = getDb();
  const [setup, outside, settings] = await Promise.all([getStudioSetup(db), bookingsOutsideHoursForStudio(db), getStudioSettings(db)]);
  const serviceName = new Map(setup.services.map((s) => [s.id, s.name]));
  return (
    <>
      <h1>Studio setup</h1>
      <StudioSettingsForm
        settings={{
          name: settings.name,
          email: settings.email,
          address: settings.address,
          phone: settings.phone,
          mapUrl: settings.mapUrl,
          policyText: settings.policyText,
          cancellationNoticeHours: settings.cancellationNoticeHours,
          customerCancelRefund: settings.customerCancelRefund,
          embedOrigins: settings.embedOrigins,
        }}
      />
      <section className="panel" aria-labelledby="artists-title">
        <div className="page-head">
          <h2 id="artists-title">Artists</h2>
          <Link href="/admin/studio/artists/new" className="btn primary small">
            Add artist
          </Link>
        </div>
        <div className="table-wrap">
          <table className="data">
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Slug</th>
                <th scope="col">Time zone</th>
                <th scope="col">Services</th>
                <th scope="col">Emails the artist</th>
                <th scope="col">Active</th>
              </tr>
            </thead>
            <tbody>
              {setup.artists.map((a) => (
                <tr key={a.id}>
                  <td>
                    <Link href={`/admin/studio/artists/${a.id}`}>{a.name}</Link>
                  </td>
                  <td className="mono">{a.slug}</td>
                  <td>{a.timezone}</td>
                  <td>
                    <ul className="pill-list">
                      {a.serviceIds.map((id) => (
                        <li key={id}>{serviceName.get(id)}</li>
                      ))}
                    </ul>
                  </td>
                  <td>{a.email && a.notifyByEmail ? "yes" : "no"}</td>
                  <td>{a.active ? "yes" : "no"}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </section>

      <section className="panel" aria-labelledby="services-title">
        <div className="page-head">
          <h2 id="services-title">Services</h2>
          <Link href="/admin/studio/services/new" className="btn primary small">
            Add service
          </Link>
        </div>
        <div className="table-wrap">
          <table className="data">
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Duration</th>
                <th scope="col">Buffers</th>
                <th scope="col">Price</th>
                <th scope="col">Auto-confirm</th>
                <th scope="col">Notice</th>
                <th scope="col">Window</th>
                <th scope="col">Step</th>
                <th scope="col">Reminders</th>
                <th scope="col">Active</th>
              </tr>
            </thead>
            <tbody>
              {setup.services.map((s) => (
                <tr key={s.id}>
                  <td>
                    <Link href={`/admin/studio/services/${s.id}`}>{s.name}</Link>
                  </td>
                  <td>{s.durationMinutes} min</td>
                  <td>
                    {s.bufferBeforeMinutes} / {s.bufferAfterMinutes} min
                  </td>
                  <td>{formatPrice(s.priceCents, s.currency)}</td>
                  <td>{s.autoConfirm ? "yes" : "no"}</td>
                  <td>{formatNotice(s.minNoticeMinutes)}</td>
                  <td>{formatDuration(s.bookingWindowDays * 1440)}</td>
                  <td>{s.slotStepMinutes} min</td>
                  <td>{s.reminderLeadMinutes.length === 0 ? "none" : s.reminderLeadMinutes.map((m) => `${describeLeadTime(m)} before`).join(", ")}</td>
                  <td>{s.active ? "yes" : "no"}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </section>

      <OutsideHoursList bookings={outside} showArtist title="Upcoming bookings outside working hours (review)" />
    </>
  );
}
