import { DateTime } from "luxon";
import { memberSchema, teamSchema, type Member, type TimeOff } from "../../src/domain/org-file";
import { compareScores, type PlanScore } from "../../src/domain/plan-objective";
import { planTeam, type PlanInput } from "../../src/domain/rota";
import { addDays } from "../../src/domain/time";
import type { Override } from "../../src/domain/types";
import { solveExactly } from "../../src/domain/plan-mip";
import { SCORE_TERMS, scorePlan } from "../../src/domain/plan-objective";
import { highsSolver } from "../../src/services/exact-solver";
import { BENCH_REGIONS } from "./bench-org";

const INSTANCES = 300;

/** A small deterministic generator, so every run plans the same instances. */
function random(seed: number) {
  let state = seed >>> 0;
  const next = () => {
    state = (state * 1664525 + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
  return { next, int: (lo: number, hi: number) => lo + Math.floor(next() * (hi - lo + 1)), pick: <T>(xs: readonly T[]) => xs[Math.floor(next() * xs.length)]! };
}

/**
 * A random team of 3–10 members from the twelve bench countries, one or two
 * rotations (sometimes a daily window), 8–52 weeks, time off, a stored plan
 * for half of them (re-planned after new time off) and a few swaps.
 */
export function instance(seed: number): PlanInput {
  const rnd = random(seed);
  const size = rnd.int(3, 10);
  const weeks = rnd.pick([8, 13, 26, 26, 52]);
  const fromDate = addDays("2027-01-05", rnd.int(0, 300));
  const members: Member[] = Array.from({ length: size }, (_, i) => {
    const region = rnd.pick(BENCH_REGIONS);
    return memberSchema.parse({ id: `m${i}`, name: `Member ${i}`, email: `m${i}@example.com`, ...region });
  });
  const ids = members.map((m) => m.id);
  const rotations: unknown[] = [{ id: "main", name: "Main", members: ids }];
  if (rnd.next() < 0.3) {
    const region = rnd.pick(BENCH_REGIONS);
    rotations.push({ id: "side", name: "Side", timeZone: region.timeZone, window: rnd.next() < 0.5 ? { start: "09:00", end: "17:00" } : undefined, members: ids.slice(rnd.int(0, size - 2)) });
  }
  const team = teamSchema.parse({
    id: "t",
    name: "Team",
    timeZone: rnd.pick(BENCH_REGIONS).timeZone,
    holidays: { policy: rnd.pick(["avoid", "avoid", "block", "ignore"]) },
    rotations,
    escalation: { levels: [{ afterMinutes: 0, targets: [{ type: "oncall" }] }] },
  });
  const timeOff: TimeOff[] = Array.from({ length: rnd.int(0, size) }, () => {
    const start = addDays(fromDate, rnd.int(-7, weeks * 7));
    return { member: rnd.pick(ids), start, end: addDays(start, rnd.int(0, 16)) };
  });
  const now = DateTime.fromISO(`${addDays(fromDate, -20)}T00:00:00Z`, { zone: "utc" });
  const base: PlanInput = { team, members, timeOff, stored: [], overrides: [], fromDate, weeks, now };
  if (rnd.next() < 0.5) return base;
  // A stored plan, then more time off and some swaps: the re-plan is what is measured.
  const stored = planTeam(base).assignments;
  const overrides: Override[] = stored.filter(() => rnd.next() < 0.08).flatMap((a) => {
    const taker = rnd.pick(ids);
    return a.member && taker !== a.member ? [{ team: "t", rotation: a.rotation, start: a.weekStart, end: a.weekEnd, member: taker, replacedMember: a.member, source: "swap" as const }] : [];
  });
  const later = Array.from({ length: rnd.int(1, 3) }, () => {
    const start = addDays(fromDate, rnd.int(0, weeks * 7));
    return { member: rnd.pick(ids), start, end: addDays(start, rnd.int(0, 6)) };
  });
  return { ...base, stored, overrides, timeOff: [...timeOff, ...later] };
}

type Tally = { optimal: number; smallOptimal: number; lostOn: Map<string, number>; largest: { term: string; by: number; at: string } | null; ms: number };

const tally = (): Tally => ({ optimal: 0, smallOptimal: 0, lostOn: new Map(), largest: null, ms: 0 });

function record(t: Tally, planned: PlanScore, optimum: PlanScore, isSmall: boolean, at: string): void {
  const cmp = compareScores(planned, optimum);
  if (cmp < 0) throw new Error(`${at}: the planner beat the exact optimum, so the model is wrong`);
  if (cmp === 0) {
    t.optimal++;
    if (isSmall) t.smallOptimal++;
    return;
  }
  const term = SCORE_TERMS.find((k) => planned[k] !== optimum[k])!;
  const by = planned[term] - optimum[term];
  t.lostOn.set(term, (t.lostOn.get(term) ?? 0) + 1);
  const rank = (x: { term: string; by: number }) => [SCORE_TERMS.length - SCORE_TERMS.indexOf(x.term as never), x.by];
  if (!t.largest || rank({ term, by })[0]! > rank(t.largest)[0]! || (rank({ term, by })[0] === rank(t.largest)[0] && by > t.largest.by)) t.largest = { term, by, at };
}

/**
 * The planner's objective against the exact optimum of the same objective
 * (HiGHS), over random teams: the greedy pass with its local repair alone, and
 * the planner as it runs (which hands a plan it cannot prove optimal to HiGHS).
 */
export async function runPlanQualityBench(): Promise<void> {
  const greedy = tally();
  const planner = tally();
  let small = 0;
  let exactMs = 0;
  for (let seed = 1; seed <= INSTANCES; seed++) {
    const input = instance(seed);
    const isSmall = input.members.length <= 8 && input.weeks <= 26;
    if (isSmall) small++;
    const at = `seed ${seed} (${input.members.length} members, ${input.weeks} weeks)`;
    let t = performance.now();
    const alone = planTeam(input).objective;
    greedy.ms += performance.now() - t;
    t = performance.now();
    const full = planTeam({ ...input, exact: highsSolver }).objective;
    planner.ms += performance.now() - t;
    t = performance.now();
    const optimum = solveExactly(alone.problem, highsSolver);
    exactMs += performance.now() - t;
    if (!optimum) throw new Error(`${at}: HiGHS found no optimum in its time limit`);
    const best = scorePlan(alone.problem, optimum);
    record(greedy, alone.score, best, isSmall, at);
    record(planner, full.score, best, isSmall, at);
  }
  console.log(`plan quality: ${INSTANCES} random teams (3-10 members, 12 countries, 8-52 weeks, time off, stored plans, swaps) against HiGHS on the same objective`);
  for (const [label, t] of [["greedy + local repair", greedy], ["planner (greedy, then HiGHS when not provably optimal)", planner]] as const) {
    console.log(`  ${label}: optimal ${t.optimal}/${INSTANCES} (${((100 * t.optimal) / INSTANCES).toFixed(1)}%); up to 8 members x 26 weeks ${t.smallOptimal}/${small}; ${(t.ms / INSTANCES).toFixed(1)} ms per team`);
    console.log(`    lost on: ${[...t.lostOn].map(([term, n]) => `${term} ${n}`).join(", ") || "nothing"}; largest gap: ${t.largest ? `+${t.largest.by} ${t.largest.term} at ${t.largest.at}` : "none"}`);
  }
  console.log(`  HiGHS alone: ${(exactMs / INSTANCES).toFixed(1)} ms per team`);
}
