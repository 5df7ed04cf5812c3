/**
 * Half-open intervals [start, end) in epoch milliseconds. Numbers rather than
 * ISO strings: the shift expansion does thousands of these per team-year, and
 * strings only compare correctly when every producer formats them alike.
 */
export type Range = { start: number; end: number };

export function overlaps(a: Range, b: Range): boolean {
  return a.start < b.end && b.start < a.end;
}

/** The common part of two ranges, or null when they do not overlap. */
export function intersect(a: Range, b: Range): Range | null {
  const start = Math.max(a.start, b.start);
  const end = Math.min(a.end, b.end);
  return start < end ? { start, end } : null;
}

/** The parts of `range` that none of `cuts` touches, in order. */
export function subtract(range: Range, cuts: readonly Range[]): Range[] {
  const rest: Range[] = [];
  let cursor = range.start;
  for (const cut of merge(cuts)) {
    if (cut.end <= cursor) continue;
    if (cut.start >= range.end) break;
    if (cut.start > cursor) rest.push({ start: cursor, end: cut.start });
    cursor = Math.max(cursor, cut.end);
  }
  if (cursor < range.end) rest.push({ start: cursor, end: range.end });
  return rest;
}

/** The union of ranges as sorted, disjoint ranges; touching ranges join. */
export function merge(ranges: readonly Range[]): Range[] {
  const sorted = ranges.filter((r) => r.start < r.end).sort((a, b) => a.start - b.start);
  const union: Range[] = [];
  for (const r of sorted) {
    const last = union[union.length - 1];
    if (last && r.start <= last.end) last.end = Math.max(last.end, r.end);
    else union.push({ start: r.start, end: r.end });
  }
  return union;
}

/** Whether every instant of `target` lies in one of `ranges`. */
export function covers(ranges: readonly Range[], target: Range): boolean {
  return subtract(target, ranges).length === 0;
}
