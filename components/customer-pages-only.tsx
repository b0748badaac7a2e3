"use client";

import { usePathname } from "next/navigation";

/**
 * Renders its children on the customer pages only. The root layout is shared with the admin area,
 * which has its own header and needs no studio footer (the admin's styles hide the public header
 * the same way).
 */
export function CustomerPagesOnly({ children }: { children: React.ReactNode }) {
  const pathname = usePathname();
  if (pathname === "/admin" || pathname?.startsWith("/admin/")) return null;
  return <>{children}</>;
}
