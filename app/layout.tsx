import type { Metadata, Viewport } from "next";
import { headers } from "next/headers";
import { connection } from "next/server";
import { getDb } from "@/db/client";
import { EmbedBridge } from "@/components/embed/embed-bridge";
import { StudioContactFooter } from "@/components/studio-contact-footer";
import { SiteHeader } from "@/components/ui/site-header";
import { getPublicStudioInfo } from "@/lib/studio/public-studio-info";
import "./globals.css";

export const metadata: Metadata = {
  title: { default: "Holdfast", template: "%s · Holdfast" },
  description: "Book a session with your studio's artists.",
};

export const viewport: Viewport = { width: "device-width", initialScale: 1 };

export default async function RootLayout({ children }: { children: React.ReactNode }) {
  // Read at request time: the contact details change in Studio setup, and the build has no database.
  await connection();
  const studio = await getPublicStudioInfo(getDb());
  // Set by proxy.ts for a booking page opened with ?embed=1 inside the studio's own site (public/embed.js).
  const embed = (await headers()).get("x-holdfast-embed");
  if (embed) {
    return (
      <html lang="en">
        <body data-embed="">
          {children}
          <EmbedBridge parentOrigin={embed === "-" ? null : embed} />
        </body>
      </html>
    );
  }
  return (
    <html lang="en">
      <body>
        <a className="skip-link" href="#main">
          Skip to content
        </a>
        <SiteHeader />
        {children}
        <StudioContactFooter studio={studio} />
      </body>
    </html>
  );
}
