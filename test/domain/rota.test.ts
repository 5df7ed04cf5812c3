import { DateTime } from "luxon";
import { describe, expect, it } from "vitest";
import { fairnessReport } from "../../src/domain/fairness";
import { rotationMembership } from "../../src/domain/membership";
import { memberSchema, teamSchema, type Member, type Team, type TimeOff } from "../../src/domain/org-file";
import { planTeam, type PlanInput } from "../../src/domain/rota";
import { expandShifts } from "../../src/domain/shifts";
import { addDays } from "../../src/domain/time";
import type { Assignment, Override } from "../../src/domain/types";

const PEOPLE: Record<string, [name: string, zone: string, country: string, subdivision?: string]> = {
  priya: ["Priya Nair", "Asia/Kolkata", "IN"],
  lucas: ["Lucas Moreau", "Europe/Paris", "FR"],
  ben: ["Ben Carter", "Europe/London", "GB", "ENG"],
  chloe: ["Chloe Evans", "Europe/London", "GB", "ENG"],
  dev: ["Dev Patel", "Europe/London", "GB", "ENG"],
  eve: ["Eve Martin", "Europe/London", "GB", "ENG"],
  femi: ["Femi Adeyemi", "Europe/London", "GB", "ENG"],
  gus: ["Gus Berg", "Europe/London", "GB", "ENG"],
  hana: ["Hana Sato", "Europe/London", "GB", "ENG"],
  ivo: ["Ivo Novak", "Europe/London", "GB", "ENG"],
  jan: ["Jan de Vries", "Europe/London", "GB", "ENG"],
};

function person(id: string, extra: Partial<Member> = {}): Member {
  const [name, timeZone, country, subdivision] = PEOPLE[id]!;
  return memberSchema.parse({ id, name, email: `${id}@example.com`, timeZone, country, subdivision, ...extra });
}

function payments(members: string[], extra: Record<string, unknown> = {}): Team {
  return teamSchema.parse({
    id: "payments",
    name: "Payments",
    timeZone: "Europe/London",
    rotations: [{ id: "primary", name: "Primary", members }],
    escalation: { levels: [{ afterMinutes: 0, targets: [{ type: "oncall" }] }] },
    ...extra,
  });
}

const utc = (iso: string) => DateTime.fromISO(iso, { zone: "utc" });

function input(team: Team, partial: Partial<PlanInput> & Pick<PlanInput, "fromDate" | "weeks" | "now">): PlanInput {
  const ids = [...new Set(team.rotations.flatMap((r) => r.members))];
  return { team, members: ids.map((id) => person(id)), timeOff: [], stored: [], overrides: [], ...partial };
}

const off = (member: string, start: string, end = start): TimeOff => ({ member, start, end });
const weeksOf = (assignments: Assignment[], member: string) => assignments.filter((a) => a.member === member).length;

describe("holidays", () => {
  // 2026-10-02 is Gandhi Jayanti in India; the week from Tuesday 29 September holds it.
  const team = payments(["priya", "lucas", "ben", "chloe"]);
  const plan = (extra: Partial<PlanInput> = {}, t = team) => planTeam(input(t, { fromDate: "2026-09-29", weeks: 4, now: utc("2026-09-01T00:00:00Z"), ...extra }));

  it("gives a week holding someone's public holiday to a colleague for whom it is a working week, and says so", () => {
    const { assignments } = plan();
    expect(assignments[0]).toMatchObject({ weekStart: "2026-09-29T09:00:00Z", member: "lucas", reason: "Priya Nair's public holiday avoided" });
    expect(weeksOf(assignments, "priya")).toBe(1);
  });

  it("still gives the holiday week to the member when nobody else can serve it (policy avoid)", () => {
    const { assignments } = plan({ timeOff: [off("lucas", "2026-09-28", "2026-10-07"), off("ben", "2026-09-28", "2026-10-07"), off("chloe", "2026-09-28", "2026-10-07")] });
    expect(assignments[0]).toMatchObject({ member: "priya", reason: "only one available" });
  });

  it("under policy block, gives a week to a member whose holiday alone keeps them from it when nobody else can hold it", () => {
    const blocking = payments(["priya", "lucas", "ben", "chloe"], { holidays: { policy: "block" } });
    const away = ["lucas", "ben", "chloe"].map((m) => off(m, "2026-09-28", "2026-10-07"));
    const { assignments, conflicts } = plan({ timeOff: away }, blocking);
    // The holiday covers then hand Gandhi Jayanti to someone working it, or report it.
    expect(assignments[0]).toMatchObject({ member: "priya", reason: "only one available" });
    expect(conflicts).toEqual([]);
  });

  it("ignores holidays under policy ignore", () => {
    const ignoring = payments(["priya", "lucas", "ben", "chloe"], { holidays: { policy: "ignore" } });
    expect(plan({}, ignoring).assignments[0]).toMatchObject({ member: "priya", reason: "next in rotation order" });
  });
});

