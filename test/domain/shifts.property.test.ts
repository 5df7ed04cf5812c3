import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { Team } from "../../src/domain/org-file";
import { expandShifts } from "../../src/domain/shifts";
import type { Assignment, Override, Shift } from "../../src/domain/types";
import { makeTeam, roundRobin } from "./follow-the-sun";

// Half-hour and midnight changes, both hemispheres, and a zone that never changes.
const ZONES = ["Australia/Lord_Howe", "America/Santiago", "Asia/Kolkata", "Europe/London", "America/New_York", "Australia/Sydney"];

const hhmm = fc
  .integer({ min: 0, max: 24 * 60 - 1 })
  .map((m) => `${String(Math.floor(m / 60)).padStart(2, "0")}:${String(m % 60).padStart(2, "0")}`);

const rotationArb = fc.record({
  timeZone: fc.constantFrom(...ZONES),
  window: fc.tuple(hhmm, hhmm).filter(([start, end]) => start !== end).map(([start, end]) => ({ start, end })),
  size: fc.integer({ min: 1, max: 3 }),
});

// Days near clock changes in 2027 as well as anywhere in 2026–2028.
const firstDayArb = fc.oneof(
  fc.integer({ min: 0, max: 3 * 365 }).map((d) => new Date(Date.UTC(2026, 0, 1 + d)).toISOString().slice(0, 10)),
  fc.constantFrom("2027-03-08", "2027-03-24", "2027-03-30", "2027-08-30", "2027-09-28", "2027-10-27", "2027-11-03"),
);

const planArb = fc.record({
  rotations: fc.array(rotationArb, { minLength: 1, maxLength: 4 }),
  gapPolicy: fc.constantFrom("previous" as const, "next" as const),
  handoff: fc.record({ weekday: fc.constantFrom("monday" as const, "tuesday" as const, "sunday" as const), time: hhmm }),
  firstDay: firstDayArb,
  weeks: fc.integer({ min: 2, max: 4 }),
});

type PlanInput = typeof planArb extends fc.Arbitrary<infer T> ? T : never;
type Plan = { team: Team; assignments: Assignment[]; from: string; to: string };

/** A windowed team planned round robin; the horizon runs from the first handoff to the last. */
function planned(input: PlanInput): Plan {
  const team = makeTeam({
    gapPolicy: input.gapPolicy,
    handoff: input.handoff,
    rotations: input.rotations.map((r, i) => ({
      id: `r${i}`,
      timeZone: r.timeZone,
      window: r.window,
      members: Array.from({ length: r.size }, (_, m) => `m${i}-${m}`),
    })),
  });
  const assignments = roundRobin(team, input.firstDay, input.weeks);
  const from = assignments.map((a) => a.weekStart).sort()[0]!;
  const to = assignments.map((a) => a.weekEnd).sort().at(-1)!;
  return { team, assignments, from, to };
}

/** The first instant of [from, to) where no shift names anybody, or null. */
function firstUncovered(shifts: Shift[], from: string, to: string): string | null {
  let reach = Date.parse(from);
  for (const shift of [...shifts].sort((a, b) => Date.parse(a.start) - Date.parse(b.start))) {
    if (shift.member === null) continue;
    if (Date.parse(shift.start) > reach) return new Date(reach).toISOString();
    reach = Math.max(reach, Date.parse(shift.end));
  }
  return reach >= Date.parse(to) ? null : new Date(reach).toISOString();
}

const onCall = (shifts: Shift[], rotation: string, at: number) =>
  shifts
    .filter((s) => s.rotation === rotation && Date.parse(s.start) <= at && at < Date.parse(s.end))
    .map((s) => ({ member: s.member, source: s.source }));

const plan = (timeZone: string, start: string, end: string, firstDay: string, gapPolicy: "previous" | "next"): PlanInput => ({
  rotations: [
    { timeZone, window: { start, end }, size: 2 },
    { timeZone: "Asia/Kolkata", window: { start: "09:00", end: "17:00" }, size: 1 },
  ],
  gapPolicy,
  handoff: { weekday: "tuesday", time: "10:00" },
  firstDay,
  weeks: 2,
});

