import { describe, expect, it } from "vitest";
import { DateTime } from "luxon";
import { isoNow, toIsoZ, type Clock } from "../../src/domain/time";

describe("isoNow", () => {
  it("is toIsoZ of the clock's now, and moves with each second, across a year end", () => {
    let at = DateTime.fromISO("2026-12-31T23:59:58.400Z", { zone: "utc" });
    const clock: Clock = { now: () => at };
    const now = isoNow(clock);
    const seen: string[] = [];
    for (let step = 0; step < 10; step++) {
      expect(now()).toBe(toIsoZ(at));
      seen.push(now());
      at = at.plus({ milliseconds: 350 });
    }
    expect([...new Set(seen)]).toEqual(["2026-12-31T23:59:58Z", "2026-12-31T23:59:59Z", "2027-01-01T00:00:00Z", "2027-01-01T00:00:01Z"]);
  });

  it("follows a clock that goes back", () => {
    let at = DateTime.fromISO("2027-03-10T12:00:05Z", { zone: "utc" });
    const now = isoNow({ now: () => at });
    expect(now()).toBe("2027-03-10T12:00:05Z");
    at = at.minus({ seconds: 3 });
    expect(now()).toBe("2027-03-10T12:00:02Z");
  });
});
