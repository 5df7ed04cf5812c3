import { knownCountries } from "./holidays";
import { isValidZone } from "./time";

/**
 * "Did you mean …?" for the mistakes people make in org files: codes that
 * are not ISO 3166 (UK, EL), country names, zones given by city or misspelt,
 * and zones the time-zone database renamed (an older or newer system knows
 * only one of the two names).
 */

// Pairs of old and new names from tzdb's `backward` file that people still meet.
const RENAMED_ZONES: [string, string][] = [
  ["Europe/Kiev", "Europe/Kyiv"],
  ["Europe/Uzhgorod", "Europe/Kyiv"],
  ["Europe/Zaporozhye", "Europe/Kyiv"],
  ["Asia/Calcutta", "Asia/Kolkata"],
  ["Asia/Saigon", "Asia/Ho_Chi_Minh"],
  ["Asia/Katmandu", "Asia/Kathmandu"],
  ["Asia/Rangoon", "Asia/Yangon"],
  ["Asia/Ulan_Bator", "Asia/Ulaanbaatar"],
  ["Atlantic/Faeroe", "Atlantic/Faroe"],
  ["Pacific/Enderbury", "Pacific/Kanton"],
  ["America/Buenos_Aires", "America/Argentina/Buenos_Aires"],
  ["America/Godthab", "America/Nuuk"],
  ["Pacific/Truk", "Pacific/Chuuk"],
  ["Pacific/Ponape", "Pacific/Pohnpei"],
];

const COUNTRY_MISTAKES: Record<string, string> = { UK: "GB", EL: "GR", EN: "GB" };

function zoneNames(): string[] {
  return [...Intl.supportedValuesOf("timeZone"), ...RENAMED_ZONES.flat()];
}

/** Levenshtein distance, stopping early once it exceeds `limit`. */
function distance(a: string, b: string, limit: number): number {
  if (Math.abs(a.length - b.length) > limit) return limit + 1;
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) row.push(Math.min(previous[j]! + 1, row[j - 1]! + 1, previous[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1)));
    if (Math.min(...row) > limit) return limit + 1;
    previous = row;
  }
  return previous[b.length]!;
}

const zoneHints = new Map<string, string | null>();

/** A zone this system knows that the given one probably means, or null. */
export function zoneHint(zone: string, valid: (zone: string) => boolean = isValidZone): string | null {
  // An org file repeats its mistakes (every member in one bad zone); only admins send org files, so a small memo is enough.
  if (valid !== isValidZone) return findZoneHint(zone, valid);
  if (!zoneHints.has(zone)) {
    if (zoneHints.size >= 1000) zoneHints.clear();
    zoneHints.set(zone, findZoneHint(zone, valid));
  }
  return zoneHints.get(zone)!;
}

function findZoneHint(zone: string, valid: (zone: string) => boolean): string | null {
  for (const [old, renamed] of RENAMED_ZONES) {
    if (zone === old && valid(renamed)) return renamed;
    if (zone === renamed && valid(old)) return old;
  }
  const wanted = zone.trim().replace(/ +/g, "_").toLowerCase();
  const names = zoneNames().filter((name) => valid(name));
  const exact = names.find((name) => name.toLowerCase() === wanted);
  if (exact && exact !== zone) return exact;
  const byCity = names.filter((name) => name.toLowerCase().split("/").at(-1) === wanted);
  if (byCity.length === 1) return byCity[0]!;
  let best: string | null = null;
  let bestDistance = 3;
  for (const name of names) {
    const d = distance(wanted, name.toLowerCase(), bestDistance - 1);
    if (d < bestDistance) [best, bestDistance] = [name, d];
  }
  return best;
}

/** A country code with holiday data that the given code or name probably means, or null. */
export function countryHint(country: string): string | null {
  const known = knownCountries();
  const upper = country.trim().toUpperCase();
  if (COUNTRY_MISTAKES[upper] !== undefined) return COUNTRY_MISTAKES[upper]!;
  if (upper !== country && Object.hasOwn(known, upper)) return upper;
  const byName = Object.entries(known).find(([, name]) => name.toLowerCase() === country.trim().toLowerCase());
  return byName ? byName[0] : null;
}

/** A message with its hint, when there is one. */
export function withHint(message: string, hint: string | null): string {
  return hint === null ? message : `${message}; did you mean ${hint}?`;
}
