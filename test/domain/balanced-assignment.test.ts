import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { BalancedAssignment, type Slot } from "../../src/domain/balanced-assignment";

const PENALTY = 1000;

const problem = fc.integer({ min: 1, max: 4 }).chain((n) =>
  fc.record({
    slots: fc.array(
      fc.subarray([...Array(n).keys()]).chain((eligible) =>
        fc.record({ eligible: fc.constant(eligible), cost: fc.array(fc.constantFrom(0, 1, 2, 10, 20), { minLength: eligible.length, maxLength: eligible.length }) }),
      ),
      { minLength: 1, maxLength: 6 },
    ),
    lower: fc.array(fc.integer({ min: 0, max: 2 }), { minLength: n, maxLength: n }),
    slack: fc.array(fc.integer({ min: 0, max: 2 }), { minLength: n, maxLength: n }),
    base: fc.array(fc.integer({ min: 0, max: 1 }), { minLength: n, maxLength: n }),
    picks: fc.array(fc.nat(), { minLength: 6, maxLength: 6 }),
  }),
);

/** Cost of a complete assignment (-1: nobody), counts outside [lower, upper] included. */
function cost(slots: Slot[], lower: number[], upper: number[], base: number[], holders: number[]): number {
  const count = [...base];
  let total = 0;
  holders.forEach((m, t) => {
    if (m < 0) return;
    count[m]!++;
    total += slots[t]!.cost[slots[t]!.eligible.indexOf(m)]!;
  });
  count.forEach((c, m) => (total += PENALTY * (Math.max(0, lower[m]! - c) + Math.max(0, c - upper[m]!))));
  return total;
}

/** The best cost with the first slots fixed, by trying every assignment of the rest. */
function bruteForce(slots: Slot[], lower: number[], upper: number[], base: number[], fixed: number[]): number {
  let best = Infinity;
  const walk = (t: number, holders: number[]) => {
    if (t === slots.length) {
      best = Math.min(best, cost(slots, lower, upper, base, holders));
      return;
    }
    const options = t < fixed.length ? [fixed[t]!] : slots[t]!.eligible.length ? slots[t]!.eligible : [-1];
    for (const m of options) walk(t + 1, [...holders, m]);
  };
  walk(0, []);
  return best;
}

describe("BalancedAssignment", () => {
  it("prices every candidate exactly and ends at the optimum, whichever zero-cost candidates are picked", () => {
    fc.assert(
      fc.property(problem, ({ slots, lower, slack, base, picks }) => {
        const upper = lower.map((l, m) => l + slack[m]!);
        const optimum = bruteForce(slots, lower, upper, base, []);
        const engine = new BalancedAssignment(slots, lower, upper, base, PENALTY);
        const chosen: number[] = [];
        slots.forEach((slot, t) => {
          if (slot.eligible.length === 0) return void chosen.push(-1);
          const candidates = engine.candidates(t);
          for (const c of candidates) expect(c.extraCost).toBe(bruteForce(slots, lower, upper, base, [...chosen, c.member]) - optimum);
          const keeping = candidates.filter((c) => c.extraCost === 0);
          const pick = keeping[picks[t]! % keeping.length]!.member;
          engine.commit(t, pick);
          chosen.push(pick);
        });
        expect(cost(slots, lower, upper, base, chosen)).toBe(optimum);
      }),
      { numRuns: 300 },
    );
  });
});
