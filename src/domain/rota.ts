import type { DateTime } from "luxon";
import { BalancedAssignment } from "./balanced-assignment";
import { SCORE_TERMS, compareScores, improvePlan, scorePlan, type PlanProblem, type PlanScore, type ScoreTerm } from "./plan-objective";
import { solveExactly, type MipSolver } from "./plan-mip";
import { memberLedger, teamPool, type LedgerEntry } from "./fairness";
import type { MemberSpell } from "./membership";
import type { Member, Team, TimeOff } from "./org-file";
import { subtract, type Range } from "./ranges";
import { DAY_MS, instantMs } from "./time";
import type { Assignment, Override } from "./types";
import { TeamAvailability, onCallSpans, onCallSpansByWeek, spanMinutes, type Unavailable } from "./week-availability";
import { handoffClock, weeksFrom } from "./weeks";

export type PlanInput = {
  /** One team, defaults applied. */
  team: Team;
  /** Every member referenced by the team's rotations. */
  members: Member[];
  timeOff: TimeOff[];
  /** The team's stored assignments, past ones included: they feed rest and the ledger. */
  stored: Assignment[];
  /** The team's active overrides: they survive every plan and count in the ledger. */
  overrides: Override[];
  /** Who belonged to which rotation when (`rotationMembership`): the ledger's fair shares; the team as it is now, for all time, when omitted. */
  membership?: readonly MemberSpell[];
  /**
   * The pool members' on-call time in other teams, as final shifts: nobody is
   * planned in two places at once while someone else can serve.
   */
  elsewhere?: readonly OnCallElsewhere[];
  /**
   * An exact mixed-integer solver. When the greedy plan's score is not zero
   * (so it may not be the best), the same objective is solved exactly and the
   * optimum taken if it is better.
   */
  exact?: MipSolver;
  /** A local date in the team's zone; the plan starts with the week containing it. */
  fromDate: string;
  weeks: number;
  now: DateTime;
};

export type OnCallElsewhere = { member: string; start: string; end: string };

export type AssignmentChange = {
  rotation: string;
  weekStart: string;
  weekEnd: string;
  /** undefined when nothing was stored for the week. */
  before: string | null | undefined;
  after: string | null;
  reason: string;
};

export type Conflict = { rotation: string; weekStart: string; member: string | null; problem: string };

export type PlanResult = {
  /** Every rotation's weeks in [from, from + weeks), by rotation then week; weeks already ended only where stored. */
  assignments: Assignment[];
  changes: AssignmentChange[];
  conflicts: Conflict[];
  /** The weeks the plan decided as an objective problem, the holders chosen (pool indices) and their score. */
  objective: { problem: PlanProblem; holders: number[]; score: PlanScore };
};

const WEEK_MS = 7 * DAY_MS;
// Load is compared in millionths of a week: float sums of 1/3 must tie when they should.
const PACE_SCALE = 1e6;
// Rounds of fitting the targets to the ledger; each brings every target closer to what it asks.
const FIT_ROUNDS = 40;

type PlanSlot = {
  rotation: number;
  /** Position in the horizon: weeks of every rotation that start on the same date share it. */
  week: number;
  weekStart: string;
  weekEnd: string;
  range: Range;
  spans: Range[];
  minutes: number;
  stored: Assignment | undefined;
};

/** A week not yet ended, with what each member of its rotation can do in it. */
type OpenSlot = PlanSlot & {
  /** Pool indices of the rotation's members, in rotation order. */
  members: number[];
  /** Per rotation member: why they cannot serve, or null. */
  unavailable: (Unavailable | null)[];
  /** Per rotation member: on-call minutes on their public holidays, counted under policy `avoid` only. */
  holidayMinutes: number[];
  eligible: number[];
  /** The holder of a frozen week that is kept. */
  fixed: number | null;
  /** Why a frozen week's stored member can no longer serve it. */
  broken: { why: string; date: string | null } | null;
  /** Pool indices of members holding part of the week through an override (a swap, a cover, an admin's). */
  overrideHolders: number[];
  /** Overrides take all of the week's on-call time: its holder serves none of it. */
  whollyOverridden: boolean;
  /** Per rotation member: on call in another team for more of the week's on-call time than its edges. */
  busyElsewhere: boolean[];
  /** Per rotation member: on call in another team for any of it (a day at most, when not `busyElsewhere`). */
  edgeOverlap: boolean[];
};

