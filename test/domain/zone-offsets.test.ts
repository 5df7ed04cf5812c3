import fc from "fast-check";
import { DateTime, IANAZone } from "luxon";
import { describe, expect, it } from "vitest";
import { isoFromMs, localDateAt, zoneOffsetMinutes } from "../../src/domain/time";

// Zones with unusual histories: half-hour and 45-minute offsets, a skipped
// calendar day (Apia 2011), Ramadan suspensions (Casablanca), week-apart
// round trips (Gaza, Recife 2000), and the plain ones Baton mostly meets.
const ZONES = [
  "Europe/London",
  "America/Los_Angeles",
  "Asia/Singapore",
  "Australia/Lord_Howe",
  "America/Santiago",
  "Asia/Kathmandu",
  "Pacific/Apia",
  "Pacific/Chatham",
  "Africa/Casablanca",
  "Asia/Gaza",
  "America/Recife",
  "Asia/Kolkata",
];

const instant = fc.integer({ min: Date.UTC(1970, 0, 1), max: Date.UTC(2050, 0, 1) });

describe("the cached zone offsets", () => {
  it("agree with luxon's offset at any instant from 1970 to 2050", () => {
    fc.assert(
      fc.property(fc.constantFrom(...ZONES), instant, (zone, ms) => {
        expect(zoneOffsetMinutes(zone, ms)).toBe(IANAZone.create(zone).offset(ms));
      }),
      { numRuns: 400 },
    );
  });

  it("agree minute by minute around every clock change of 2027", () => {
    const STEP = 3 * 3_600_000;
    for (const zone of ZONES) {
      const iana = IANAZone.create(zone);
      let offset = iana.offset(Date.UTC(2027, 0, 1));
      for (let t = Date.UTC(2027, 0, 1); t < Date.UTC(2028, 0, 1); t += STEP) {
        const next = iana.offset(t + STEP);
        if (next === offset) continue;
        offset = next;
        for (let minute = t; minute <= t + STEP; minute += 60_000) {
          for (const at of [minute - 1000, minute]) expect(zoneOffsetMinutes(zone, at), `${zone} ${at}`).toBe(iana.offset(at));
        }
      }
    }
  });

  it("give the local date luxon gives", () => {
    fc.assert(
      fc.property(fc.constantFrom(...ZONES), instant, (zone, ms) => {
        expect(localDateAt(ms, zone)).toBe(DateTime.fromMillis(ms, { zone }).toISODate());
      }),
      { numRuns: 200 },
    );
  });

  it("throw on an unknown zone instead of answering", () => {
    expect(() => zoneOffsetMinutes("Mars/Olympus_Mons", 0)).toThrow(/unknown time zone/);
  });
});

describe("isoFromMs", () => {
  it.each([
    [Date.UTC(2027, 2, 14, 10, 0, 0), "2027-03-14T10:00:00Z"],
    [Date.UTC(2027, 2, 14, 10, 0, 0, 7), "2027-03-14T10:00:00.007Z"],
    [Date.UTC(1969, 11, 31, 23, 59, 59, 500), "1969-12-31T23:59:59.500Z"],
  ])("formats %d as %s", (ms, expected) => {
    expect(isoFromMs(ms)).toBe(expected);
  });
});
