import fc from "fast-check";
import { DateTime } from "luxon";
import { describe, expect, it } from "vitest";
import { memberSchema, teamSchema, type Member, type TimeOff } from "../../src/domain/org-file";
import { planTeam, type PlanInput, type PlanResult } from "../../src/domain/rota";
import { WEEKDAYS, addDays } from "../../src/domain/time";
import { handoffClock, weeksFrom } from "../../src/domain/weeks";
import { solveExactly } from "../../src/domain/plan-mip";
import { scorePlan } from "../../src/domain/plan-objective";
import { highsSolver } from "../../src/services/exact-solver";
import { eligibleForWeek, onCallIntervals } from "./rota-oracle";

const PLACES: { zone: string; country: string; subdivision?: string }[] = [
  { zone: "Europe/London", country: "GB", subdivision: "ENG" },
  { zone: "America/New_York", country: "US", subdivision: "NY" },
  { zone: "America/Los_Angeles", country: "US", subdivision: "CA" },
  { zone: "Europe/Berlin", country: "DE", subdivision: "BY" },
  { zone: "Europe/Paris", country: "FR" },
  { zone: "Asia/Kolkata", country: "IN" },
  { zone: "America/Sao_Paulo", country: "BR" },
  { zone: "Australia/Sydney", country: "AU", subdivision: "NSW" },
  { zone: "Australia/Lord_Howe", country: "AU", subdivision: "NSW" },
  { zone: "Asia/Tokyo", country: "JP" },
  { zone: "Asia/Singapore", country: "SG" },
  { zone: "America/Santiago", country: "CL" },
];
const place = fc.integer({ min: 0, max: PLACES.length - 1 });
const sometimes = <T>(arb: fc.Arbitrary<T>) => fc.oneof({ arbitrary: fc.constant(null), weight: 3 }, { arbitrary: arb, weight: 1 });

const scenario = fc.record({
  members: fc.array(fc.record({ place, start: sometimes(fc.integer({ min: -7, max: 60 })), end: sometimes(fc.integer({ min: 0, max: 80 })) }), {
    minLength: 2,
    maxLength: 6,
  }),
  second: sometimes(
    fc.record({
      place,
      window: fc.constantFrom(undefined, { start: "08:00", end: "16:00" }, { start: "22:00", end: "06:00" }),
      size: fc.integer({ min: 1, max: 6 }),
    }),
  ),
  teamPlace: place,
  weekday: fc.constantFrom(...WEEKDAYS),
  time: fc.constantFrom("00:00", "02:30", "09:00", "10:00", "23:30"),
  policy: fc.constantFrom("avoid" as const, "block" as const, "ignore" as const),
  countBank: fc.boolean(),
  fromDay: fc.integer({ min: 0, max: 700 }),
  weeks: fc.integer({ min: 3, max: 9 }),
  timeOff: fc.array(fc.record({ who: fc.nat(), start: fc.integer({ min: -3, max: 65 }), days: fc.integer({ min: 0, max: 9 }) }), { maxLength: 4 }),
});
type Scenario = typeof scenario extends fc.Arbitrary<infer T> ? T : never;

function build(s: Scenario): PlanInput {
  const fromDate = addDays("2026-01-01", s.fromDay);
  const members: Member[] = s.members.map((m, i) => {
    const p = PLACES[m.place]!;
    const startDate = m.start === null ? null : addDays(fromDate, m.start);
    const endDate = m.end === null ? null : addDays(fromDate, Math.max(m.end, m.start ?? m.end));
    return memberSchema.parse({ id: `m${i}`, name: `Member ${i}`, email: `m${i}@example.com`, timeZone: p.zone, country: p.country, subdivision: p.subdivision, startDate, endDate });
  });
  const ids = members.map((m) => m.id);
  const rotations: unknown[] = [{ id: "main", name: "Main", members: ids }];
  if (s.second) rotations.push({ id: "side", name: "Side", timeZone: PLACES[s.second.place]!.zone, window: s.second.window, members: ids.slice(-s.second.size) });
  const team = teamSchema.parse({
    id: "t",
    name: "Team",
    timeZone: PLACES[s.teamPlace]!.zone,
    handoff: { weekday: s.weekday, time: s.time },
    holidays: { policy: s.policy, countBank: s.countBank },
    rotations,
    escalation: { levels: [{ afterMinutes: 0, targets: [{ type: "oncall" }] }] },
  });
  const timeOff: TimeOff[] = s.timeOff.map((t) => ({ member: ids[t.who % ids.length]!, start: addDays(fromDate, t.start), end: addDays(fromDate, t.start + t.days) }));
  // A month before the first week: nothing is past or frozen.
  const now = DateTime.fromISO(`${addDays(fromDate, -30)}T00:00:00Z`);
  return { team, members, timeOff, stored: [], overrides: [], fromDate, weeks: s.weeks, now };
}