/**
 * Plans a team's rotations for `weeks` weeks from the week holding `fromDate`.
 *
 * - Hard rules decide who may hold each week: employment dates, time off and,
 *   under policy `block`, public holidays, on every local date (in the
 *   member's own zone) that the on-call time touches.
 * - Each member's target is their share of the weeks, each week split equally
 *   among those who may hold it, bent by the ledger of past weeks and
 *   overrides. The targets stay a fractional assignment, so whole counts
 *   within one of them always exist (rounding a flow).
 * - A min-cost assignment keeps every count within one of its target, then
 *   changes as few stored weeks as possible, then puts as few on-call minutes
 *   on public holidays as possible (policy `avoid`).
 * - Weeks are then decided in time order among the members who keep that
 *   optimum, by the tiers in `standing`.
 *
 * Weeks that have ended are never rewritten; frozen weeks (the one in
 * progress and those starting within `freezeWeeks` weeks) keep their stored
 * member unless that member can no longer serve, which is reported.
 */
export function planTeam(input: PlanInput): PlanResult {
  const { team } = input;
  const now = input.now.toMillis();
  const pool = teamPool(team);
  const poolIndex = new Map(pool.map((id, i) => [id, i]));
  const storedByWeek = new Map(input.stored.filter((a) => a.team === team.id).map((a) => [`${a.rotation} ${a.weekStart}`, a]));

  const slots: PlanSlot[] = team.rotations.flatMap((rotation, r) => {
    const weeks = weeksFrom(handoffClock(team, rotation), input.fromDate, Math.max(0, input.weeks));
    const ranges = weeks.map((week) => ({ start: instantMs(week.start), end: instantMs(week.end) }));
    const spans = onCallSpansByWeek(team, rotation, ranges);
    // After the handoff moves, a new week that has begun while a stored week on
    // the old handoff is running is not planned: what has begun is never rewritten.
    const begun = input.stored.filter((a) => a.team === team.id && a.rotation === rotation.id && instantMs(a.weekStart) <= now);
    const clashesWithBegun = (week: Range) =>
      week.start <= now && begun.some((a) => instantMs(a.weekStart) !== week.start && instantMs(a.weekStart) < week.end && week.start < instantMs(a.weekEnd));
    return weeks.flatMap((week, i) =>
      clashesWithBegun(ranges[i]!)
        ? []
        : [
            {
              rotation: r,
              week: i,
              weekStart: week.start,
              weekEnd: week.end,
              range: ranges[i]!,
              spans: spans[i]!,
              minutes: spanMinutes(spans[i]!),
              stored: storedByWeek.get(`${rotation.id} ${week.start}`),
            },
          ],
    );
  });
  slots.sort((a, b) => a.week - b.week || a.rotation - b.rotation);
  const planning = slots.filter((s) => s.range.end > now);

  // What the plan cannot touch feeds the ledger: weeks ended, and any before the plan's own.
  const planStart = new Map(team.rotations.map((rotation, r) => [rotation.id, planning.find((s) => s.rotation === r)?.range.start ?? Infinity]));
  const history = input.stored.filter(
    (a) => a.team === team.id && (instantMs(a.weekEnd) <= now || instantMs(a.weekStart) < (planStart.get(a.rotation) ?? Infinity)),
  );
  // Stored weeks after the plan stand for now: the last planned week should not run into them.
  const planEnd = new Map(team.rotations.map((rotation, r) => [rotation.id, slots.findLast((s) => s.rotation === r)?.range.end ?? Infinity]));
  const following = input.stored.filter((a) => a.team === team.id && instantMs(a.weekStart) >= (planEnd.get(a.rotation) ?? Infinity));
  const availability = new TeamAvailability(team, input.members, input.timeOff, {
    start: Math.min(now, ...slots.map((s) => s.range.start), ...history.map((a) => instantMs(a.weekStart))),
    end: Math.max(now, ...slots.map((s) => s.range.end)),
  });
  for (const id of pool) if (!availability.member(id)) throw new Error(`member ${id} of team ${team.id} is not among the members given`);

  const cover = overrideCover(team, input.overrides, poolIndex);
  const busy = busyRanges(input.elsewhere ?? []);
  const planWith = (restless: ReadonlySet<string>) => {
    const open = planning.map((slot) => openSlot(team, slot, poolIndex, availability, now, cover, busy, restless));
    const targets = fitTargets(open, pool.length, ledgerWeeks(input, history, availability, pool, open));
    return { open, ...decide(team, open, pool, targets, history, following, availability, cover, input.exact) };
  };
  // Frozen weeks whose holder also holds a neighbouring week are decided again: those in the stored plan, and
  // those the plan itself has just put next to a week it gave the same member (a second pass).
  const storedRestless = backToBackStored(input.stored.filter((a) => a.team === team.id));
  let planned = planWith(storedRestless);
  const decided = [
    ...history,
    ...following,
    ...planned.open.map((slot, k) => ({ rotation: team.rotations[slot.rotation]!.id, weekStart: slot.weekStart, weekEnd: slot.weekEnd, member: planned.decisions[k]!.member })),
  ];
  const restless = backToBackStored(decided);
  if ([...restless].some((key) => !storedRestless.has(key))) planned = planWith(new Set([...storedRestless, ...restless]));
  const { open, decisions, problem, holders } = planned;

  const assignments: Assignment[] = slots.filter((s) => s.range.end <= now && s.stored).map((s) => s.stored!);
  const changes: AssignmentChange[] = [];
  const conflicts: Conflict[] = [];
  open.forEach((slot, k) => {
    const rotation = team.rotations[slot.rotation]!.id;
    const { member, reason } = decisions[k]!;
    assignments.push({ team: team.id, rotation, weekStart: slot.weekStart, weekEnd: slot.weekEnd, member, reason });
    const before = slot.stored?.member;
    if (before !== member) changes.push({ rotation, weekStart: slot.weekStart, weekEnd: slot.weekEnd, before, after: member, reason });
    if (slot.broken) {
      const { why, date } = slot.broken;
      conflicts.push({ rotation, weekStart: slot.weekStart, member: slot.stored!.member, problem: date ? `${why} on ${date}` : why });
    }
    if (member === null) conflicts.push({ rotation, weekStart: slot.weekStart, member: null, problem: reason });
  });
  const position = new Map(team.rotations.map((r, i) => [r.id, i]));
  const order = (a: { rotation: string; weekStart: string }, b: { rotation: string; weekStart: string }) =>
    position.get(a.rotation)! - position.get(b.rotation)! || a.weekStart.localeCompare(b.weekStart);
  return {
    assignments: assignments.sort(order),
    changes: changes.sort(order),
    conflicts: conflicts.sort(order),
    objective: { problem, holders, score: scorePlan(problem, holders) },
  };
}

