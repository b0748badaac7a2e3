/**
 * Every iCalendar event Holdfast writes for a booking: the artist's CalDAV event, and the
 * customer's event (the email attachment and the "Add to calendar" download, which share a UID
 * and so must be the same event). How a booking status shows in a calendar is decided here, once.
 */
import type { Booking, BookingStatus } from "@/db/schema";
import { buildEventCalendar, type IcalEventStatus } from "./build-event-calendar";
import { singleLineIcalText } from "./escape-text";

export const REQUEST_PREFIX = "REQUEST:";

type CalendarView = {
  status: IcalEventStatus;
  /** Whether the artist's calendar holds an event for the booking (deleted otherwise). */
  inArtistCalendar: boolean;
  artistTitlePrefix: string;
  customerTitlePrefix: string;
};

// A Record over every status, so a new status does not compile until it is placed here.
const CALENDAR_VIEW: Record<BookingStatus, CalendarView> = {
  hold: { status: "TENTATIVE", inArtistCalendar: false, artistTitlePrefix: `${REQUEST_PREFIX} `, customerTitlePrefix: "Requested: " },
  // Not yet a request: the customer is still in the Stripe checkout, and it may expire unpaid.
  awaiting_payment: { status: "TENTATIVE", inArtistCalendar: false, artistTitlePrefix: `${REQUEST_PREFIX} `, customerTitlePrefix: "Requested: " },
  pending: { status: "TENTATIVE", inArtistCalendar: true, artistTitlePrefix: `${REQUEST_PREFIX} `, customerTitlePrefix: "Requested: " },
  confirmed: { status: "CONFIRMED", inArtistCalendar: true, artistTitlePrefix: "", customerTitlePrefix: "" },
  completed: { status: "CONFIRMED", inArtistCalendar: true, artistTitlePrefix: "", customerTitlePrefix: "" },
  rejected: { status: "CANCELLED", inArtistCalendar: false, artistTitlePrefix: "", customerTitlePrefix: "" },
  cancelled: { status: "CANCELLED", inArtistCalendar: false, artistTitlePrefix: "", customerTitlePrefix: "" },
  expired: { status: "CANCELLED", inArtistCalendar: false, artistTitlePrefix: "", customerTitlePrefix: "" },
};

/** The statuses that have an event in the artist's calendar; every other status has none. */
export function bookingShowsInCalendar(status: BookingStatus): boolean {
  return CALENDAR_VIEW[status].inArtistCalendar;
}

/** iCalendar STATUS of a booking: TENTATIVE while it waits for approval. */
export function icalStatusOf(status: BookingStatus): IcalEventStatus {
  return CALENDAR_VIEW[status].status;
}

/** The artist's title: `REQUEST: <service> — <customer>` while pending, without the prefix once confirmed. */
export function artistEventSummary(status: BookingStatus, serviceName: string, customerName: string | null): string {
  return `${CALENDAR_VIEW[status].artistTitlePrefix}${singleLineIcalText(serviceName)} — ${singleLineIcalText(customerName ?? "").trim() || "customer"}`;
}

/** The customer's title: `Requested: <service> — <studio>` while pending, without the prefix once confirmed. */
export function customerEventSummary(status: BookingStatus, serviceName: string, studioName: string): string {
  return `${CALENDAR_VIEW[status].customerTitlePrefix}${singleLineIcalText(serviceName)} — ${singleLineIcalText(studioName)}`;
}

export function adminBookingUrl(appUrl: string, bookingId: string): string {
  return `${appUrl.replace(/\/$/, "")}/admin/bookings/${bookingId}`;
}

type BookingTimes = Pick<Booking, "id" | "status" | "startsAt" | "endsAt" | "version" | "caldavUid">;

export type ArtistBookingEventInput = {
  booking: BookingTimes & Pick<Booking, "customerName" | "customerEmail" | "customerPhone" | "notes">;
  serviceName: string;
  /** The artist's zone: the event carries it as TZID with a matching VTIMEZONE. */
  timezone: string;
  appUrl: string;
  now?: Date;
  /** The rooms or stations the booking took ("Room 2"), written as the event's LOCATION; null or omitted when none. */
  resources?: string | null;
  /** The signed link to the request's intake answers and reference images (lib/media/signed-links.ts), when it has any. */
  intakeUrl?: string | null;
};

function artistDescription(input: ArtistBookingEventInput): string {
  const { booking } = input;
  // Contact details are one line each, so a name cannot forge an "Email:" line of its own.
  const oneLine = (value: string | null) => (value ? singleLineIcalText(value).trim() : "") || "—";
  const lines = [
    booking.status === "pending" ? "Booking request — waiting for approval in Holdfast." : "Confirmed booking.",
    "",
    `Customer: ${oneLine(booking.customerName)}`,
    `Email: ${oneLine(booking.customerEmail)}`,
  ];
  if (booking.customerPhone?.trim()) lines.push(`Phone: ${oneLine(booking.customerPhone)}`);
  if (input.resources?.trim()) lines.push(`Room: ${oneLine(input.resources)}`);
  if (booking.notes?.trim()) lines.push("", "Notes:", booking.notes.trim());
  // The artist may have no Holdfast account: this link opens the answers and images without signing in, until it expires.
  if (input.intakeUrl) lines.push("", `Request details and reference images: ${input.intakeUrl}`);
  lines.push("", `Open in Holdfast: ${adminBookingUrl(input.appUrl, booking.id)}`);
  return lines.join("\n");
}