describe("time off", () => {
  const team = payments(["lucas", "priya", "ben", "chloe"]);

  it("passes over a member on time off and names them", () => {
    const { assignments } = planTeam(input(team, { fromDate: "2026-06-02", weeks: 4, now: utc("2026-05-01T00:00:00Z"), timeOff: [off("lucas", "2026-06-04")] }));
    expect(assignments[0]).toMatchObject({ member: "priya", reason: "Lucas Moreau on time off" });
    expect(weeksOf(assignments, "lucas")).toBe(1);
  });

  it("honours recurring days off: every week holds a Friday", () => {
    const { assignments } = planTeam(
      input(team, { fromDate: "2026-06-02", weeks: 8, now: utc("2026-05-01T00:00:00Z"), timeOff: [{ member: "ben", start: "2026-01-02", rrule: "FREQ=WEEKLY;BYDAY=FR" }] }),
    );
    expect(weeksOf(assignments, "ben")).toBe(0);
    expect(assignments.map((a) => a.reason)).toContain("Ben Carter on time off");
  });
});

describe("frozen weeks and the past", () => {
  const team = payments(["ben", "chloe", "dev", "eve"]);
  const first = planTeam(input(team, { fromDate: "2026-06-02", weeks: 6, now: utc("2026-05-01T00:00:00Z") }));
  const holderOfWeek = (i: number) => first.assignments[i]!.member!;

  it("keeps the week in progress and the next two, but replaces a frozen week whose member became unavailable, and reports it", () => {
    const sick = off(holderOfWeek(1), "2026-06-11");
    const replan = planTeam(input(team, { fromDate: "2026-06-02", weeks: 6, now: utc("2026-06-03T12:00:00Z"), stored: first.assignments, timeOff: [sick] }));
    const name = person(holderOfWeek(1)).name;
    expect(replan.assignments[0]).toEqual(first.assignments[0]);
    expect(replan.assignments[2]).toEqual(first.assignments[2]);
    expect(replan.assignments[1]!.member).not.toBe(holderOfWeek(1));
    expect(replan.assignments[1]!.reason).toBe(`${name} on time off: frozen week replaced`);
    expect(replan.conflicts).toEqual([{ rotation: "primary", weekStart: first.assignments[1]!.weekStart, member: holderOfWeek(1), problem: `${name} on time off on 2026-06-11` }]);
    expect(replan.changes[0]).toMatchObject({ weekStart: first.assignments[1]!.weekStart, before: holderOfWeek(1), after: replan.assignments[1]!.member });
  });

  it("moves at most two weeks of a year's plan when one day off is added: the member's week and one handed back", () => {
    const eight = payments(["priya", "lucas", "ben", "chloe", "dev", "eve", "femi", "gus"]);
    const year = { fromDate: "2026-01-06", weeks: 52, now: utc("2025-12-01T00:00:00Z") };
    const plan = planTeam(input(eight, year)).assignments;
    const week = plan[22]!;
    const replan = planTeam(input(eight, { ...year, stored: plan, timeOff: [off(week.member!, addDays(week.weekStart.slice(0, 10), 2))] }));
    expect(replan.changes.length).toBeLessThanOrEqual(2);
    expect(replan.changes).toContainEqual(expect.objectContaining({ weekStart: week.weekStart, before: week.member, reason: `${person(week.member!).name} on time off` }));
  });

  it("re-planned a week later over a rolling horizon, keeps every stored week and only adds the new one", () => {
    const eight = payments(["priya", "lucas", "ben", "chloe", "dev", "eve", "femi", "gus"]);
    const plan = planTeam(input(eight, { fromDate: "2026-01-06", weeks: 26, now: utc("2026-01-05T00:00:00Z") })).assignments;
    const later = planTeam(input(eight, { fromDate: "2026-01-13", weeks: 26, now: utc("2026-01-14T00:00:00Z"), stored: plan }));
    expect(later.changes).toEqual([expect.objectContaining({ weekStart: "2026-07-07T09:00:00Z", before: undefined })]);
  });

  it("does not run the last week of a short re-plan into the stored week after it", () => {
    const ignoring = payments(["ben", "chloe", "dev", "eve"], { holidays: { policy: "ignore" } });
    const eight = planTeam(input(ignoring, { fromDate: "2026-06-02", weeks: 8, now: utc("2026-05-01T00:00:00Z") })).assignments;
    expect(eight.map((a) => a.member)).toEqual(["ben", "chloe", "dev", "eve", "ben", "chloe", "dev", "eve"]);
    const four = planTeam(input(ignoring, { fromDate: "2026-06-02", weeks: 4, now: utc("2026-05-01T00:00:00Z"), stored: eight, timeOff: [off("eve", "2026-06-25")] }));
    // Ben has rested longest, but holds the stored week right after; Dev holds the week before.
    expect(four.changes).toEqual([expect.objectContaining({ before: "eve", after: "chloe", reason: "Eve Martin on time off" })]);
  });

  it("never rewrites weeks that have ended, even when a past day off is recorded late", () => {
    const late = off(holderOfWeek(1), "2026-06-11");
    const replan = planTeam(input(team, { fromDate: "2026-06-02", weeks: 6, now: utc("2026-06-25T00:00:00Z"), stored: first.assignments, timeOff: [late] }));
    expect(replan.assignments.slice(0, 3)).toEqual(first.assignments.slice(0, 3));
    expect(replan.changes.filter((c) => c.weekStart < "2026-06-23")).toEqual([]);
    expect(replan.conflicts).toEqual([]);
  });

  it("keeps frozen weeks under a re-plan that changes nothing else", () => {
    const replan = planTeam(input(team, { fromDate: "2026-06-02", weeks: 6, now: utc("2026-06-03T12:00:00Z"), stored: first.assignments }));
    expect(replan.changes).toEqual([]);
    expect(replan.assignments.map((a) => a.member)).toEqual(first.assignments.map((a) => a.member));
  });
});