/** Overrides by rotation, as epoch-ms ranges with the pool index of their holder (-1 outside the pool). */
type OverrideCover = Map<string, { start: number; end: number; member: number }[]>;

function overrideCover(team: Team, overrides: readonly Override[], poolIndex: Map<string, number>): OverrideCover {
  const cover: OverrideCover = new Map();
  for (const o of overrides) {
    // Holiday covers follow from the plan (they are recomputed after it), so they cannot steer it.
    if (o.team !== team.id || o.source === "holiday-cover") continue;
    const list = cover.get(o.rotation) ?? [];
    list.push({ start: instantMs(o.start), end: instantMs(o.end), member: poolIndex.get(o.member) ?? -1 });
    cover.set(o.rotation, list);
  }
  return cover;
}

/** Who holds override time inside a week's spans, and whether overrides take all of it. */
function overriddenParts(cover: OverrideCover, rotationId: string, spans: readonly Range[]): { holders: number[]; whole: boolean } {
  const list = cover.get(rotationId);
  if (!list) return { holders: [], whole: false };
  const inside = list.filter((o) => spans.some((s) => o.start < s.end && s.start < o.end));
  if (inside.length === 0) return { holders: [], whole: false };
  const holders = [...new Set(inside.map((o) => o.member).filter((m) => m >= 0))];
  const whole = spans.every((s) => subtract(s, inside).length === 0);
  return { holders, whole };
}

/** "rotation weekStart" of each stored week whose holder also holds the rotation's week before or after it. */
function backToBackStored(stored: readonly Pick<Assignment, "rotation" | "weekStart" | "weekEnd" | "member">[]): Set<string> {
  const holder = new Map(stored.map((a) => [`${a.rotation} ${a.weekStart}`, a.member]));
  const restless = new Set<string>();
  for (const a of stored) {
    if (a.member === null) continue;
    const next = `${a.rotation} ${a.weekEnd}`;
    if (holder.get(next) === a.member) {
      restless.add(`${a.rotation} ${a.weekStart}`);
      restless.add(next);
    }
  }
  return restless;
}

