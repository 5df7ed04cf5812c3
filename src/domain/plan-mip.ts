import { holdsTime, type PlanProblem } from "./plan-objective";

/** A mixed-integer solver: takes a CPLEX LP-format model, answers each column's value, or null when it found no optimum. */
export type MipSolver = (lp: string) => Record<string, number> | null;

/**
 * The exact optimum of the planner's objective (plan-objective.ts) for one
 * problem, as a mixed-integer program for the solver handed in: x_i_m = 1 when
 * slot i goes to member m; the lexicographic terms become one weighted sum
 * whose weights are large enough that no amount of a lower term outweighs one
 * unit of a higher one.
 */
export function solveExactly(problem: PlanProblem, solve: MipSolver): number[] | null {
  if (problem.slots.length === 0) return [];
  const { slots } = problem;
  const x = (i: number, m: number) => `x_${i}_${m}`;
  const rows: string[] = [];
  const binaries: string[] = [];
  const helpers: string[] = [];
  const objective: { coef: number; v: string; term: number }[] = [];

  slots.forEach((slot, i) => {
    for (const m of slot.eligible) binaries.push(x(i, m));
    rows.push(`one_${i}: ${slot.eligible.map((m) => x(i, m)).join(" + ")} = 1`);
    for (const m of slot.busyElsewhere) if (slot.eligible.includes(m)) objective.push({ coef: 1, v: x(i, m), term: 0 });
    // A moved week costs 1 - x(keep): the constant does not change the optimum.
    if (slot.keep !== null) objective.push({ coef: -1, v: x(i, slot.keep), term: 3 });
  });
  // h(week, m) = settled holdings (a constant) + the x of slots of that week.
  const weeks = [...new Set(slots.map((s) => s.week))].sort((a, b) => a - b);
  const settledTimes = (week: number, m: number) => (problem.settled.get(week) ?? []).filter((v) => v === m).length;
  const holdingVars = (week: number, m: number) =>
    slots.flatMap((s, i) => (s.week === week && holdsTime(s, m) && s.eligible.includes(m) ? [x(i, m)] : []));
  /** A helper y >= Σ vars + constant - 1 (y >= 0), weighed into `term`; skipped when it can never be positive. */
  const excess = (name: string, vars: string[], constant: number, term: number) => {
    if (vars.length + constant <= 1 || vars.length === 0) return;
    helpers.push(name);
    rows.push(`${name}_c: ${name} - ${vars.join(" - ")} >= ${constant - 1}`);
    objective.push({ coef: 1, v: name, term });
  };
  const decided = new Set(weeks);
  for (const w of weeks) {
    for (let m = 0; m < problem.members; m++) {
      excess(`d_${w + 1000}_${m}`, holdingVars(w, m), settledTimes(w, m), 0);
      excess(`b_${w + 1000}_${m}`, [...holdingVars(w - 1, m), ...holdingVars(w, m)], settledTimes(w - 1, m) + settledTimes(w, m), 1);
      if (!decided.has(w + 1)) excess(`a_${w + 1000}_${m}`, holdingVars(w, m), settledTimes(w, m) + settledTimes(w + 1, m), 1);
    }
  }
  for (let m = 0; m < problem.members; m++) {
    const vars = slots.flatMap((s, i) => (s.eligible.includes(m) ? [x(i, m)] : []));
    const count = vars.length ? vars.join(" + ") : "0 x_dummy";
    helpers.push(`under_${m}`, `over_${m}`);
    rows.push(`under_${m}_c: under_${m} + ${count} >= ${problem.lower[m]! - problem.base[m]!}`);
    rows.push(`over_${m}_c: over_${m} - ${count.replaceAll(" + ", " - ")} >= ${problem.base[m]! - problem.upper[m]!}`);
    objective.push({ coef: 1, v: `under_${m}`, term: 2 }, { coef: 1, v: `over_${m}`, term: 2 });
  }
  const base = 4 * slots.length + 4 * problem.members + 8;
  const weight = [base ** 3, base ** 2, base, 1];
  const lp = [
    "Minimize",
    ` obj: ${objective.map((o) => `${o.coef * weight[o.term]!} ${o.v}`).join(" + ").replaceAll("+ -", "- ")}`,
    "Subject To",
    ...rows.map((r) => ` ${r}`),
    "Bounds",
    ...helpers.map((h) => ` ${h} >= 0`),
    " x_dummy = 0",
    "Binary",
    ` ${binaries.join(" ")}`,
    "End",
  ].join("\n");
  const columns = solve(lp);
  if (!columns) return null;
  return slots.map((slot, i) => slot.eligible.find((m) => (columns[x(i, m)] ?? 0) > 0.5) ?? slot.eligible[0]!);
}
