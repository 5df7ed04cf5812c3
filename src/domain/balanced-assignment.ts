/**
 * Slots (rotation weeks) given to members at least cost while each member's
 * count stays inside a band, decided one slot at a time.
 *
 * The problem is a min-cost flow: slot → eligible member → sink, with a convex
 * cost on each member's count (zero inside [lower, upper], `penalty` per unit
 * outside). Because every slot holds exactly one unit, a complete assignment
 * can be improved only along chains "u's slot moves to v", so the residual
 * graph collapses to one node per member plus a hub H for count changes:
 * u → v costs the cheapest move of one of u's open slots to v, H → u is u's
 * marginal cost of holding one fewer, u → H of holding one more. With 8–20
 * members that graph is tiny, and Bellman–Ford on it answers what a flow
 * solver over hundreds of slot nodes would.
 *
 * A complete optimal assignment (the completion) is kept at all times. To ask
 * what giving open slot s to m would cost, s is taken out of the graph and the
 * cost of the best repair chain from m back to s's current holder is added to
 * the direct difference; a candidate whose extra cost is zero keeps the
 * optimum, so the caller may pick among those by any rule it likes and the
 * final assignment is still optimal.
 */
export type Slot = {
  /** Member indices that may hold the slot. */
  eligible: readonly number[];
  /** Integer cost of each eligible member, aligned with `eligible`. */
  cost: readonly number[];
};

export type Candidate = { member: number; extraCost: number };

export class BalancedAssignment {
  /** The member holding each slot in the completion; -1 for a slot nobody may hold. */
  private readonly holder: number[];
  /** Slots held per member, `base` included. */
  private readonly count: number[];
  private readonly open: boolean[];
  private readonly costs: Float64Array[];
  private readonly n: number;
  // The collapsed graph over members 0..n-1 and hub n, rebuilt per question.
  private readonly weight: Float64Array;
  private readonly via: Int32Array;
  private readonly next: Int32Array;
  private distance = new Float64Array(0);

  constructor(
    private readonly slots: readonly Slot[],
    private readonly lower: readonly number[],
    private readonly upper: readonly number[],
    /** Slots each member already holds outside this problem. */
    base: readonly number[],
    private readonly penalty: number,
  ) {
    this.n = lower.length;
    const size = this.n + 1;
    this.weight = new Float64Array(size * size);
    this.via = new Int32Array(size * size);
    this.next = new Int32Array(size);
    this.count = [...base];
    this.open = slots.map((slot) => slot.eligible.length > 0);
    this.costs = slots.map((slot) => {
      const row = new Float64Array(this.n).fill(Infinity);
      slot.eligible.forEach((m, i) => (row[m] = slot.cost[i]!));
      return row;
    });
    // Cheapest member for each slot, spreading ties by count: optimal but for the bands.
    this.holder = slots.map((slot, t) => {
      const row = this.costs[t]!;
      let best = -1;
      for (const m of slot.eligible) {
        if (best < 0 || row[m]! < row[best]! || (row[m] === row[best] && this.count[m]! < this.count[best]!)) best = m;
      }
      if (best >= 0) this.count[best]!++;
      return best;
    });
    this.cancelNegativeCycles();
  }

  private costOf(slot: number, member: number): number {
    return this.costs[slot]![member]!;
  }

  /** Each member who may take `slot`, with how much giving it to them raises the optimum. */
  candidates(slot: number): Candidate[] {
    const holder = this.holder[slot]!;
    this.buildGraph(slot);
    this.shortestPathsTo(holder);
    return this.slots[slot]!.eligible.map((member) => ({
      member,
      extraCost: member === holder ? 0 : this.costOf(slot, member) - this.costOf(slot, holder) + this.distance[member]!,
    }));
  }

  /**
   * Gives `slot` to `member` for good and repairs the rest along the chain
   * found by the last `candidates(slot)` call.
   */
  commit(slot: number, member: number): void {
    const holder = this.holder[slot]!;
    if (member !== holder) {
      const size = this.n + 1;
      for (let u = member; u !== holder; ) {
        const v = this.next[u]!;
        if (u < this.n && v < this.n) this.move(this.via[u * size + v]!, v);
        u = v;
      }
      this.move(slot, member);
    }
    this.open[slot] = false;
  }

  private move(slot: number, to: number): void {
    this.count[this.holder[slot]!]!--;
    this.count[to]!++;
    this.holder[slot] = to;
  }

  private bandCost(member: number, count: number): number {
    return this.penalty * (Math.max(0, this.lower[member]! - count) + Math.max(0, count - this.upper[member]!));
  }

  private buildGraph(excluded: number): void {
    const { n, weight, via } = this;
    const size = n + 1;
    weight.fill(Infinity);
    for (let t = 0; t < this.slots.length; t++) {
      if (!this.open[t] || t === excluded) continue;
      const u = this.holder[t]!;
      const row = this.costs[t]!;
      const own = row[u]!;
      for (const v of this.slots[t]!.eligible) {
        if (v === u) continue;
        const w = row[v]! - own;
        // Among equal moves the latest slot: the decisions still ahead can undo it.
        if (w <= weight[u * size + v]!) {
          weight[u * size + v] = w;
          via[u * size + v] = t;
        }
      }
    }
    for (let m = 0; m < n; m++) {
      const c = this.count[m]!;
      weight[n * size + m] = this.bandCost(m, c - 1) - this.bandCost(m, c);
      weight[m * size + n] = this.bandCost(m, c + 1) - this.bandCost(m, c);
    }
  }

  /** Bellman–Ford towards `target` on the collapsed graph; `next` leads along a cheapest path. */
  private shortestPathsTo(target: number): void {
    const size = this.n + 1;
    const distance = new Float64Array(size).fill(Infinity);
    distance[target] = 0;
    this.next.fill(-1);
    for (let round = 0; round < size; round++) {
      let changed = false;
      for (let u = 0; u < size; u++) {
        for (let v = 0; v < size; v++) {
          const w = this.weight[u * size + v]!;
          if (u === v || w === Infinity || distance[v] === Infinity) continue;
          if (w + distance[v]! < distance[u]!) {
            distance[u] = w + distance[v]!;
            this.next[u] = v;
            changed = true;
          }
        }
      }
      if (!changed) break;
    }
    this.distance = distance;
  }

  /** Improves the completion until no chain or cycle of moves lowers its cost. */
  private cancelNegativeCycles(): void {
    const size = this.n + 1;
    const distance = new Float64Array(size);
    const previous = new Int32Array(size);
    for (;;) {
      this.buildGraph(-1);
      distance.fill(0);
      previous.fill(-1);
      let relaxed = -1;
      for (let round = 0; round < size; round++) {
        relaxed = -1;
        for (let u = 0; u < size; u++) {
          for (let v = 0; v < size; v++) {
            const w = this.weight[u * size + v]!;
            if (u === v || w === Infinity) continue;
            if (distance[u]! + w < distance[v]!) {
              distance[v] = distance[u]! + w;
              previous[v] = u;
              relaxed = v;
            }
          }
        }
        if (relaxed < 0) return;
      }
      // Still relaxing after |V| rounds: walk back onto the negative cycle and apply it.
      let on = relaxed;
      for (let i = 0; i < size; i++) on = previous[on]!;
      const cycle: [number, number][] = [];
      let v = on;
      do {
        const u = previous[v]!;
        cycle.push([u, v]);
        v = u;
      } while (v !== on);
      for (const [u, w] of cycle) if (u < this.n && w < this.n) this.move(this.via[u * size + w]!, w);
    }
  }
}
