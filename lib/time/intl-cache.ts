/**
 * The one cache of Intl formatters. Constructing an Intl.DateTimeFormat or NumberFormat costs tens
 * of microseconds (ICU loads locale and zone data), formatting with one costs a few, so every
 * formatter in the app is built once per (locale, options, zone) and reused: slot finding, the zone
 * clock, the date and price formatters alike. Pure and browser-safe.
 */

// Keys come partly from outside (a browser's zone id, in any letter case), so the cache is capped;
// past the cap the oldest entry goes, which only ever costs a rebuild.
const MAX_ENTRIES = 500;

const formatters = new Map<string, Intl.DateTimeFormat | Intl.NumberFormat>();

// Options are nearly always module constants; stringifying each object once keeps a cache hit
// down to a string concatenation and a Map lookup.
const optionKeys = new WeakMap<object, string>();

function keyOf(options: object): string {
  let key = optionKeys.get(options);
  if (key === undefined) {
    key = JSON.stringify(options);
    optionKeys.set(options, key);
  }
  return key;
}

function remember<F extends Intl.DateTimeFormat | Intl.NumberFormat>(key: string, formatter: F): F {
  if (formatters.size >= MAX_ENTRIES) {
    const oldest = formatters.keys().next().value;
    if (oldest !== undefined) formatters.delete(oldest);
  }
  formatters.set(key, formatter);
  return formatter;
}

/**
 * A shared `Intl.DateTimeFormat(locale, { ...options, timeZone })`. `timeZone` is a separate argument
 * so callers keep one constant options object for every zone. Throws RangeError, uncached, for a zone
 * or option the runtime does not know.
 */
export function dateTimeFormat(locale: string, options: Intl.DateTimeFormatOptions, timeZone?: string): Intl.DateTimeFormat {
  const key = `d|${locale}|${timeZone ?? ""}|${keyOf(options)}`;
  const cached = formatters.get(key) as Intl.DateTimeFormat | undefined;
  if (cached) return cached;
  return remember(key, new Intl.DateTimeFormat(locale, timeZone === undefined ? options : { ...options, timeZone }));
}

/** A shared `Intl.NumberFormat(locale, options)`; throws RangeError, uncached, for options the runtime refuses. */
export function numberFormat(locale: string, options: Intl.NumberFormatOptions): Intl.NumberFormat {
  const key = `n|${locale}|${keyOf(options)}`;
  const cached = formatters.get(key) as Intl.NumberFormat | undefined;
  if (cached) return cached;
  return remember(key, new Intl.NumberFormat(locale, options));
}
