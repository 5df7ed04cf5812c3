import { DateTime, IANAZone, Settings } from "luxon";

// The one place that configures luxon: nothing in Baton may fall back to the
// machine's zone, and an invalid DateTime must fail loudly instead of spreading.
Settings.defaultZone = "utc";
Settings.throwOnInvalid = true;

declare module "luxon" {
  interface TSSettings {
    throwOnInvalid: true;
  }
}

export type Clock = { now: () => DateTime };

export const systemClock: Clock = { now: () => DateTime.utc() };

export function fixedClock(iso: string): Clock {
  const at = parseInstant(iso);
  return { now: () => at };
}

export const HHMM = /^([01]\d|2[0-3]):[0-5]\d$/;
export const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

// Luxon asks Intl to build a formatter for every check, half a millisecond each: an org of
// ten thousand members would spend seconds on it. The zone database does not change while we run.
const knownZones = new Map<string, boolean>();

export function isValidZone(zone: string): boolean {
  let valid = knownZones.get(zone);
  if (valid === undefined) {
    valid = IANAZone.isValidZone(zone);
    if (knownZones.size < 10_000) knownZones.set(zone, valid);
  }
  return valid;
}

/** The years Baton accepts: wider would only be a typo, and breaks four-digit ISO formatting. */
const FIRST_YEAR = 1970;
const LAST_YEAR = 9999;

export function isValidDate(date: string): boolean {
  if (!ISO_DATE.test(date)) return false;
  const year = Number(date.slice(0, 4));
  if (year < FIRST_YEAR || year > LAST_YEAR) return false;
  try {
    DateTime.fromISO(date, { zone: "utc" });
    return true;
  } catch {
    return false;
  }
}

/**
 * The end of the time Baton plans and answers for: a week before the end of
 * 9999, so that every week a range or plan touches still ends in a four-digit year.
 */
export const LAST_PLANNABLE_MS = Date.UTC(LAST_YEAR, 11, 24);
export const LAST_PLANNABLE_DATE = "9999-12-24";

/** An instant from ISO 8601 with an offset or `Z`; throws on anything else. */
export function parseInstant(iso: string): DateTime<true> {
  return DateTime.fromISO(iso, { setZone: true }).toUTC();
}

// A four-digit year, a time, and `Z` or an offset: no week dates, ordinals or six-digit years.
const INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|([+-])(\d{2})(:?(\d{2}))?)$/i;
/** Real offsets run from -12:00 to +14:00; anything wider is a typo, not a zone. */
const MAX_OFFSET_MINUTES = 14 * 60;

export function tryParseInstant(iso: string): DateTime<true> | null {
  const match = INSTANT.exec(iso);
  if (!match) return null;
  if (match[5] !== undefined && Number(match[5]) * 60 + Number(match[7] ?? 0) > MAX_OFFSET_MINUTES) return null;
  if (match[7] !== undefined && Number(match[7]) > 59) return null;
  try {
    const instant = parseInstant(iso);
    return instant.year >= FIRST_YEAR && instant.year <= LAST_YEAR ? instant : null;
  } catch {
    return null;
  }
}

/** ISO with `Z` and no milliseconds, the one form Baton emits for instants. */
export function toIsoZ(at: DateTime): string {
  // Whole seconds, always: stored instants are compared as strings, which only works when every one is formatted alike.
  return isoFromMs(Math.floor(at.toMillis() / 1000) * 1000);
}

/** `toIsoZ` of the clock's now, for a caller that asks many times a second (the on-call lookup): the string is made once per second. */
export function isoNow(clock: Clock): () => string {
  let second = Number.NaN;
  let iso = "";
  return () => {
    const ms = clock.now().toMillis();
    const at = Math.floor(ms / 1000);
    if (at !== second) {
      second = at;
      iso = isoFromMs(at * 1000);
    }
    return iso;
  };
}

export const MINUTE_MS = 60_000;
export const HOUR_MS = 3_600_000;
export const DAY_MS = 86_400_000;

/** Epoch milliseconds of an ISO instant that has already been validated. */
export function instantMs(iso: string): number {
  return Date.parse(iso);
}

const twoDigits = (n: number) => (n < 10 ? `0${n}` : `${n}`);

// Date#toISOString takes more than twice as long as this, and shift lists
// format thousands of instants.
function utcWallTime(ms: number): string {
  const d = new Date(ms);
  const date = `${d.getUTCFullYear()}-${twoDigits(d.getUTCMonth() + 1)}-${twoDigits(d.getUTCDate())}`;
  return `${date}T${twoDigits(d.getUTCHours())}:${twoDigits(d.getUTCMinutes())}:${twoDigits(d.getUTCSeconds())}`;
}

/** The same form as `toIsoZ`, from epoch milliseconds. */
export function isoFromMs(ms: number): string {
  const fraction = ((ms % 1000) + 1000) % 1000;
  return fraction === 0 ? `${utcWallTime(ms)}Z` : `${utcWallTime(ms)}.${String(fraction).padStart(3, "0")}Z`;
}

/** The UTC calendar date of an instant in epoch milliseconds. */
export function utcDate(ms: number): string {
  return utcWallTime(ms).slice(0, 10);
}