describe("memory", () => {
  const eight = ["ben", "chloe", "dev", "eve", "femi", "gus", "hana", "ivo"];
  const team = payments(eight, { holidays: { policy: "ignore" } });
  const year = { fromDate: "2026-01-06", weeks: 52, now: utc("2026-01-01T00:00:00Z") };
  const cover = (member: string, replaced: string, start: string, hours: number): Override => ({
    team: "payments",
    rotation: "primary",
    start,
    end: utc(start).plus({ hours }).toISO({ suppressMilliseconds: true })!,
    member,
    replacedMember: replaced,
    source: "swap",
  });

  it("gives back three extra days someone covered: one week fewer than the colleague they covered for", () => {
    const fresh = planTeam(input(team, year)).assignments;
    // 52 weeks among 8: four members do 7, four do 6; Ben and Chloe both do 7 with no history.
    expect([weeksOf(fresh, "ben"), weeksOf(fresh, "chloe")]).toEqual([7, 7]);
    const remembered = planTeam(input(team, { ...year, overrides: [cover("ben", "chloe", "2025-11-04T09:00:00Z", 72)] })).assignments;
    expect([weeksOf(remembered, "ben"), weeksOf(remembered, "chloe")]).toEqual([6, 7]);
    // Ben's hours including the cover now sit within one week of Chloe's instead of 168 + 144 h above.
    const load = (m: string, extra: number) => weeksOf(remembered, m) * 168 + extra;
    expect(Math.abs(load("ben", 72) - load("chloe", -72))).toBeLessThanOrEqual(168);
  });

  it("starts a new joiner at the team's average, not at zero", () => {
    const four = payments(["ben", "chloe", "dev", "eve"], { holidays: { policy: "ignore" } });
    const history = planTeam(input(four, { fromDate: "2025-06-03", weeks: 24, now: utc("2025-06-01T00:00:00Z") })).assignments;
    const five = payments(["ben", "chloe", "dev", "eve", "femi"], { holidays: { policy: "ignore" } });
    // Femi joined when the team's version with them was stored, after the history.
    const membership = rotationMembership(five, [{ recordedAt: "2025-06-01T00:00:00Z", config: four }, { recordedAt: "2025-11-17T00:00:00Z", config: five }], []);
    const { assignments } = planTeam(input(five, { fromDate: "2025-11-18", weeks: 20, now: utc("2025-11-17T00:00:00Z"), stored: history, membership }));
    expect(["ben", "chloe", "dev", "eve", "femi"].map((m) => weeksOf(assignments, m))).toEqual([4, 4, 4, 4, 4]);
  });

  it("starts a new joiner level with the others even when the ledger remembers someone who left", () => {
    const others = ["ben", "chloe", "dev", "eve"];
    const withGus = payments([...others, "gus"], { holidays: { policy: "ignore" } });
    const history = planTeam(input(withGus, { fromDate: "2025-06-03", weeks: 25, now: utc("2025-06-01T00:00:00Z") })).assignments;
    // Before leaving, Gus covered a whole week for each of the others: all of them are behind.
    const covers = others.map((m) => {
      const week = history.find((a) => a.member === m)!;
      return { team: "payments", rotation: "primary", start: week.weekStart, end: week.weekEnd, member: "gus", replacedMember: m, source: "swap" as const };
    });
    const five = payments([...others, "femi"], { holidays: { policy: "ignore" } });
    const membership = rotationMembership(five, [{ recordedAt: "2025-06-01T00:00:00Z", config: withGus }, { recordedAt: "2025-11-24T00:00:00Z", config: five }], []);
    const { assignments } = planTeam(input(five, { fromDate: "2025-11-25", weeks: 20, now: utc("2025-11-24T00:00:00Z"), stored: history, overrides: covers, membership }));
    expect([...others, "femi"].map((m) => weeksOf(assignments, m))).toEqual([4, 4, 4, 4, 4]);
  });
});