function busyRanges(elsewhere: readonly OnCallElsewhere[]): Map<string, Range[]> {
  const busy = new Map<string, Range[]>();
  for (const e of elsewhere) {
    const list = busy.get(e.member) ?? [];
    list.push({ start: instantMs(e.start), end: instantMs(e.end) });
    busy.set(e.member, list);
  }
  return busy;
}

function openSlot(
  team: Team,
  slot: PlanSlot,
  poolIndex: Map<string, number>,
  availability: TeamAvailability,
  now: number,
  cover: OverrideCover,
  busy: Map<string, Range[]>,
  restless: ReadonlySet<string>,
): OpenSlot {
  const rotation = team.rotations[slot.rotation]!;
  const overridden = overriddenParts(cover, rotation.id, slot.spans);
  const elsewhereMs = rotation.members.map((id) => overlapMs(busy.get(id) ?? [], slot.spans));
  const members = rotation.members.map((id) => poolIndex.get(id)!);
  let unavailable = rotation.members.map((id) => availability.unavailable(id, slot.spans));
  // A `block` holiday is a day-level rule: when holidays alone keep everyone from the week, those members
  // may hold it, and the holiday covers hand each blocked day to someone working it (or report it).
  if (unavailable.every((u) => u !== null) && unavailable.some((u) => u!.kind === "holiday")) {
    unavailable = unavailable.map((u) => (u!.kind === "holiday" ? null : u));
  }
  const avoid = team.holidays.policy === "avoid";
  const frozen = slot.range.start <= now || slot.range.start < now + team.freezeWeeks * WEEK_MS;
  let fixed: number | null = null;
  let broken: OpenSlot["broken"] = null;
  const kept = slot.stored?.member;
  // A frozen week still to come whose holder also holds the week before or after is decided again: rest ranks
  // above stability, and since it was planned someone may have joined, or come back, who could take it.
  const reopened = slot.range.start > now && restless.has(`${rotation.id} ${slot.weekStart}`);
  if (frozen && kept) {
    const k = rotation.members.indexOf(kept);
    const problem = unavailable[k];
    if (k < 0) broken = { why: `${availability.name(kept)} no longer in ${rotation.name}`, date: null };
    else if (problem) broken = { why: describeUnavailable(availability.name(kept), problem), date: problem.date };
    else if (!reopened) fixed = members[k]!;
  }
  return {
    ...slot,
    members,
    unavailable,
    holidayMinutes: rotation.members.map((id) => (avoid ? Math.round(availability.holidayMinutes(id, slot.spans)) : 0)),
    eligible: members.filter((_, i) => unavailable[i] === null),
    fixed,
    broken,
    overrideHolders: overridden.holders,
    whollyOverridden: overridden.whole,
    busyElsewhere: elsewhereMs.map((ms) => ms > EDGE_OVERLAP_MS),
    edgeOverlap: elsewhereMs.map((ms) => ms > 0),
  };
}

/**
 * Teams hand over at different instants, so a member's week here may overlap
 * a week of theirs in another team by up to a day at either end whichever
 * weeks they hold. Day-level covers hand that overlap to a colleague free
 * then (holiday-cover.ts), so it only breaks ties; more than that is two
 * places at once, which outranks rest.
 */
const EDGE_OVERLAP_MS = DAY_MS;

function overlapMs(busy: readonly Range[], spans: readonly Range[]): number {
  let ms = 0;
  for (const b of busy) for (const s of spans) ms += Math.max(0, Math.min(b.end, s.end) - Math.max(b.start, s.start));
  return ms;
}

function describeUnavailable(name: string, why: Unavailable): string {
  switch (why.kind) {
    case "time-off":
      return `${name} on time off`;
    case "not-started":
      return `${name} not started yet`;
    case "left":
      return `${name} has left`;
    case "holiday":
      return `${name}'s public holiday (${why.holiday})`;
  }
}

/**
 * Each pool member's ledger balance in weeks, relative to the pool's mean; a
 * member the ledger has never seen sits at the mean, so a new joiner starts level.
 */
