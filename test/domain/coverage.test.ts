import { DateTime } from "luxon";
import { describe, expect, it } from "vitest";
import { analyseCoverage, uncoveredRanges } from "../../src/domain/coverage";
import { holidayCovers, type HolidayCoverInput } from "../../src/domain/holiday-cover";
import type { Team, TimeOff } from "../../src/domain/org-file";
import { expandShifts } from "../../src/domain/shifts";
import type { Shift } from "../../src/domain/types";
import { followTheSun, followTheSunMembers, makeMember, makeTeam, roundRobin } from "./follow-the-sun";

const MINUTE = 60_000;
const iso = (ms: number) => new Date(ms).toISOString().replace(".000Z", "Z");

type Stretch = { date: string; start: string; end: string; minutes: number };

/**
 * The gaps and overlaps of a year, minute by minute, from luxon's conversion
 * of each region's 08:00 and 16:00 on each local day: nothing here shares code
 * with the implementation's window or offset handling.
 */
function stretchesByMinute(team: Team, year: number) {
  const first = DateTime.fromObject({ year, month: 1, day: 1 }, { zone: team.timeZone });
  const origin = first.toMillis();
  const minutes = (first.plus({ years: 1 }).toMillis() - origin) / MINUTE;
  const active = new Uint8Array(minutes);
  team.rotations.forEach((rotation, index) => {
    const [startHour, startMinute] = rotation.window!.start.split(":").map(Number) as [number, number];
    const [endHour, endMinute] = rotation.window!.end.split(":").map(Number) as [number, number];
    const january = DateTime.fromObject({ year, month: 1, day: 1 }, { zone: rotation.timeZone! });
    for (let d = -1; d <= 366; d++) {
      const day = january.plus({ days: d });
      const start = (day.set({ hour: startHour, minute: startMinute }).toMillis() - origin) / MINUTE;
      const end = (day.set({ hour: endHour, minute: endMinute }).toMillis() - origin) / MINUTE;
      for (let m = Math.max(0, start); m < Math.min(minutes, end); m++) active[m]! |= 1 << index;
    }
  });
  const gaps: Stretch[] = [];
  const overlaps: (Stretch & { rotations: string[] })[] = [];
  for (let m = 0; m < minutes; ) {
    const mask = active[m]!;
    let n = m;
    while (n < minutes && active[n] === mask) n++;
    const rotations = team.rotations.filter((_, i) => mask & (1 << i)).map((r) => r.id);
    const stretch = {
      date: DateTime.fromMillis(origin + m * MINUTE, { zone: team.timeZone }).toISODate()!,
      start: iso(origin + m * MINUTE),
      end: iso(origin + n * MINUTE),
      minutes: n - m,
    };
    if (rotations.length === 0) gaps.push(stretch);
    if (rotations.length >= 2) overlaps.push({ ...stretch, rotations });
    m = n;
  }
  return { gaps, overlaps };
}

const sydneyBerlinNewYork = makeTeam({
  timeZone: "Australia/Sydney",
  rotations: [
    { id: "syd", timeZone: "Australia/Sydney", window: { start: "08:00", end: "16:00" }, members: ["a"] },
    { id: "ber", timeZone: "Europe/Berlin", window: { start: "08:00", end: "16:00" }, members: ["b"] },
    { id: "nyc", timeZone: "America/New_York", window: { start: "08:00", end: "16:00" }, members: ["c"] },
  ],
});