describe("several rotations", () => {
  it("does not give one member two rotations in the same week while others are free", () => {
    const team = payments([], {
      rotations: [
        { id: "primary", name: "Primary", members: ["ben", "chloe", "dev", "eve"] },
        { id: "secondary", name: "Secondary", members: ["ben", "chloe", "dev", "eve"] },
      ],
    });
    const { assignments } = planTeam(input(team, { fromDate: "2026-06-02", weeks: 8, now: utc("2026-05-01T00:00:00Z") }));
    const byWeek = new Map<string, string[]>();
    for (const a of assignments) byWeek.set(a.weekStart, [...(byWeek.get(a.weekStart) ?? []), a.member!]);
    for (const holders of byWeek.values()) expect(new Set(holders).size).toBe(2);
    for (const m of ["ben", "chloe", "dev", "eve"]) expect(weeksOf(assignments, m)).toBe(4);
  });
});

describe("fairness report", () => {
  const team = payments(["priya", "lucas", "ben", "chloe"]);
  const members = ["priya", "lucas", "ben", "chloe"].map((id) => person(id));
  const week = (weekStart: string, weekEnd: string, member: string): Assignment => ({ team: "payments", rotation: "primary", weekStart, weekEnd, member, reason: "test" });
  const assignments = [
    week("2026-09-29T09:00:00Z", "2026-10-06T09:00:00Z", "priya"),
    week("2026-10-06T09:00:00Z", "2026-10-13T09:00:00Z", "lucas"),
    week("2026-10-13T09:00:00Z", "2026-10-20T09:00:00Z", "priya"),
    week("2026-10-20T09:00:00Z", "2026-10-27T10:00:00Z", "ben"),
  ];
  const overrides: Override[] = [
    { team: "payments", rotation: "primary", start: "2026-10-03T00:00:00Z", end: "2026-10-04T00:00:00Z", member: "lucas", replacedMember: "priya", source: "swap" },
  ];
  const from = "2026-09-29T09:00:00Z";
  const to = "2026-10-27T10:00:00Z";
  const report = fairnessReport({ team, members, timeOff: [], assignments, overrides, shifts: expandShifts(team, assignments, overrides, from, to), from, to });
  const row = (id: string) => report.members.find((m) => m.member === id)!;

  it("counts weeks, on-call hours, holiday hours and hours covered or given away", () => {
    // Gandhi Jayanti (2 October) is a whole Indian day inside Priya's first week.
    expect(row("priya")).toMatchObject({ weeks: 2, onCallHours: 336 - 24, holidayHours: 24, coveredHours: 0, givenAwayHours: 24 });
    expect(row("lucas")).toMatchObject({ weeks: 1, onCallHours: 168 + 24, holidayHours: 0, coveredHours: 24, givenAwayHours: 0 });
    // The week across the end of British summer time is 169 hours.
    expect(row("ben")).toMatchObject({ weeks: 1, onCallHours: 169 });
    expect(row("chloe")).toMatchObject({ weeks: 0, onCallHours: 0 });
  });

  it("flags anyone above 1.5 times the mean load", () => {
    expect(report.meanOnCallHours).toBe(168.25);
    expect(report.flags).toEqual([expect.objectContaining({ kind: "overloaded", member: "priya", onCallHours: 312 })]);
  });

  it("flags a pool under four or over ten members", () => {
    const flagsFor = (ids: string[]) =>
      fairnessReport({ team: payments(ids), members: ids.map((id) => person(id)), timeOff: [], assignments: [], overrides: [], shifts: [], from, to }).flags;
    expect(flagsFor(["ben", "chloe", "dev"])).toEqual([expect.objectContaining({ kind: "pool-too-small", rotation: "primary", poolSize: 3 })]);
    expect(flagsFor(Object.keys(PEOPLE))).toEqual([expect.objectContaining({ kind: "pool-too-large", rotation: "primary", poolSize: 11 })]);
    expect(flagsFor(["ben", "chloe", "dev", "eve"])).toEqual([]);
  });

  it("does not count a member who has left in the pool", () => {
    const ids = ["ben", "chloe", "dev", "eve"];
    const gone = ids.map((id) => person(id, id === "eve" ? { endDate: "2026-06-30" } : {}));
    const flags = fairnessReport({ team: payments(ids), members: gone, timeOff: [], assignments: [], overrides: [], shifts: [], from, to }).flags;
    expect(flags).toEqual([expect.objectContaining({ kind: "pool-too-small", poolSize: 3 })]);
  });
});

