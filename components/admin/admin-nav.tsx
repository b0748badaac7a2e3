"use client";

import Link from "next/link";
import { usePathname } from "next/navigation";
import type { AdminSummary } from "@/lib/admin/summary";
import { ConflictsBadge, PendingBadge } from "./summary-poller";

export type NavLink = { href: string; label: string };

/** The dashboard's navigation; the Requests link carries the live pending count, Calendar sync the open conflicts. */
export function AdminNav({ links, summary }: { links: NavLink[]; summary: AdminSummary }) {
  const pathname = usePathname();
  const current = (href: string) => (href === "/admin" ? pathname === "/admin" : pathname === href || pathname.startsWith(`${href}/`));
  return (
    <nav aria-label="Admin" className="admin-nav">
      <ul>
        {links.map((link) => (
          <li key={link.href}>
            <Link href={link.href} aria-current={current(link.href) ? "page" : undefined}>
              {link.label}
              {link.href === "/admin" && <PendingBadge initial={summary} />}
              {link.href === "/admin/calendars" && <ConflictsBadge initial={summary} />}
            </Link>
          </li>
        ))}
      </ul>
    </nav>
  );
}