describe("analyseCoverage over the year 2027", () => {
  it.each([
    ["Singapore / London / Los Angeles", followTheSun()],
    ["Sydney / Berlin / New York", sydneyBerlinNewYork],
  ])("reports exactly the gaps and overlaps the zones' offsets give, day by day: %s", (_, team) => {
    const expected = stretchesByMinute(team, 2027);
    const report = analyseCoverage(team, "2027-01-01", "2027-12-31");
    expect(report.gaps.map(({ date, start, end, minutes }) => ({ date, start, end, minutes }))).toEqual(expected.gaps);
    expect(report.overlaps.map(({ date, start, end, minutes, rotations }) => ({ date, start, end, minutes, rotations }))).toEqual(
      expected.overlaps,
    );
  });

  it("finds an hour's gap every day Los Angeles keeps summer time, and an hour's overlap with whichever region London drifts into", () => {
    const report = analyseCoverage(followTheSun(), "2027-01-01", "2027-12-31");
    // Los Angeles keeps summer time from 14 March to 6 November: 238 days.
    expect(report.gaps).toHaveLength(238);
    expect(new Set(report.gaps.map((g) => `${g.start.slice(11)} ${g.minutes} ${g.heldBy.join()}`))).toEqual(
      new Set(["23:00:00Z 60 amer"]),
    );
    const overlapKinds = new Map<string, number>();
    for (const o of report.overlaps) {
      const kind = `${o.rotations.join("+")} from ${o.start.slice(11, 16)} for ${o.minutes} minutes`;
      overlapKinds.set(kind, (overlapKinds.get(kind) ?? 0) + 1);
    }
    expect(overlapKinds).toEqual(
      new Map([
        // US summer time with London still on GMT: 14–27 March and 31 October – 6 November.
        ["emea+amer from 15:00 for 60 minutes", 21],
        // London on summer time, 28 March – 30 October, starts an hour inside Singapore's window.
        ["apac+emea from 07:00 for 60 minutes", 217],
      ]),
    );
  });

  const gap = (start: string, end: string, heldBy: string, how = "window extended") => ({
    start,
    end,
    minutes: (Date.parse(end) - Date.parse(start)) / MINUTE,
    heldBy: [heldBy],
    resolution: `held by ${heldBy} (${how})`,
  });
  const overlap = (start: string, end: string, rotations: string[]) => ({
    start,
    end,
    minutes: (Date.parse(end) - Date.parse(start)) / MINUTE,
    rotations,
    resolution: `both on call, ordered by rotation: ${rotations.join(", ")}`,
  });

  it.each([
    ["2027-01-15", "a clean three-way split in winter", [], []],
    [
      "2027-03-14",
      "Los Angeles has sprung forward, London has not",
      [gap("2027-03-14T23:00:00Z", "2027-03-15T00:00:00Z", "amer")],
      [overlap("2027-03-14T15:00:00Z", "2027-03-14T16:00:00Z", ["emea", "amer"])],
    ],
    [
      "2027-03-20",
      "between the US and EU spring changes",
      [gap("2027-03-20T23:00:00Z", "2027-03-21T00:00:00Z", "amer")],
      [overlap("2027-03-20T15:00:00Z", "2027-03-20T16:00:00Z", ["emea", "amer"])],
    ],
    [
      "2027-03-28",
      "London springs forward: its 23-hour day ends before Los Angeles' window does",
      [],
      [overlap("2027-03-28T07:00:00Z", "2027-03-28T08:00:00Z", ["apac", "emea"])],
    ],
    [
      "2027-03-29",
      "the gap after Los Angeles now starts at midnight in London",
      [gap("2027-03-28T23:00:00Z", "2027-03-29T00:00:00Z", "amer")],
      [overlap("2027-03-29T07:00:00Z", "2027-03-29T08:00:00Z", ["apac", "emea"])],
    ],
    [
      "2027-11-03",
      "between the EU and US autumn changes",
      [gap("2027-11-03T23:00:00Z", "2027-11-04T00:00:00Z", "amer")],
      [overlap("2027-11-03T15:00:00Z", "2027-11-03T16:00:00Z", ["emea", "amer"])],
    ],
    ["2027-11-08", "both back on standard time", [], []],
  ])("%s: %s", (date, _, gaps, overlaps) => {
    const report = analyseCoverage(followTheSun(), date, date);
    expect(report.gaps).toEqual(gaps.map((g) => ({ date, ...g })));
    expect(report.overlaps).toEqual(overlaps.map((o) => ({ date, ...o })));
  });

  it("has the region that comes next start early under gap policy next", () => {
    const report = analyseCoverage(followTheSun({ gapPolicy: "next" }), "2027-03-20", "2027-03-20");
    expect(report.gaps).toEqual([
      { date: "2027-03-20", ...gap("2027-03-20T23:00:00Z", "2027-03-21T00:00:00Z", "apac", "window starts early") },
    ]);
  });

  it("finds no gap in a team of whole-day rotations", () => {
    const team = makeTeam({ rotations: [{ id: "primary", timeZone: "America/New_York", members: ["a"] }] });
    expect(analyseCoverage(team, "2027-01-01", "2027-12-31")).toMatchObject({ gaps: [], overlaps: [] });
  });
});