/** The weeks of the plan as the oracle sees them, in the plan's order (rotation, then week). */
function oracleSlots(input: PlanInput) {
  const { team, members } = input;
  return team.rotations.flatMap((rotation) =>
    weeksFrom(handoffClock(team, rotation), input.fromDate, input.weeks).map((week) => {
      const intervals = onCallIntervals(team, rotation, week);
      const pool = rotation.members.map((id) => members.findIndex((m) => m.id === id));
      return {
        rotation: rotation.id,
        weekStart: week.start,
        eligible: eligibleForWeek(team, pool.map((m) => members[m]!), input.timeOff, intervals).map((member) => members.indexOf(member)),
      };
    }),
  );
}
type OracleSlot = ReturnType<typeof oracleSlots>[number];

function bands(slots: OracleSlot[], n: number) {
  const share = new Array<number>(n).fill(0);
  for (const slot of slots) for (const m of slot.eligible) share[m]! += 1 / slot.eligible.length;
  return { share, lower: share.map((x) => Math.floor(x + 1e-9)), upper: share.map((x) => Math.ceil(x - 1e-9)) };
}

const holders = (input: PlanInput, plan: PlanResult) => plan.assignments.map((a) => (a.member === null ? -1 : input.members.findIndex((m) => m.id === a.member)));
const RUNS = { numRuns: 60 };