function ledgerWeeks(input: PlanInput, history: Assignment[], availability: TeamAvailability, pool: string[], open: OpenSlot[]): number[] {
  if (history.length === 0 && input.overrides.length === 0) return pool.map(() => 0);
  const { team, members, timeOff, overrides } = input;
  // Swaps and admin overrides are paid back as soon as they are agreed. Holiday covers count once begun:
  // they are recomputed from this very plan, so counting those ahead would let each plan move the next.
  const now = input.now.toMillis();
  const counted = overrides.filter((o) => o.source !== "holiday-cover" || instantMs(o.start) < now);
  const ledger = memberLedger({ team, members, timeOff, assignments: history, overrides: counted, membership: input.membership, availability });
  // A member with nothing in the ledger (they joined since) sits at the mean: a new joiner starts level.
  const inLedger = (e: LedgerEntry) => e.fairHours > 0 || e.scheduledHours > 0 || e.coveredHours > 0 || e.givenAwayHours > 0;
  const known = pool.map((id) => ledger.get(id)!).filter(inLedger);
  if (known.length === 0 || open.length === 0) return pool.map(() => 0);
  const mean = known.reduce((sum, e) => sum + e.balanceHours, 0) / known.length;
  const hoursPerWeek = open.reduce((sum, s) => sum + s.minutes, 0) / open.length / 60;
  return pool.map((id) => {
    const e = ledger.get(id)!;
    return inLedger(e) ? (e.balanceHours - mean) / hoursPerWeek : 0;
  });
}

type Targets = { perSlot: Float64Array[]; total: Float64Array };

/**
 * Targets as a fractional assignment: slot s gives member m the fraction
 * w_m / Σ w over those who may hold s. Equal weights give the plain share;
 * weights are fitted so that each total moves by the member's ledger balance,
 * as far as their availability lets it.
 */
function fitTargets(open: OpenSlot[], n: number, balance: number[]): Targets {
  const weight = new Float64Array(n).fill(1);
  const spread = (): Targets => {
    const total = new Float64Array(n);
    const perSlot = open.map((slot) => {
      const row = new Float64Array(n);
      let sum = 0;
      for (const m of slot.eligible) sum += weight[m]!;
      for (const m of slot.eligible) {
        row[m] = weight[m]! / sum;
        total[m]! += row[m]!;
      }
      return row;
    });
    return { perSlot, total };
  };
  let targets = spread();
  if (balance.every((b) => b === 0)) return targets;
  const possible = new Float64Array(n);
  for (const slot of open) for (const m of slot.eligible) possible[m]!++;
  const share = targets.total;
  const wanted = balance.map((b, m) => Math.min(possible[m]!, Math.max(0, share[m]! - b)));
  for (let round = 0; round < FIT_ROUNDS; round++) {
    for (let m = 0; m < n; m++) if (targets.total[m]! > 0) weight[m]! *= wanted[m]! / targets.total[m]!;
    // Only ratios matter: rescale so weights cannot drift, and keep each above zero so that a
    // week only one member can hold still goes to them.
    const top = Math.max(...weight) || 1;
    for (let m = 0; m < n; m++) weight[m] = Math.max(1e-6, weight[m]! / top);
    targets = spread();
  }
  return targets;
}

/**
 * How a member stands for a week. Candidates are compared tier by tier, in
 * this order, which is the planner's objective (see OBJECTIVE.md beside this
 * file): hard rules decide who is eligible at all; then nobody in two places
 * at once; then rest; then the load band and stability, which the min-cost
 * engine prices as `extraCost`; then spacing, holidays and the ledger as tie-breaks.
 */
type Standing = {
  member: number;
  /** Already holds another rotation of the team that week, or is on call in another team during it. */
  doubleBooked: boolean;
  /** On call (after overrides) in the week before, or holds the week after. */
  backToBack: boolean;
  /** How much giving them the week raises the load-band and stability cost of the best completion. */
  extraCost: number;
  /** Passing them over now would leave more weeks to reach their target than fit without back-to-back weeks. */
  urgent: boolean;
  /** On call in another team at the week's start or end: a colleague would have to cover that part. */
  edgeOverlap: boolean;
  /** The week touches one of their public holidays (policy `avoid`): a colleague would have to cover the day. */
  onHoliday: boolean;
  /** Holiday minutes already given to them, so that unavoidable holiday weeks take turns. */
  holidayMinutes: number;
  /** Weeks held so far minus their target so far, in millionths. */
  load: number;
  stored: boolean;
  /** Horizon week they last held, for rest. */
  lastHeld: number;
  order: number;
};

type Costs = { changeCost: number; bandPenalty: number };

type Tier = { better: (a: Standing, b: Standing) => number; why: (passed: Standing, holder: Standing, name: (m: number) => string, costs: Costs) => string };

