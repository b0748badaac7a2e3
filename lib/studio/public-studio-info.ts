import type { Executor } from "@/db/client";
import { isHttpUrl } from "./schemas";
import { getStudioSettings } from "./studio-settings";

export type StudioContactDetails = {
  /** The postal address, one entry per line; empty when the studio has not entered one. */
  addressLines: string[];
  /** As the studio wrote it ("+49 30 1234 567"), for reading. */
  phone: string | null;
  /** `tel:+49301234567`: what a phone dials when the number is tapped. */
  phoneHref: string | null;
  email: string | null;
  mailtoHref: string | null;
  /** Only an http(s) link: anything else in the row is never put in a customer's page. */
  mapUrl: string | null;
};

export type PublicStudioInfo = {
  name: string;
  timezone: string;
  policyText: string;
  cancellationNoticeHours: number;
  contact: StudioContactDetails;
};

/** The contact details as links, from the stored strings (empty means "not given"). */
export function studioContactDetails(settings: { address: string; phone: string; email: string; mapUrl: string }): StudioContactDetails {
  const phone = settings.phone.trim();
  const dial = phone.replace(/[^+0-9]/g, "").replace(/(?!^)\+/g, "");
  const email = settings.email.trim();
  const mapUrl = settings.mapUrl.trim();
  return {
    addressLines: settings.address
      .split(/\r\n?|\n/)
      .map((line) => line.trim())
      .filter(Boolean),
    phone: phone && /[0-9]/.test(dial) ? phone : null,
    phoneHref: phone && /[0-9]/.test(dial) ? `tel:${dial}` : null,
    email: email || null,
    // Anything that could add headers or a second recipient to the mailto: is shown, not linked.
    mailtoHref: /^[^\s@?&#%,;:/]+@[^\s@?&#%,;:/]+$/.test(email) ? `mailto:${email}` : null,
    mapUrl: mapUrl && isHttpUrl(mapUrl) ? mapUrl : null,
  };
}

/** What customers may see of the studio's settings: its name, zone, policy, cancellation notice and how to reach it. */
export async function getPublicStudioInfo(db: Executor): Promise<PublicStudioInfo> {
  const settings = await getStudioSettings(db);
  const { name, timezone, policyText, cancellationNoticeHours } = settings;
  return { name, timezone, policyText, cancellationNoticeHours, contact: studioContactDetails(settings) };
}