describe("planTeam over random teams, zones, holidays and time off", () => {
  it("keeps every hard constraint and leaves a week empty only when nobody may serve it", () => {
    fc.assert(
      fc.property(scenario, (s) => {
        const input = build(s);
        const slots = oracleSlots(input);
        const plan = planTeam(input);
        expect(plan.assignments.map((a) => [a.rotation, a.weekStart])).toEqual(slots.map((x) => [x.rotation, x.weekStart]));
        holders(input, plan).forEach((m, i) => {
          if (m < 0) expect(slots[i]!.eligible).toEqual([]);
          else expect(slots[i]!.eligible).toContain(m);
        });
      }),
      RUNS,
    );
  });

  it("plans the exact optimum of its objective: no avoidable double-booking, then no avoidable back-to-back week, then shares within one, then fewest moves", () => {
    fc.assert(
      fc.property(scenario, (s) => {
        const input = build(s);
        const slots = oracleSlots(input);
        const { lower, upper } = bands(slots, input.members.length);
        const { objective } = planTeam({ ...input, exact: highsSolver });
        // The bands the objective prices are each member's plain share, rounded both ways (no ledger here).
        expect(objective.problem.lower).toEqual(lower);
        expect(objective.problem.upper).toEqual(upper);
        const optimum = solveExactly(objective.problem, highsSolver)!;
        expect(objective.score).toEqual(scorePlan(objective.problem, optimum));
      }),
      RUNS,
    );
  });

  it("is deterministic: the same input, even with time off listed in another order, gives the same plan", () => {
    fc.assert(
      fc.property(scenario, (s) => {
        const input = build(s);
        expect(planTeam({ ...input, timeOff: [...input.timeOff].reverse() })).toEqual(planTeam(input));
      }),
      RUNS,
    );
  });

  it("is idempotent: re-planning what was stored changes nothing, before the horizon starts or part-way through it", () => {
    fc.assert(
      fc.property(scenario, fc.integer({ min: 0, max: 70 }), (s, day) => {
        // As the service plans: a greedy plan that is not optimal could be improved on a re-plan, an optimal one cannot.
        const input = { ...build(s), exact: highsSolver };
        const first = planTeam(input);
        const replanned = planTeam({ ...input, stored: first.assignments });
        expect(replanned.assignments).toEqual(first.assignments);
        expect(replanned.changes).toEqual([]);
        expect(replanned.conflicts).toEqual(first.conflicts);
        // Later on, some weeks have ended and some are frozen: applying the plan made then is a fixed point.
        const later = { ...input, now: DateTime.fromISO(`${addDays(input.fromDate, day)}T12:00:00Z`) };
        const applied = planTeam({ ...later, stored: first.assignments });
        const again = planTeam({ ...later, stored: applied.assignments });
        expect(again.changes).toEqual([]);
        expect(again.assignments).toEqual(applied.assignments);
      }),
      // Found in CI: a frozen week decided again (its holder held the week after) kept its holder and its stored
      // reason, and on the next re-plan read "kept (frozen)" instead.
      {
        ...RUNS,
        examples: [
          [
            {
              members: [
                { place: 9, start: null, end: null },
                { place: 0, start: null, end: null },
                { place: 0, start: null, end: null },
              ],
              second: { place: 0, window: { start: "22:00", end: "06:00" }, size: 3 },
              teamPlace: 0,
              weekday: "monday",
              time: "00:00",
              policy: "avoid",
              countBank: false,
              fromDay: 438,
              weeks: 8,
              timeOff: [],
            },
            35,
          ],
        ],
      },
    );
  });

  it("after a day of time off is added, re-plans to the exact optimum, moving only the weeks the objective counts", () => {
    fc.assert(
      fc.property(scenario, fc.nat(), fc.integer({ min: 0, max: 62 }), (s, who, day) => {
        const input = build(s);
        const first = planTeam({ ...input, exact: highsSolver });
        const member = input.members[who % input.members.length]!.id;
        const date = addDays(input.fromDate, day);
        const changed = { ...input, timeOff: [...input.timeOff, { member, start: date, end: date }], stored: first.assignments, exact: highsSolver };
        const replan = planTeam(changed);
        expect(replan.objective.score).toEqual(scorePlan(replan.objective.problem, solveExactly(replan.objective.problem, highsSolver)!));

        const slots = oracleSlots(changed);
        const stored = holders(input, first);
        // A week changes when its stored member cannot keep it, or when the objective moves it.
        const forced = slots.filter((x, i) => (stored[i]! < 0 ? x.eligible.length > 0 : !x.eligible.includes(stored[i]!))).length;
        expect(replan.changes).toHaveLength(forced + replan.objective.score.moved);
      }),
      RUNS,
    );
  });

  it("never gives anyone back-to-back weeks when the weeks each member gets could be laid out without them, even with a skewed ledger", () => {
    const free = fc.record({
      s: scenario.map((s) => ({ ...s, members: s.members.map((m) => ({ ...m, start: null, end: null })), second: null, policy: "ignore" as const, timeOff: [], weeks: s.weeks + 6 })),
      covers: fc.array(fc.record({ by: fc.nat(), for: fc.nat(), days: fc.integer({ min: 1, max: 40 }) }), { maxLength: 3 }),
    });
    fc.assert(
      fc.property(free, ({ s, covers }) => {
        const input = build(s);
        const ids = input.members.map((m) => m.id);
        // Covers long past, so only the ledger remembers them and the targets lean.
        input.overrides = covers.map((c, i) => ({
          team: "t",
          rotation: "main",
          start: `${addDays(input.fromDate, -400 + 45 * i)}T00:00:00Z`,
          end: `${addDays(input.fromDate, -400 + 45 * i + c.days)}T00:00:00Z`,
          member: ids[c.by % ids.length]!,
          replacedMember: ids[(c.by + 1 + (c.for % (ids.length - 1))) % ids.length]!,
          source: "override",
        }));
        const sequence = planTeam(input).assignments.map((a) => a.member);
        const most = Math.max(...ids.map((id) => sequence.filter((m) => m === id).length));
        // Counts like these can be laid out with nobody twice in a row exactly when no one has more than half (rounded up).
        fc.pre(most <= Math.ceil(sequence.length / 2));
        for (let i = 1; i < sequence.length; i++) expect(sequence[i]).not.toBe(sequence[i - 1]);
      }),
      RUNS,
    );
  });
});