/**
 * The VCALENDAR to PUT into the artist's calendar for a booking's current state. No METHOD (a
 * CalDAV resource is not an iTIP message) and never ORGANIZER/ATTENDEE (the server would e-mail
 * the customer invitations). SEQUENCE follows the booking's version, which rises with every
 * meaningful change.
 */
export function buildArtistBookingEvent(input: ArtistBookingEventInput): { ics: string; summary: string; status: "TENTATIVE" | "CONFIRMED" } {
  const { booking } = input;
  const status = icalStatusOf(booking.status);
  if (!bookingShowsInCalendar(booking.status) || status === "CANCELLED") {
    throw new Error(`booking ${booking.id} is ${booking.status}: it has no event in the artist's calendar`);
  }
  const summary = artistEventSummary(booking.status, input.serviceName, booking.customerName);
  const ics = buildEventCalendar({
    uid: booking.caldavUid,
    sequence: booking.version,
    summary,
    description: artistDescription(input),
    start: booking.startsAt,
    end: booking.endsAt,
    timezone: input.timezone,
    status,
    url: adminBookingUrl(input.appUrl, booking.id),
    bookingId: booking.id,
    dtstamp: input.now ?? new Date(),
    location: input.resources?.trim() ? singleLineIcalText(input.resources).trim() : undefined,
  });
  return { ics, summary, status };
}

export type CustomerBookingEventInput = {
  booking: BookingTimes & Partial<Pick<Booking, "customerName" | "customerEmail">>;
  serviceName: string;
  artistName: string;
  studioName: string;
  /** The studio's email (the invitation's ORGANIZER) and address (its LOCATION). */
  studioContact?: { email?: string | null; address?: string | null };
  /** The artist's zone, as in the emails. */
  timezone: string;
  manageUrl: string;
  now?: Date;
};

/**
 * The customer's event has its own UID, fixed by the booking id: the artist's CalDAV UID can be
 * replaced (a server that refuses a re-used UID), and the customer's calendar must still update
 * the event it already has rather than add a second one.
 */
export function customerEventUid(bookingId: string): string {
  return `${bookingId}@holdfast`;
}

/** The studio's address as one LOCATION value: lines joined with commas, as calendar apps show it. */
export function studioLocation(address: string | null | undefined): string {
  return (address ?? "")
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter(Boolean)
    .join(", ");
}

export type CustomerEventMethod = "PUBLISH" | "REQUEST" | "CANCEL";

/** The METHOD of a calendar text Holdfast built (an email's .ics), or null when it has none or another. */
export function customerEventMethodOf(ics: string | null | undefined): CustomerEventMethod | null {
  const method = ics ? /^METHOD:([A-Z-]+)\r?$/m.exec(ics)?.[1] : undefined;
  return method === "REQUEST" || method === "CANCEL" || method === "PUBLISH" ? method : null;
}

/**
 * Every event the customer gets for a booking, from one function so the same UID always carries
 * the same text and a calendar app updates rather than duplicates it:
 * - `REQUEST` (iTIP over iMIP, RFC 5546/6047): the invitation in the confirmation, reschedule and
 *   reminder emails, with the studio as ORGANIZER and the customer as ATTENDEE, so mail clients
 *   offer to add it and later move it;
 * - `CANCEL`: the same UID with a higher SEQUENCE, so those clients remove it;
 * - `PUBLISH`: the "Add to calendar" download of the current state (a plain import).
 * SEQUENCE is the booking's version, which rises with every meaningful change.
 */
export function buildCustomerBookingEvent(input: CustomerBookingEventInput, method: CustomerEventMethod = "PUBLISH"): string {
  const { booking } = input;
  const contact = input.studioContact ?? {};
  const status = method === "CANCEL" ? "CANCELLED" : icalStatusOf(booking.status);
  const location = studioLocation(contact.address);
  const description = [
    `${input.serviceName} with ${input.artistName}.`,
    ...(status === "TENTATIVE" ? ["Waiting for the studio to confirm."] : []),
    ...(status === "CANCELLED" ? ["This appointment is cancelled."] : []),
    ...(location ? [`Where: ${location}`] : []),
    `Manage your booking: ${input.manageUrl}`,
  ].join("\n");
  const invitation = method !== "PUBLISH";
  if (invitation && !(contact.email && booking.customerEmail)) {
    throw new Error(`booking ${booking.id}: an invitation needs the studio's and the customer's email`);
  }
  return buildEventCalendar({
    uid: customerEventUid(booking.id),
    sequence: booking.version,
    summary: customerEventSummary(status === "CANCELLED" ? "cancelled" : booking.status, input.serviceName, input.studioName),
    description,
    start: booking.startsAt,
    end: booking.endsAt,
    timezone: input.timezone,
    status,
    location: location || undefined,
    url: input.manageUrl,
    bookingId: booking.id,
    method,
    ...(invitation
      ? {
          organizerEmail: contact.email!,
          organizerName: singleLineIcalText(input.studioName),
          attendee: { name: singleLineIcalText(booking.customerName ?? "").trim(), email: booking.customerEmail! },
        }
      : {}),
    dtstamp: input.now ?? new Date(),
  });
}
