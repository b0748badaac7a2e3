import Link from "next/link";
import { getDb } from "@/db/client";
import { AdminNav, type NavLink } from "@/components/admin/admin-nav";
import { IncidentBanner } from "@/components/admin/incident-banner";
import { SignOutButton } from "@/components/admin/sign-out-button";
import { getAdminSummary } from "@/lib/admin/summary";
import { requireAdminPage } from "@/lib/auth/admin-page";
import { listOpenIncidents } from "@/lib/watchdog/list-incidents";

export const dynamic = "force-dynamic";

const LINKS: NavLink[] = [
  { href: "/admin", label: "Requests" },
  { href: "/admin/bookings", label: "Bookings" },
  { href: "/admin/calendar", label: "Calendar" },
  { href: "/admin/studio", label: "Studio setup" },
  { href: "/admin/resources", label: "Rooms" },
  { href: "/admin/calendars", label: "Calendar sync" },
  { href: "/admin/outbox", label: "Outbox & jobs" },
  { href: "/admin/alerts", label: "Alerts" },
  { href: "/admin/webhooks", label: "Webhooks" },
];

export default async function DashboardLayout({ children }: { children: React.ReactNode }) {
  const user = await requireAdminPage("/admin");
  const db = getDb();
  const [summary, incidents] = await Promise.all([getAdminSummary(db), listOpenIncidents(db)]);
  return (
    <>
      <header className="admin-header">
        <div className="admin-header-inner">
          <Link href="/admin" className="admin-brand">
            Holdfast admin
          </Link>
          <AdminNav links={LINKS} summary={summary} />
          <div className="admin-user">
            <span>
              {user.name || user.email} <span className="sr-only">(signed in)</span>
            </span>
            <SignOutButton />
          </div>
        </div>
      </header>
      <IncidentBanner incidents={incidents} />
      <main id="main">{children}</main>
    </>
  );
}