const TIERS: Tier[] = [
  { better: (a, b) => +a.doubleBooked - +b.doubleBooked, why: (p, _, name) => `${name(p.member)} already on call then` },
  { better: (a, b) => +a.backToBack - +b.backToBack, why: (p, _, name) => `rest: ${name(p.member)} on call the week before or after` },
  {
    better: (a, b) => a.extraCost - b.extraCost,
    why: (p, _, name, costs) => (p.extraCost >= costs.bandPenalty ? `fair share: ${name(p.member)} has their share of weeks` : "kept as planned"),
  },
  { better: (a, b) => +b.urgent - +a.urgent, why: (_, h, name) => `spaces out ${name(h.member)}'s weeks` },
  { better: (a, b) => +a.edgeOverlap - +b.edgeOverlap, why: (p, _, name) => `${name(p.member)} on call in another team as the week starts or ends` },
  { better: (a, b) => +a.onHoliday - +b.onHoliday, why: (p, _, name) => `${name(p.member)}'s public holiday avoided` },
  { better: (a, b) => (a.onHoliday ? a.holidayMinutes - b.holidayMinutes : 0), why: () => "fewest holiday hours so far" },
  { better: (a, b) => a.load - b.load, why: () => "least load so far" },
  { better: (a, b) => +b.stored - +a.stored, why: () => "kept as planned" },
  { better: (a, b) => a.lastHeld - b.lastHeld, why: () => "rested longest" },
  { better: (a, b) => a.order - b.order, why: () => "next in rotation order" },
];

function compareStandings(a: Standing, b: Standing): number {
  for (const tier of TIERS) {
    const d = tier.better(a, b);
    if (d !== 0) return d;
  }
  return 0;
}

type Decision = { member: string | null; reason: string };

/** Why a week changed hands when the plan was improved after the greedy pass, by the term the change lowered. */
const IMPROVED_BECAUSE: Record<ScoreTerm, string> = {
  doubleBooked: "keeps everyone in one place at a time",
  backToBack: "rest: avoids back-to-back weeks later in the plan",
  outsideShare: "fair share: evens out the weeks",
  moved: "kept as planned",
};