describe("time on call in another team", () => {
  // Chloe held the week before; Ben is on call elsewhere for part of the first planned week.
  const team = payments(["ben", "chloe"]);
  const before: Assignment = { team: "payments", rotation: "primary", weekStart: "2026-09-22T09:00:00Z", weekEnd: "2026-09-29T09:00:00Z", member: "chloe", reason: "test" };
  const firstWeek = (elsewhere: { start: string; end: string }) =>
    planTeam(input(team, { fromDate: "2026-09-29", weeks: 1, now: utc("2026-09-28T00:00:00Z"), stored: [before], elsewhere: [{ member: "ben", ...elsewhere }] })).assignments.find(
      (a) => a.weekStart === "2026-09-29T09:00:00Z",
    )!;

  it("keeps someone from two places at once even at the cost of a back-to-back week", () => {
    expect(firstWeek({ start: "2026-09-29T09:00:00Z", end: "2026-10-06T09:00:00Z" })).toMatchObject({ member: "chloe", reason: "Ben Carter already on call then" });
  });

  it("gives rest before avoiding an overlap of hours at the week's edge, which a day-level cover hands on", () => {
    expect(firstWeek({ start: "2026-10-05T16:00:00Z", end: "2026-10-06T09:00:00Z" })).toMatchObject({ member: "ben", reason: "rest: Chloe Evans on call the week before or after" });
  });

  it("counts more than a day of overlap as two places at once", () => {
    expect(firstWeek({ start: "2026-10-05T08:00:00Z", end: "2026-10-06T09:00:00Z" }).member).toBe("chloe");
  });
});

describe("frozen weeks", () => {
  const team = payments(["ben", "chloe", "dev"]);
  const stored = (members: string[]): Assignment[] =>
    members.map((member, i) => ({ team: "payments", rotation: "primary", weekStart: addDays("2026-09-29", 7 * i) + "T09:00:00Z", weekEnd: addDays("2026-09-29", 7 * i + 7) + "T09:00:00Z", member, reason: "test" }));
  const plan = (members: string[]) => planTeam(input(team, { fromDate: "2026-09-29", weeks: 2, now: utc("2026-09-28T00:00:00Z"), stored: stored(members) })).assignments.map((a) => [a.member, a.reason]);

  it("keeps a frozen week as planned, even where the shares would like it elsewhere", () => {
    expect(plan(["chloe", "ben"])).toEqual([
      ["chloe", "test"],
      ["ben", "test"],
    ]);
  });

  it("decides again a frozen week whose holder holds the week before too, when a colleague is free for it", () => {
    const [first, second] = plan(["chloe", "chloe"]);
    expect(first![0]).not.toBe(second![0]);
    expect([first![0], second![0]]).toContain("chloe");
  });
});
