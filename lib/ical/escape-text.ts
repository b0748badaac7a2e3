/**
 * The only way text gets into an iCalendar object Holdfast writes. Whatever a customer typed (or
 * whatever reached the database some other way), the result is the value of ONE content line:
 * a bare CR in a name must never start a new property (RFC 5545 §3.1 ends a line at CRLF, and
 * real servers, Radicale among them, also split on CR or LF alone).
 */

/** Every way people and programs break lines: CRLF, CR, LF, NEL, LINE SEPARATOR, PARAGRAPH SEPARATOR. */
const LINE_BREAK = /\r\n|[\r\n\u0085\u2028\u2029]/g;
/** Controls with no place in a content line (C0 except TAB, DEL, C1); line breaks are handled first. */
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g;
/** Half of a surrogate pair on its own: not encodable as UTF-8, so octet counts would lie. */
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

/**
 * The text a calendar reads back from `escapeText(value)`: line breaks of any kind become "\n",
 * other control characters are dropped, a lone surrogate becomes U+FFFD. Tabs are kept (RFC 5545
 * allows them in TEXT).
 */
export function normalizeIcalText(value: string): string {
  return value.replace(LONE_SURROGATE, "\uFFFD").replace(LINE_BREAK, "\n").replace(CONTROL, "");
}

/** `normalizeIcalText` with every line break turned into one space: for titles and parameter values. */
export function singleLineIcalText(value: string): string {
  return normalizeIcalText(value).replace(/\n/g, " ");
}

/**
 * RFC 5545 §3.3.11 TEXT: backslash, semicolon and comma escaped, every line break written as the
 * two characters `\n`. The result contains no control character but TAB, so it cannot end the line.
 */
export function escapeText(value: string): string {
  return normalizeIcalText(value).replace(/\\/g, "\\\\").replace(/;/g, "\\;").replace(/,/g, "\\,").replace(/\n/g, "\\n");
}

/**
 * A parameter value (RFC 5545 §3.2), e.g. an attendee's CN: always quoted, on one line, and
 * without DQUOTE, which a quoted value cannot contain (RFC 6868's ^-escapes are not read by every
 * client, so a DQUOTE becomes an apostrophe instead). A backslash becomes "/": RFC 5545 gives it no
 * meaning in a parameter, but ical.js reads `\n` or `\;` there as TEXT escapes, so it is the one
 * character that would not come back the same in every reader.
 */
export function escapeParamValue(value: string): string {
  return `"${singleLineIcalText(value).replace(/"/g, "'").replace(/\\/g, "/")}"`;
}

/**
 * A URI or CAL-ADDRESS value (not TEXT: backslash escapes would change the address). Anything a
 * URI may not carry literally — controls, spaces, DQUOTE, non-ASCII — is percent-encoded, so the
 * value stays on one line and still names the same resource.
 */
export function escapeUri(value: string): string {
  return value.replace(LONE_SURROGATE, "\uFFFD").replace(/[\u0000-\u0020"\u007f-\u{10ffff}]/gu, (ch) => encodeURIComponent(ch));
}

const CRLF = "\r\n";
const MAX_LINE_OCTETS = 75;

function utf8Length(codePoint: number): number {
  return codePoint < 0x80 ? 1 : codePoint < 0x800 ? 2 : codePoint < 0x10000 ? 3 : 4;
}

/**
 * Folds one content line so that every physical line, the leading space of a continuation
 * included, is at most 75 octets of UTF-8 (RFC 5545 §3.1), breaking only between code points so
 * no multi-octet character is cut in half. Returns the line with its terminating CRLF.
 */
export function foldContentLine(line: string): string {
  let out = "";
  let octets = 0;
  for (const ch of line) {
    const size = utf8Length(ch.codePointAt(0)!);
    if (octets + size > MAX_LINE_OCTETS) {
      out += `${CRLF} `;
      octets = 1;
    }
    out += ch;
    octets += size;
  }
  return out + CRLF;
}