/** The decision for each open slot, in order. */
function decide(
  team: Team,
  open: OpenSlot[],
  pool: string[],
  targets: Targets,
  history: Assignment[],
  following: Assignment[],
  availability: TeamAvailability,
  cover: OverrideCover,
  exact: MipSolver | undefined,
): { decisions: Decision[]; problem: PlanProblem; holders: number[] } {
  const n = pool.length;
  const poolIndex = new Map(pool.map((id, i) => [id, i]));
  const name = (m: number) => availability.name(pool[m]!);
  const lower = pool.map((_, m) => Math.floor(targets.total[m]! + 1e-9));
  const upper = pool.map((_, m) => Math.ceil(targets.total[m]! - 1e-9));

  // Who is on call in which horizon week, after overrides, history included: for rest and double-booking.
  const origin = open.length ? open[0]!.range.start - open[0]!.week * WEEK_MS : 0;
  const heldInWeek = new Map<number, Set<number>>();
  // Never on call counts as rested longest; finite so that differences stay numbers.
  const lastHeld = new Array<number>(n).fill(-1e9);
  const hold = (week: number, m: number) => {
    let holders = heldInWeek.get(week);
    if (!holders) heldInWeek.set(week, (holders = new Set()));
    holders.add(m);
    lastHeld[m] = Math.max(lastHeld[m]!, week);
  };
  const weekOf = (a: Assignment) => Math.round((instantMs(a.weekStart) - origin) / WEEK_MS);
  // Overrides decide who really served the weeks just before the plan; older weeks count as scheduled.
  const recent = origin - 2 * WEEK_MS;
  for (const a of history) {
    const m = a.member === null ? undefined : poolIndex.get(a.member);
    const rotation = team.rotations.find((r) => r.id === a.rotation);
    const range = { start: instantMs(a.weekStart), end: instantMs(a.weekEnd) };
    const overridden = rotation && range.end > recent ? overriddenParts(cover, rotation.id, onCallSpans(team, rotation, range)) : null;
    if (m !== undefined && !overridden?.whole) hold(weekOf(a), m);
    for (const o of overridden?.holders ?? []) hold(weekOf(a), o);
  }
  // Holders known ahead of the decisions: kept frozen weeks, override holders and stored weeks after the plan.
  const keptInWeek = new Map<number, number[]>();
  const keep = (week: number, m: number) => keptInWeek.set(week, [...(keptInWeek.get(week) ?? []), m]);
  // How often m is kept on call in the week besides their own part of `slot` through an override.
  const keptBesides = (slot: OpenSlot, week: number, m: number) =>
    (keptInWeek.get(week) ?? []).filter((x) => x === m).length - (week === slot.week && slot.overrideHolders.includes(m) ? 1 : 0);
  for (const slot of open) {
    const kept = new Set(slot.overrideHolders);
    if (slot.fixed !== null && !slot.whollyOverridden) kept.add(slot.fixed);
    for (const m of kept) keep(slot.week, m);
  }
  for (const a of following) {
    const m = a.member === null ? undefined : poolIndex.get(a.member);
    if (m !== undefined) keep(weekOf(a), m);
  }

  // The optimum over the weeks still to decide: counts inside their band, then as few stored weeks moved as possible.
  const free = open.map((slot, k) => ({ slot, k })).filter(({ slot }) => slot.fixed === null && slot.eligible.length > 0);
  const costs: Costs = { changeCost: 1, bandPenalty: free.length + 1 };
  const secured = new Array<number>(n).fill(0);
  for (const slot of open) if (slot.fixed !== null) secured[slot.fixed]!++;
  const engine = new BalancedAssignment(
    free.map(({ slot }) => {
      const stored = slot.stored?.member ? poolIndex.get(slot.stored.member) : undefined;
      const keepable = stored !== undefined && slot.eligible.includes(stored);
      return { eligible: slot.eligible, cost: slot.eligible.map((m) => (keepable && m !== stored ? costs.changeCost : 0)) };
    }),
    lower,
    upper,
    secured,
    costs.bandPenalty,
  );
  const engineSlot = new Map(free.map(({ k }, i) => [k, i]));
  const settled = new Map<number, number[]>();
  for (const byWeek of [heldInWeek, keptInWeek]) for (const [week, members] of byWeek) settled.set(week, [...(settled.get(week) ?? []), ...new Set(members)]);
  const problem: PlanProblem = {
    members: n,
    slots: free.map(({ slot }) => {
      const stored = slot.stored?.member ? poolIndex.get(slot.stored.member) : undefined;
      return {
        week: slot.week,
        eligible: slot.eligible,
        keep: stored !== undefined && slot.eligible.includes(stored) ? stored : null,
        busyElsewhere: slot.members.filter((_, i) => slot.busyElsewhere[i]),
        onCall: !slot.whollyOverridden,
        overrideHolders: slot.overrideHolders,
      };
    }),
    settled,
    base: [...secured],
    lower,
    upper,
  };

  const eligibleWeeks = pool.map(() => [] as number[]);
  for (const { slot } of free) for (const m of slot.eligible) if (eligibleWeeks[m]!.at(-1) !== slot.week) eligibleWeeks[m]!.push(slot.week);
  const fitWithoutBackToBack = (m: number, after: number) => {
    let fit = 0;
    let previous = after;
    for (const w of eligibleWeeks[m]!) {
      if (w > after && w - previous >= (fit === 0 ? 1 : 2)) {
        fit++;
        previous = w;
      }
    }
    return fit;
  };

  const heldSoFar = new Array<number>(n).fill(0);
  const targetSoFar = new Array<number>(n).fill(0);
  const holidayDone = new Array<number>(n).fill(0);
  const decisions = open.map((slot, k) => {
    const storedMember = slot.stored?.member ? poolIndex.get(slot.stored.member) : undefined;
    const standing = (m: number, extraCost: number): Standing => ({
      member: m,
      doubleBooked:
        slot.busyElsewhere[slot.members.indexOf(m)]! ||
        (heldInWeek.get(slot.week)?.has(m) ?? false) ||
        keptBesides(slot, slot.week, m) > 0,
      backToBack: [slot.week - 1, slot.week + 1].some((w) => (heldInWeek.get(w)?.has(m) ?? false) || keptBesides(slot, w, m) > 0),
      extraCost,
      urgent: lower[m]! - secured[m]! > fitWithoutBackToBack(m, slot.week),
      edgeOverlap: slot.edgeOverlap[slot.members.indexOf(m)]!,
      onHoliday: slot.holidayMinutes[slot.members.indexOf(m)]! > 0,
      holidayMinutes: holidayDone[m]!,
      load: Math.round((heldSoFar[m]! - targetSoFar[m]!) * PACE_SCALE),
      stored: m === storedMember,
      lastHeld: lastHeld[m]!,
      order: slot.members.indexOf(m),
    });

    let decision: Decision;
    let holder: number | null = null;
    if (slot.fixed !== null) {
      holder = slot.fixed;
      // Kept as stored, why included, as a kept week that is decided again keeps it: the store keeps the row,
      // so the plan says what is stored, and a frozen week reads alike whichever way it was kept.
      decision = { member: pool[holder]!, reason: slot.stored!.reason };
    } else if (slot.eligible.length === 0) {
      const why = slot.members.map((m, i) => describeUnavailable(name(m), slot.unavailable[i]!));
      decision = { member: null, reason: `nobody available: ${why.join("; ")}` };
    } else {
      const e = engineSlot.get(k)!;
      const ranked = engine
        .candidates(e)
        .map((c) => standing(c.member, c.extraCost))
        .sort(compareStandings);
      holder = ranked[0]!.member;
      engine.commit(e, holder);
      secured[holder]!++;
      let reason: string;
      if (holder === storedMember) reason = slot.stored!.reason;
      else if (slot.broken) reason = `${slot.broken.why}: frozen week replaced`;
      else reason = explain(slot, ranked, standing, name, costs);
      decision = { member: pool[holder]!, reason };
    }
    for (const m of slot.eligible) targetSoFar[m]! += targets.perSlot[k]![m]!;
    if (holder !== null) {
      heldSoFar[holder]!++;
      holidayDone[holder]! += slot.holidayMinutes[slot.members.indexOf(holder)]!;
      if (!slot.whollyOverridden) hold(slot.week, holder);
    }
    return decision;
  });
  const holders = free.map(({ k }) => poolIndex.get(decisions[k]!.member!)!);
  const greedy = [...holders];
  // Why each week ended up with someone other than the greedy's choice: the term the change lowered.
  const because = new Map<number, ScoreTerm>();
  // The greedy decides in time order; a choice that forces a clash later is repaired here.
  for (const [i, term] of improvePlan(problem, holders)) because.set(i, term);
  const adoptIfBetter = (candidate: number[], term: (score: PlanScore) => ScoreTerm) => {
    const score = scorePlan(problem, candidate);
    if (compareScores(score, scorePlan(problem, holders)) > 0) return;
    const decidingTerm = term(score);
    candidate.forEach((holder, i) => {
      if (holder === holders[i]) return;
      holders[i] = holder;
      because.set(i, decidingTerm);
    });
  };
  // The stored plan, repaired where it no longer holds, wins every tie: a week moves only when a term now fails for it.
  if (problem.slots.some((slot) => slot.keep !== null)) {
    const stored = problem.slots.map((slot, i) => slot.keep ?? holders[i]!);
    improvePlan(problem, stored);
    adoptIfBetter(stored, () => "moved");
  }
  const sofar = scorePlan(problem, holders);
  if (exact && SCORE_TERMS.some((t) => sofar[t] > 0)) {
    const optimum = solveExactly(problem, exact);
    if (optimum && compareScores(scorePlan(problem, optimum), sofar) < 0) adoptIfBetter(optimum, (score) => SCORE_TERMS.find((t) => score[t] !== sofar[t])!);
  }
  holders.forEach((holder, i) => {
    if (holder === greedy[i]) return;
    const { slot, k } = free[i]!;
    const kept = slot.stored?.member === pool[holder];
    decisions[k] = { member: pool[holder]!, reason: kept ? slot.stored!.reason : IMPROVED_BECAUSE[because.get(i) ?? "moved"] };
  });
  return { decisions, problem, holders };
}

/**
 * A short reason naming the term of the objective that decided the week. It
 * explains why the member next in line by load and rest was passed over, or,
 * when the holder is that member, what put them ahead of the runner-up.
 */
function explain(slot: OpenSlot, ranked: Standing[], standing: (m: number, extraCost: number) => Standing, name: (m: number) => string, costs: Costs): string {
  const holder = ranked[0]!;
  const inLine = slot.members.map((m) => standing(m, 0)).sort((a, b) => a.load - b.load || a.lastHeld - b.lastHeld || a.order - b.order)[0]!;
  const passed = inLine.member !== holder.member ? (ranked.find((c) => c.member === inLine.member) ?? inLine) : ranked[1];
  if (!passed) return "only one available";
  const why = slot.unavailable[slot.members.indexOf(passed.member)];
  if (why) return describeUnavailable(name(passed.member), why);
  const tier = TIERS.find((t) => t.better(holder, passed) !== 0);
  return tier ? tier.why(passed, holder, name, costs) : "next in rotation order";
}
