"use client";

import { zoneLabel } from "@/lib/time/format-in-zone";

type Props = {
  id: string;
  studioZone: string;
  studioZoneLabel: string;
  /** The device's zone: null in the server render and until hydration, then offered as a second option. */
  browserZone: string | null;
  displayZone: string;
  onChange: (zone: string) => void;
};

/**
 * "Show times in": one compact select that is already in the server's HTML (studio time). The
 * customer's own zone is added as an option once the browser is known; adding an option changes
 * nothing on screen, so a visitor from another zone sees no shift (it used to be a fieldset
 * inserted after hydration, pushing the week down 155 px).
 */
export function ZoneSelect({ id, studioZone, studioZoneLabel, browserZone, displayZone, onChange }: Props) {
  const offerOwn = !!browserZone && browserZone !== studioZone;
  return (
    <div className="zone-bar">
      <label htmlFor={id}>Show times in</label>
      <select id={id} className="zone-select" value={displayZone} onChange={(e) => onChange(e.target.value)}>
        <option value={studioZone}>{`Studio time — ${studioZoneLabel}`}</option>
        {offerOwn ? <option value={browserZone}>{`My time — ${zoneLabel(browserZone)}`}</option> : null}
        {displayZone !== studioZone && displayZone !== browserZone ? <option value={displayZone}>{zoneLabel(displayZone)}</option> : null}
      </select>
    </div>
  );
}
