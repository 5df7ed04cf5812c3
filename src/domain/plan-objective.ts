/**
 * The planner's objective, written down once so that the planner, its tests
 * and the bench's exact solver judge a plan by the same numbers. Read
 * OBJECTIVE.md beside this file for the reasoning.
 *
 * A problem is the weeks a plan still decides ("slots"), each with who may
 * hold it, and the on-call time that is already settled around them: weeks
 * that have ended, frozen weeks, override holders and stored weeks after the
 * plan. The objective is lexicographic, in priority order:
 *
 * 1. `doubleBooked`: a holder also on call elsewhere then (another rotation of
 *    the team the same week, another team, an override they hold), counted
 *    per member and week beyond the first holding;
 * 2. `backToBack`: a member on call in two consecutive weeks, counted per
 *    member and pair of weeks;
 * 3. `outsideShare`: weeks by which a member's count falls outside
 *    [floor, ceil] of their fair share;
 * 4. `moved`: stored weeks given to someone else although their holder could keep them.
 *
 * Hard rules (time off, employment, blocked holidays) are not terms: they
 * decide who is eligible at all. Holidays under policy `avoid` are handled by
 * day-level covers after the plan, so they are a tie-break here, not a term.
 */
export type PlanProblem = {
  /** Pool size: members are 0..members-1. */
  members: number;
  slots: ProblemSlot[];
  /** Per horizon week, members on call then whatever the plan decides (repeats allowed). */
  settled: Map<number, number[]>;
  /** Weeks each member holds outside the slots (frozen weeks), counted in their share. */
  base: number[];
  lower: number[];
  upper: number[];
};

export type ProblemSlot = {
  week: number;
  eligible: number[];
  /** The stored holder when they may keep the week, else null. */
  keep: number | null;
  /** Members on call in another team during this slot. */
  busyElsewhere: number[];
  /** False when overrides take all of the slot's time: its holder is not on call then. */
  onCall: boolean;
  /**
   * Members who hold part of this slot through an override (a swap, an admin's):
   * `settled` counts them on call that week already, and holding the rest of the
   * same slot does not put them in two places at once.
   */
  overrideHolders: number[];
};

export type PlanScore = { doubleBooked: number; backToBack: number; outsideShare: number; moved: number };

export const SCORE_TERMS = ["doubleBooked", "backToBack", "outsideShare", "moved"] as const;
export type ScoreTerm = (typeof SCORE_TERMS)[number];

/** The score of giving slot i to holders[i]. */
export function scorePlan(problem: PlanProblem, holders: readonly number[]): PlanScore {
  const held = new Map<number, number[]>();
  for (const [week, members] of problem.settled) held.set(week, [...members]);
  const count = [...problem.base];
  let doubleBooked = 0;
  let moved = 0;
  problem.slots.forEach((slot, i) => {
    const m = holders[i]!;
    count[m]!++;
    if (slot.keep !== null && m !== slot.keep) moved++;
    if (slot.busyElsewhere.includes(m)) doubleBooked++;
    if (holdsTime(slot, m)) {
      const list = held.get(slot.week) ?? [];
      list.push(m);
      held.set(slot.week, list);
    }
  });
  const weeks = new Set(problem.slots.map((s) => s.week));
  const times = (week: number, m: number) => (held.get(week) ?? []).filter((x) => x === m).length;
  let backToBack = 0;
  for (const week of weeks) {
    for (let m = 0; m < problem.members; m++) {
      doubleBooked += Math.max(0, times(week, m) - 1);
      // Each pair of weeks once: the pair ending in `week`, and the one after it when nothing decides that next week.
      backToBack += Math.max(0, times(week - 1, m) + times(week, m) - 1);
      if (!weeks.has(week + 1)) backToBack += Math.max(0, times(week, m) + times(week + 1, m) - 1);
    }
  }
  let outsideShare = 0;
  for (let m = 0; m < problem.members; m++) {
    outsideShare += Math.max(0, problem.lower[m]! - count[m]!) + Math.max(0, count[m]! - problem.upper[m]!);
  }
  return { doubleBooked, backToBack, outsideShare, moved };
}

/** Whether holding the slot adds on-call time for `m` that week beyond what `settled` counts. */
export function holdsTime(slot: ProblemSlot, m: number): boolean {
  return slot.onCall && !slot.overrideHolders.includes(m);
}

