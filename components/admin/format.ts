import { dateTimeFormat } from "@/lib/time/intl-cache";
import { zoneAbbreviation } from "@/lib/time/format-in-zone";

function fmt(timeZone: string, options: Intl.DateTimeFormatOptions) {
  return dateTimeFormat("en-GB", options, timeZone);
}

const dateOptions: Intl.DateTimeFormatOptions = { weekday: "short", day: "numeric", month: "short", year: "numeric" };
const timeOptions: Intl.DateTimeFormatOptions = { hour: "2-digit", minute: "2-digit", hourCycle: "h23" };
const instantOptions: Intl.DateTimeFormatOptions = {
  day: "numeric",
  month: "short",
  year: "numeric",
  hour: "2-digit",
  minute: "2-digit",
  second: "2-digit",
  hourCycle: "h23",
};

/** A booking's time for a table row, on the artist's clock, with the zone spelled out. */
export function formatWhen(startIso: string, endIso: string, timezone: string) {
  const start = new Date(startIso);
  const end = new Date(endIso);
  const date = fmt(timezone, dateOptions).format(start);
  const endDate = fmt(timezone, dateOptions).format(end);
  const from = fmt(timezone, timeOptions).format(start);
  const to = fmt(timezone, timeOptions).format(end);
  const startAbbr = zoneAbbreviation(start, timezone);
  const endAbbr = zoneAbbreviation(end, timezone);
  const time = date === endDate ? `${from}–${to}` : `${from} – ${endDate}, ${to}`;
  return { date, time, abbr: startAbbr === endAbbr ? startAbbr : `${startAbbr}/${endAbbr}`, timezone, text: `${date}, ${time} ${startAbbr} (${timezone})` };
}

/** "3 Mar 2026, 14:02 CET" — an instant (a log time) in a given zone. */
export function formatInstant(iso: string | null | undefined, timezone: string) {
  if (!iso) return "—";
  const d = new Date(iso);
  const text = fmt(timezone, instantOptions).format(d);
  return `${text} ${zoneAbbreviation(d, timezone)}`;
}

/** "4 min", "3 h", "2 d" since an instant. */
export function ageOf(iso: string | null | undefined, now = Date.now()) {
  if (!iso) return "—";
  return durationText(Math.max(0, Math.round((now - Date.parse(iso)) / 1000)));
}

export function durationText(seconds: number) {
  if (seconds < 60) return `${seconds} s`;
  if (seconds < 3600) return `${Math.round(seconds / 60)} min`;
  if (seconds < 86_400) return `${Math.round(seconds / 360) / 10} h`;
  return `${Math.round(seconds / 8640) / 10} d`;
}
