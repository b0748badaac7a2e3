/**
 * A tiny iCalendar writer. Values are tagged with their kind and escaped here, by the functions of
 * escape-text.ts, so no caller can put raw text into a content line; ical.js is used to read, not
 * to write, because its writer passes a bare CR through (one name could add ATTENDEE or RRULE).
 */
import { escapeParamValue, escapeText, escapeUri, foldContentLine } from "./escape-text";

/** TEXT (escaped), a URI / CAL-ADDRESS (percent-encoded), or a fixed token such as a date-time or an enum. */
export type IcalValue = { text: string } | { uri: string } | { token: string };

export type IcalProperty = { name: string; params?: Record<string, string>; value: IcalValue };

export type IcalComponent = { name: string; properties: IcalProperty[]; components?: IcalComponent[] };

export const text = (value: string): IcalValue => ({ text: value });
export const uri = (value: string): IcalValue => ({ uri: value });
export const token = (value: string | number): IcalValue => ({ token: String(value) });

const NAME = /^[A-Z][A-Z0-9-]*$/;
// Date-times, offsets, integers, enums like TENTATIVE, "2.0": nothing that needs escaping.
const TOKEN = /^[A-Za-z0-9+\-.]+$/;
// Parameter values that RFC 5545 allows unquoted and that need no escaping (TZIDs, ROLE, RSVP).
const SAFE_PARAM = /^[A-Za-z0-9_+\-./]+$/;

function checkedName(name: string): string {
  const upper = name.toUpperCase();
  if (!NAME.test(upper)) throw new Error(`not an iCalendar name: ${JSON.stringify(name)}`);
  return upper;
}

function valueString(value: IcalValue): string {
  if ("text" in value) return escapeText(value.text);
  if ("uri" in value) return escapeUri(value.uri);
  // A token comes from Holdfast's own code, never from a person: refuse rather than escape.
  if (!TOKEN.test(value.token)) throw new Error(`not an iCalendar token: ${JSON.stringify(value.token)}`);
  return value.token;
}

function contentLine(property: IcalProperty): string {
  let line = checkedName(property.name);
  for (const [param, value] of Object.entries(property.params ?? {})) {
    line += `;${checkedName(param)}=${SAFE_PARAM.test(value) ? value : escapeParamValue(value)}`;
  }
  line += `:${valueString(property.value)}`;
  // Cannot happen with the escapes above; checked anyway because a second line is an injection.
  if (/[\u0000-\u0008\u000a-\u001f\u007f]/.test(line)) throw new Error(`iCalendar property ${property.name} would span lines`);
  return foldContentLine(line);
}

function componentLines(component: IcalComponent): string {
  const name = checkedName(component.name);
  let out = foldContentLine(`BEGIN:${name}`);
  for (const property of component.properties) out += contentLine(property);
  for (const child of component.components ?? []) out += componentLines(child);
  return out + foldContentLine(`END:${name}`);
}

/** The component as iCalendar text: CRLF after every line (the last included), folded at 75 octets. */
export function serializeIcal(component: IcalComponent): string {
  return componentLines(component);
}
