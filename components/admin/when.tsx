import { formatWhen } from "./format";

/** A booking's time on the artist's clock, with the zone abbreviation and the IANA zone named. */
export function When({ start, end, timezone }: { start: string; end: string; timezone: string }) {
  const w = formatWhen(start, end, timezone);
  return (
    <span className="when" title={w.text}>
      <strong>{w.date}</strong>
      {w.time} {w.abbr} <span className="zone">{w.timezone}</span>
    </span>
  );
}