/** Negative when a is the better plan, by the terms in priority order. */
export function compareScores(a: PlanScore, b: PlanScore): number {
  for (const term of SCORE_TERMS) if (a[term] !== b[term]) return a[term] - b[term];
  return 0;
}

type Delta = PlanScore;
const ZERO = (): Delta => ({ doubleBooked: 0, backToBack: 0, outsideShare: 0, moved: 0 });

/**
 * Improves a plan by single-week moves and two-week exchanges until none
 * lowers the score, and answers which slots changed. The greedy planner
 * decides weeks in time order and cannot see that a choice now forces a
 * double-booking or a back-to-back week later; this pass repairs exactly that,
 * accepting only strict improvements, so whatever the greedy's tie-breaks
 * chose stays wherever the objective is indifferent. Each move is priced
 * locally: only its weeks, their neighbours and the two members change.
 */
export function improvePlan(problem: PlanProblem, holders: number[], maxRounds = 8): Map<number, ScoreTerm> {
  const { slots } = problem;
  const times = new Map<number, number[]>();
  const row = (week: number) => {
    let r = times.get(week);
    if (!r) times.set(week, (r = new Array<number>(problem.members).fill(0)));
    return r;
  };
  for (const [week, members] of problem.settled) for (const m of members) row(week)[m]!++;
  const count = [...problem.base];
  slots.forEach((slot, i) => {
    count[holders[i]!]!++;
    if (holdsTime(slot, holders[i]!)) row(slot.week)[holders[i]!]!++;
  });
  const decided = new Set(slots.map((s) => s.week));
  const at = (week: number, m: number) => times.get(week)?.[m] ?? 0;
  const pair = (u: number, m: number) => (decided.has(u) || decided.has(u + 1) ? Math.max(0, at(u, m) + at(u + 1, m) - 1) : 0);
  const band = (m: number) => Math.max(0, problem.lower[m]! - count[m]!) + Math.max(0, count[m]! - problem.upper[m]!);
  /** The terms that giving slot i to `to` instead of `from` can change. */
  const local = (i: number, members: number[]): Delta => {
    const slot = slots[i]!;
    const d = ZERO();
    for (const m of members) {
      d.doubleBooked += Math.max(0, at(slot.week, m) - 1) + (slot.busyElsewhere.includes(m) && holders[i] === m ? 1 : 0);
      d.backToBack += pair(slot.week - 1, m) + pair(slot.week, m);
      d.outsideShare += band(m);
    }
    d.moved += slot.keep !== null && holders[i] !== slot.keep ? 1 : 0;
    return d;
  };
  const set = (i: number, to: number) => {
    const slot = slots[i]!;
    const from = holders[i]!;
    count[from]!--;
    count[to]!++;
    if (holdsTime(slot, from)) row(slot.week)[from]!--;
    if (holdsTime(slot, to)) row(slot.week)[to]!++;
    holders[i] = to;
  };
  const changed = new Map<number, ScoreTerm>();
  /** Applies the moves if together they lower the score, recording the term they lowered; answers whether they did. */
  const attempt = (moves: [slot: number, to: number][]): boolean => {
    const total = ZERO();
    const undo: [number, number][] = [];
    for (const [i, to] of moves) {
      const from = holders[i]!;
      const members = [from, to];
      const before = local(i, members);
      set(i, to);
      undo.push([i, from]);
      const after = local(i, members);
      for (const term of SCORE_TERMS) total[term] += after[term] - before[term];
    }
    if (compareScores(total, ZERO()) < 0) {
      const term = SCORE_TERMS.find((t) => total[t] !== 0)!;
      for (const [i] of moves) changed.set(i, term);
      return true;
    }
    for (const [i, from] of undo.reverse()) set(i, from);
    return false;
  };
  for (let round = 0; round < maxRounds; round++) {
    let improved = false;
    for (let i = 0; i < slots.length; i++) {
      for (const to of slots[i]!.eligible) {
        if (to !== holders[i] && attempt([[i, to]])) improved = true;
      }
      for (let j = i + 1; j < slots.length; j++) {
        const a = holders[i]!;
        const b = holders[j]!;
        if (a === b || !slots[j]!.eligible.includes(a) || !slots[i]!.eligible.includes(b)) continue;
        if (attempt([[i, b], [j, a]])) improved = true;
      }
    }
    if (!improved) break;
  }
  return changed;
}