// Offsets come from Intl through luxon at several microseconds a call; a
// team-year of windows needs thousands of them, so each zone's offset
// transitions are found once per block of days and looked up afterwards.
const OFFSET_BLOCK_MS = 32 * DAY_MS;
// Sampling daily finds every transition unless two fall within one day: the
// closest pairs in tzdb since 1970 are a week apart (Brazil 2000, Gaza 2040).
const OFFSET_SAMPLE_MS = DAY_MS;
const offsetBlocks = new Map<string, { at: number[]; offset: number[] }>();

function offsetBlock(zone: string, index: number): { at: number[]; offset: number[] } {
  const key = `${zone} ${index}`;
  const cached = offsetBlocks.get(key);
  if (cached) return cached;
  const iana = IANAZone.create(zone);
  if (!iana.isValid) throw new RangeError(`unknown time zone ${zone}`);
  const start = index * OFFSET_BLOCK_MS;
  const block = { at: [start], offset: [iana.offset(start)] };
  let current = block.offset[0]!;
  for (let t = start + OFFSET_SAMPLE_MS; t <= start + OFFSET_BLOCK_MS; t += OFFSET_SAMPLE_MS) {
    const next = iana.offset(t);
    if (next === current) continue;
    // Transitions fall on whole seconds: bisect to the first second with the new offset.
    let before = t - OFFSET_SAMPLE_MS;
    let after = t;
    while (after - before > 1000) {
      const mid = before + Math.floor((after - before) / 2000) * 1000;
      if (iana.offset(mid) === current) before = mid;
      else after = mid;
    }
    block.at.push(after);
    block.offset.push(next);
    current = next;
  }
  offsetBlocks.set(key, block);
  return block;
}

/** The UTC offset of `zone` at an instant, in minutes. */
export function zoneOffsetMinutes(zone: string, ms: number): number {
  const block = offsetBlock(zone, Math.floor(ms / OFFSET_BLOCK_MS));
  let i = block.at.length - 1;
  while (block.at[i]! > ms) i--;
  return block.offset[i]!;
}

/** The local calendar date (`YYYY-MM-DD`) in `zone` of an instant in epoch milliseconds. */
export function localDateAt(ms: number, zone: string): string {
  return utcDate(ms + zoneOffsetMinutes(zone, ms) * MINUTE_MS);
}

/**
 * The instant of a local wall time in `zone`, by RFC 5545 §3.3.5: a time inside
 * a spring-forward gap keeps the offset from before the gap (so 02:30 becomes
 * 03:30 in New York), and a time that occurs twice is its first occurrence.
 * Luxon resolves the repeated hour to the later occurrence, so both offsets
 * around the date are tried and the earliest instant that reads back as the
 * requested wall time wins.
 */
export function localToInstant(date: string, hhmm: string, zone: string): DateTime<true> {
  return DateTime.fromMillis(localToInstantMs(date, hhmm, zone), { zone: "utc" });
}

/** `localToInstant` in epoch milliseconds, for loops over many days. */
export function localToInstantMs(date: string, hhmm: string, zone: string): number {
  const wall = Date.UTC(+date.slice(0, 4), +date.slice(5, 7) - 1, +date.slice(8, 10), +hhmm.slice(0, 2), +hhmm.slice(3, 5));
  const offsetBefore = zoneOffsetMinutes(zone, wall - 36 * HOUR_MS);
  const offsetAfter = zoneOffsetMinutes(zone, wall + 36 * HOUR_MS);
  // No clock change within a day and a half either way, the common case.
  if (offsetBefore === offsetAfter) return wall - offsetBefore * MINUTE_MS;
  let earliest = Infinity;
  for (const offset of [offsetBefore, zoneOffsetMinutes(zone, wall), offsetAfter]) {
    const candidate = wall - offset * MINUTE_MS;
    if (zoneOffsetMinutes(zone, candidate) === offset) earliest = Math.min(earliest, candidate);
  }
  // In the gap no offset reads back; RFC 5545 keeps the offset from before it.
  return earliest < Infinity ? earliest : wall - offsetBefore * MINUTE_MS;
}

/** The local calendar date (`YYYY-MM-DD`) of an instant in `zone`. */
export function localDate(at: DateTime, zone: string): string {
  return at.setZone(zone).toISODate()!;
}

/** Calendar arithmetic on `YYYY-MM-DD`; plain UTC days, since luxon's costs microseconds and plans do thousands. */
export function addDays(date: string, days: number): string {
  const ms = Date.parse(`${date}T00:00:00Z`);
  // Date.parse rolls 2026-02-30 over to March: reading the date back catches it.
  if (!ISO_DATE.test(date) || utcDate(ms) !== date) throw new RangeError(`not a calendar date: ${date}`);
  return utcDate(ms + days * DAY_MS);
}


export const WEEKDAYS = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"] as const;
export type Weekday = (typeof WEEKDAYS)[number];

/** Luxon weekday number (Monday 1 … Sunday 7). */
export function weekdayNumber(day: Weekday): number {
  return WEEKDAYS.indexOf(day) + 1;
}
