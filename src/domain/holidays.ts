import Holidays, { type HolidaysTypes } from "date-holidays";

export type HolidayRegion = { country: string; subdivision?: string | undefined };
export type PublicHoliday = { date: string; name: string };

const catalogue = new Holidays();
const countries = catalogue.getCountries() ?? {};
const holidayCache = new Map<string, PublicHoliday[]>();

export function isKnownCountry(country: string): boolean {
  return Object.hasOwn(countries, country);
}

/** The country codes with holiday data and their English names. */
export function knownCountries(): Record<string, string> {
  return catalogue.getCountries("en") ?? {};
}

export function isKnownSubdivision(country: string, subdivision: string): boolean {
  const states = catalogue.getStates(country) ?? {};
  return Object.hasOwn(states, subdivision);
}

/**
 * Public holidays (and bank holidays when `countBank`) of a region in a year,
 * as local calendar dates. A member observes them as whole days in their own
 * zone, so the date is all that is kept. Cached: date-holidays recomputes its
 * rules on every call and a year plan asks the same region hundreds of times.
 */
export function publicHolidays(region: HolidayRegion, year: number, countBank = false): PublicHoliday[] {
  const key = `${region.country}-${region.subdivision ?? ""}-${year}-${countBank}`;
  const cached = holidayCache.get(key);
  if (cached) return cached;
  const types = countBank ? ["public", "bank"] : ["public"];
  const source = region.subdivision
    ? new Holidays(region.country, region.subdivision, { types: types as HolidaysTypes.HolidayType[] })
    : new Holidays(region.country, { types: types as HolidaysTypes.HolidayType[] });
  const seen = new Set<string>();
  const holidays: PublicHoliday[] = [];
  for (const h of source.getHolidays(year) ?? []) {
    const date = h.date.slice(0, 10);
    if (seen.has(date) || !types.includes(h.type)) continue;
    seen.add(date);
    holidays.push({ date, name: h.name });
  }
  holidays.sort((a, b) => a.date.localeCompare(b.date));
  holidayCache.set(key, holidays);
  return holidays;
}

/** Holiday dates of a region in an inclusive date range, by date. */
export function holidaysBetween(region: HolidayRegion, from: string, to: string, countBank = false): Map<string, string> {
  const result = new Map<string, string>();
  const firstYear = Number(from.slice(0, 4));
  const lastYear = Number(to.slice(0, 4));
  for (let year = firstYear; year <= lastYear; year++) {
    for (const h of publicHolidays(region, year, countBank)) {
      if (h.date >= from && h.date <= to) result.set(h.date, h.name);
    }
  }
  return result;
}

/** A start-up check that the bundled holiday data loads. */
export function holidayDataLoads(): boolean {
  return publicHolidays({ country: "GB" }, 2026).length > 0 && isKnownCountry("US");
}