/** Windows that start or end inside a skipped hour, which random minutes rarely hit. */
const skippedHours: PlanInput[] = [
  // Ends in the skipped hour, so 02:30 reads as 03:30 and would run past the next start.
  plan("America/New_York", "03:00", "02:30", "2027-03-08", "previous"),
  // Starts in the skipped midnight hour and ends after it: that day's window vanishes.
  plan("America/Santiago", "00:30", "01:10", "2027-08-30", "next"),
  // Lies wholly inside Lord Howe's skipped half hour.
  plan("Australia/Lord_Howe", "02:10", "02:20", "2027-09-28", "previous"),
];

const RUNS = { numRuns: 60, examples: skippedHours.map((p): [PlanInput] => [p]) };

describe("expandShifts on random windowed teams", () => {
  it("names somebody at every instant of the planned horizon", () => {
    fc.assert(
      fc.property(planArb, (input) => {
        const { team, assignments, from, to } = planned(input);
        expect(firstUncovered(expandShifts(team, assignments, [], from, to), from, to)).toBeNull();
      }),
      RUNS,
    );
  });

  it("never gives one rotation two shifts at once", () => {
    fc.assert(
      fc.property(planArb, (input) => {
        const { team, assignments, from, to } = planned(input);
        const shifts = expandShifts(team, assignments, [], from, to);
        for (const rotation of team.rotations) {
          const own = shifts.filter((s) => s.rotation === rotation.id);
          own.slice(1).forEach((shift, i) => expect(shift.start >= own[i]!.end, `${rotation.id} at ${shift.start}`).toBe(true));
        }
      }),
      RUNS,
    );
  });

  const draftArb = fc.record({
    rotation: fc.nat(),
    startMinutes: fc.nat({ max: 4 * 7 * 24 * 60 }),
    lengthMinutes: fc.integer({ min: 1, max: 3 * 24 * 60 }),
    source: fc.constantFrom("override" as const, "swap" as const, "holiday-cover" as const),
    stored: fc.boolean(),
  });
  type Draft = typeof draftArb extends fc.Arbitrary<infer T> ? T : never;
  // Across the clock change in each skipped-hour plan.
  const acrossTheChange: Draft = { rotation: 0, startMinutes: 4 * 24 * 60, lengthMinutes: 60 * 60, source: "swap", stored: true };

  it("lets overrides replace the member for exactly their interval, the latest winning over holiday covers", () => {
    fc.assert(
      fc.property(planArb, fc.array(draftArb, { minLength: 1, maxLength: 4 }), (input, drafts) => {
        const { team, assignments, from, to } = planned(input);
        const overrides: Override[] = drafts.map((d, i) => {
          const start = Date.parse(from) + d.startMinutes * 60_000;
          return {
            ...(d.stored ? { id: i + 1 } : {}),
            team: team.id,
            rotation: team.rotations[d.rotation % team.rotations.length]!.id,
            start: new Date(start).toISOString(),
            end: new Date(start + d.lengthMinutes * 60_000).toISOString(),
            member: `stand-in-${i}`,
            replacedMember: null,
            source: d.source,
          };
        });
        // Holiday covers give way to swaps and admin overrides; within each kind, computed ones (no id) give way to stored ones, and stored ones to later ids.
        const kind = (o: Override) => (o.source === "holiday-cover" ? 0 : 1);
        const precedence = [...overrides].sort((a, b) => kind(a) - kind(b) || (a.id ?? 0) - (b.id ?? 0));
        const base = expandShifts(team, assignments, [], from, to);
        const replaced = expandShifts(team, assignments, overrides, from, to);
        const instants = new Set(
          [...base, ...replaced, ...overrides].flatMap((s) => [Date.parse(s.start), Date.parse(s.end)]),
        );
        for (const at of [...instants].filter((t) => t >= Date.parse(from) && t < Date.parse(to))) {
          for (const rotation of team.rotations) {
            const scheduled = onCall(base, rotation.id, at);
            const winner = precedence.findLast(
              (o) => o.rotation === rotation.id && Date.parse(o.start) <= at && at < Date.parse(o.end),
            );
            const expected = winner && scheduled.length > 0 ? [{ member: winner.member, source: winner.source }] : scheduled;
            expect(onCall(replaced, rotation.id, at), `${rotation.id} at ${new Date(at).toISOString()}`).toEqual(expected);
          }
        }
      }),
      { numRuns: 40, examples: skippedHours.map((p): [PlanInput, Draft[]] => [p, [acrossTheChange]]) },
    );
  });
});