/** The quarter hours of [from, to) at which no shift names anybody. */
function quarterHoursWithNobody(shifts: Shift[], from: string, to: string): string[] {
  const quarter = 15 * MINUTE;
  const origin = Date.parse(from);
  const covered = new Uint8Array((Date.parse(to) - origin) / quarter);
  for (const shift of shifts) {
    if (shift.member === null) continue;
    const first = Math.max(0, Math.ceil((Date.parse(shift.start) - origin) / quarter));
    for (let q = first; q < covered.length && origin + q * quarter < Date.parse(shift.end); q++) covered[q] = 1;
  }
  return [...covered.keys()].filter((q) => covered[q] === 0).map((q) => iso(origin + q * quarter));
}

const onCallAt = (shifts: Shift[], at: string) => shifts.filter((s) => s.start <= at && at < s.end);

describe("expandShifts closes the gaps", () => {
  const year = { from: "2027-01-01T00:00:00Z", to: "2028-01-01T00:00:00Z" };

  it.each(["previous", "next"] as const)("names somebody at every quarter hour of 2027 (gap policy %s)", (gapPolicy) => {
    const team = followTheSun({ gapPolicy });
    const shifts = expandShifts(team, roundRobin(team, "2026-12-28", 54), [], year.from, year.to);
    expect(quarterHoursWithNobody(shifts, year.from, year.to)).toEqual([]);
  });

  it.each(["previous", "next"] as const)("holds each gap of the coverage report by the rotation it names (gap policy %s)", (gapPolicy) => {
    const team = followTheSun({ gapPolicy });
    const shifts = expandShifts(team, roundRobin(team, "2026-12-28", 54), [], year.from, year.to);
    const gaps = analyseCoverage(team, "2027-01-01", "2027-12-31").gaps;
    expect(gaps.length).toBeGreaterThan(0);
    for (const gap of gaps) {
      const holders = shifts.filter((s) => s.start <= gap.start && gap.end <= s.end).map((s) => s.rotation);
      expect(holders, gap.start).toEqual(gap.heldBy);
    }
  });

  it("extends Los Angeles' window through the gap by default, or starts Singapore's early", () => {
    const previous = followTheSun();
    const next = followTheSun({ gapPolicy: "next" });
    const at = "2027-07-01T23:30:00Z";
    const expand = (team: Team) =>
      expandShifts(team, roundRobin(team, "2026-12-28", 54), [], "2027-07-01T00:00:00Z", "2027-07-03T00:00:00Z");
    expect(onCallAt(expand(previous), at)).toEqual([
      { team: "sun", rotation: "amer", member: "la1", start: "2027-07-01T15:00:00Z", end: "2027-07-02T00:00:00Z", source: "schedule" },
    ]);
    expect(onCallAt(expand(next), at)).toEqual([
      { team: "sun", rotation: "apac", member: "sg1", start: "2027-07-01T23:00:00Z", end: "2027-07-02T08:00:00Z", source: "schedule" },
    ]);
  });
});

describe("a week nobody could be scheduled for", () => {
  const june = { from: "2027-06-01T00:00:00Z", to: "2027-06-22T00:00:00Z" };
  // The weeks handed over on Tuesday 8 June, in each region's zone.
  const unstaffed = (team: Team, rotations: string[]) =>
    roundRobin(team, "2026-12-28", 54).map((a) =>
      rotations.includes(a.rotation) && a.weekStart.startsWith("2027-06-08") ? { ...a, member: null } : a,
    );

  it("is held by the other regions when only London is unstaffed", () => {
    const team = followTheSun();
    const shifts = expandShifts(team, unstaffed(team, ["emea"]), [], june.from, june.to);
    expect(uncoveredRanges(shifts, june.from, june.to)).toEqual([]);
    expect(onCallAt(shifts, "2027-06-09T10:00:00Z").map((s) => [s.rotation, s.member])).toEqual([
      ["apac", "sg1"],
      ["emea", null],
    ]);
  });

  it("is reported, not papered over, when every region is unstaffed", () => {
    const team = followTheSun();
    const shifts = expandShifts(team, unstaffed(team, ["apac", "emea", "amer"]), [], june.from, june.to);
    // From the end of Los Angeles' Monday window to Singapore's first window a week later.
    expect(uncoveredRanges(shifts, june.from, june.to)).toEqual([{ start: "2027-06-07T23:00:00Z", end: "2027-06-15T00:00:00Z" }]);
    expect(onCallAt(shifts, "2027-06-09T10:00:00Z").map((s) => [s.rotation, s.member])).toEqual([["emea", null]]);
  });
});

