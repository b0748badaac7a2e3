/**
 * Windows time-zone names ("Pacific Standard Time", "W. Europe Standard Time") as IANA zones.
 * Outlook and Exchange write them as TZIDs, sometimes without the VTIMEZONE that would define
 * them. The mapping is Unicode CLDR's windowsZones table
 * (https://github.com/unicode-org/cldr/blob/main/common/supplemental/windowsZones.xml), as carried
 * by the `windows-iana` package; its territory "001" row is CLDR's canonical zone for a name.
 */
import { WINDOWS_TO_IANA_MAP } from "windows-iana";

let canonicalByName: Map<string, string> | null = null;

function table(): Map<string, string> {
  if (!canonicalByName) {
    canonicalByName = new Map();
    for (const row of WINDOWS_TO_IANA_MAP) {
      const zone = row.iana[0];
      if (row.territory === "001" && zone) canonicalByName.set(row.windowsName.toLowerCase(), zone);
    }
  }
  return canonicalByName;
}

/** The IANA zone CLDR maps a Windows zone name to, or null when the name is not a Windows zone. */
export function windowsZoneToIana(name: string): string | null {
  return table().get(name.trim().toLowerCase()) ?? null;
}