describe("holiday hand-over on the Early May bank holiday, Monday 2027-05-03", () => {
  // uk1 holds London's week from Tuesday 27 April; London's window that day is 07:00–15:00 UTC.
  const day = { from: "2027-05-03T00:00:00Z", to: "2027-05-04T00:00:00Z" };
  const input = (cover: Team["holidays"]["cover"], more: Partial<HolidayCoverInput> = {}): HolidayCoverInput => {
    const team = followTheSun({ holidays: { policy: "avoid", cover, countBank: false } });
    return { team, members: followTheSunMembers(), timeOff: [], assignments: roundRobin(team, "2026-12-28", 54), ...day, ...more };
  };
  const cover = (start: string, end: string, member: string) => ({
    team: "sun",
    rotation: "emea",
    start,
    end,
    member,
    replacedMember: "uk1",
    source: "holiday-cover",
  });

  // London's summer window starts an hour inside Singapore's, and Los Angeles holds the hour's gap after its own
  // window: sg1 would be in two places at once from 07:00 and la1 on call 17 hours unbroken, so a rested-enough
  // Singapore colleague who is working that day takes the whole window.
  it("gives London's window to a Singapore member who is free for all of it and stays within 16 hours unbroken", () => {
    expect(holidayCovers(input("other-rotations")).covers).toEqual([cover("2027-05-03T07:00:00Z", "2027-05-03T15:00:00Z", "sg2")]);
  });

  it("puts the covering members on call for London that day, and not the member on holiday", () => {
    const covering = input("other-rotations");
    const shifts = expandShifts(covering.team, covering.assignments, holidayCovers(covering).covers, day.from, day.to);
    expect(shifts.filter((s) => s.rotation === "emea")).toEqual([
      { team: "sun", rotation: "emea", member: "sg2", start: "2027-05-03T07:00:00Z", end: "2027-05-03T15:00:00Z", source: "holiday-cover" },
    ]);
    expect(shifts.some((s) => s.member === "uk1")).toBe(false);
    expect(quarterHoursWithNobody(shifts, day.from, day.to)).toEqual([]);
  });

  const withLisbon = () => [
    ...followTheSunMembers().filter((m) => m.id !== "uk3"),
    makeMember("uk3", "Europe/Lisbon", "PT"),
  ];

  it("gives the whole window to a London member who is working that day, under either policy", () => {
    expect(holidayCovers(input("same-rotation", { members: withLisbon() })).covers).toEqual([
      cover("2027-05-03T07:00:00Z", "2027-05-03T15:00:00Z", "uk3"),
    ]);
    expect(holidayCovers(input("other-rotations", { members: withLisbon() })).covers).toEqual([
      cover("2027-05-03T07:00:00Z", "2027-05-03T15:00:00Z", "uk3"),
    ]);
  });

  it("leaves the day with its holder under same-rotation when nobody in London is working", () => {
    expect(holidayCovers(input("same-rotation")).covers).toEqual([]);
  });

  it("passes over a London member on time off or not yet employed", () => {
    const timeOff: TimeOff[] = [{ member: "uk3", start: "2027-05-03", end: "2027-05-03" }];
    expect(holidayCovers(input("other-rotations", { members: withLisbon(), timeOff })).covers.map((c) => c.member)).toEqual(["sg2"]);
    const notYet = withLisbon().map((m) => (m.id === "uk3" ? { ...m, startDate: "2027-05-04" } : m));
    expect(holidayCovers(input("same-rotation", { members: notYet })).covers).toEqual([]);
  });

  it("gives the window to the colleague with the fewest holiday-cover hours, then the first in rotation order", () => {
    const members = [
      ...followTheSunMembers().filter((m) => m.id !== "uk2" && m.id !== "uk3"),
      makeMember("uk2", "Europe/Berlin", "DE"),
      makeMember("uk3", "Europe/Lisbon", "PT"),
    ];
    expect(holidayCovers(input("same-rotation", { members })).covers[0]!.member).toBe("uk2");
    expect(holidayCovers(input("same-rotation", { members, ledgerHint: { uk2: 8 } })).covers[0]!.member).toBe("uk3");
  });

  it("hands nothing over when the team ignores holidays", () => {
    const ignoring = input("other-rotations");
    ignoring.team = { ...ignoring.team, holidays: { ...ignoring.team.holidays, policy: "ignore" } };
    expect(holidayCovers(ignoring).covers).toEqual([]);
  });
});
