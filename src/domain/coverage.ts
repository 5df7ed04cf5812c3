import type { Team } from "./org-file";
import { rotationZone } from "./org-file";
import type { Range } from "./ranges";
import { intersect, merge, subtract } from "./ranges";
import { addDays, instantMs, isoFromMs, localDateAt, localToInstantMs, MINUTE_MS } from "./time";
import type { Shift } from "./types";
import { WINDOW_RECURRENCE_MS, windowOccurrences } from "./weeks";

export type GapPolicy = Team["gapPolicy"];

/**
 * A stretch with nothing on call, and the ranges that hold it: on the
 * "previous" side those that end where it starts (they are extended), on the
 * "next" side those that start where it ends (they start early).
 */
export type Gap<T extends Range> = Range & { side: GapPolicy; holders: T[] };

/**
 * The gaps between ranges inside the planned stretches `within`, each held from
 * the side the policy names, or from the other side at the edge of the plan
 * where nothing follows (or precedes). Only gaps shorter than
 * WINDOW_RECURRENCE_MS count: a longer one means nobody in the team was
 * staffed for a whole day, which is reported, not papered over. Shared by the
 * coverage report and the shift expansion so that both name the same holder.
 */
export function closableGaps<T extends Range>(ranges: readonly T[], policy: GapPolicy, within: readonly Range[]): Gap<T>[] {
  const endingAt = new Map<number, T[]>();
  const startingAt = new Map<number, T[]>();
  for (const range of ranges) {
    if (endingAt.has(range.end)) endingAt.get(range.end)!.push(range);
    else endingAt.set(range.end, [range]);
    if (startingAt.has(range.start)) startingAt.get(range.start)!.push(range);
    else startingAt.set(range.start, [range]);
  }
  const union = merge(ranges);
  const gaps: Gap<T>[] = [];
  for (const hole of within.flatMap((planned) => subtract(planned, union))) {
    if (hole.end - hole.start >= WINDOW_RECURRENCE_MS) continue;
    const previous = endingAt.get(hole.start);
    const next = startingAt.get(hole.end);
    const side: GapPolicy = policy === "previous" ? (previous ? "previous" : "next") : next ? "next" : "previous";
    const holders = side === "previous" ? previous : next;
    if (holders) gaps.push({ start: hole.start, end: hole.end, side, holders });
  }
  return gaps;
}

export type CoverageGap = {
  /** The team-zone date the gap starts on. */
  date: string;
  start: string;
  end: string;
  minutes: number;
  heldBy: string[];
  resolution: string;
};

export type CoverageOverlap = {
  /** The team-zone date the overlap starts on. */
  date: string;
  start: string;
  end: string;
  minutes: number;
  /** In rotation order, which is the order they are paged in. */
  rotations: string[];
  resolution: string;
};

export type Coverage = { team: string; from: string; to: string; gaps: CoverageGap[]; overlaps: CoverageOverlap[] };

type RotationWindow = Range & { rotation: number };

/** The stretches where two or more windows are active, split where the set of rotations changes. */
function windowOverlaps(windows: readonly RotationWindow[]): (Range & { rotations: number[] })[] {
  const sorted = [...windows].sort((a, b) => a.start - b.start);
  const points = [...new Set(sorted.flatMap((w) => [w.start, w.end]))].sort((a, b) => a - b);
  const found: (Range & { rotations: number[] })[] = [];
  let active: RotationWindow[] = [];
  let next = 0;
  for (let i = 0; i + 1 < points.length; i++) {
    const at = points[i]!;
    active = active.filter((w) => w.end > at);
    while (next < sorted.length && sorted[next]!.start <= at) active.push(sorted[next++]!);
    if (active.length < 2) continue;
    const rotations = active.map((w) => w.rotation).sort((a, b) => a - b);
    const last = found[found.length - 1];
    if (last && last.end === at && last.rotations.join() === rotations.join()) last.end = points[i + 1]!;
    else found.push({ start: at, end: points[i + 1]!, rotations });
  }
  return found;
}

/**
 * Gaps (no window active) and overlaps (two or more active) in a team's daily
 * windows for the team-zone dates `from` to `to`, both inclusive, each labelled
 * with the team-zone date it starts on. This is the geometry of the windows
 * alone, whoever is scheduled. A whole-day rotation leaves no gap, and it is
 * not counted in overlaps: it overlaps every window by design.
 */
export function analyseCoverage(team: Team, from: string, to: string): Coverage {
  const range = { start: localToInstantMs(from, "00:00", team.timeZone), end: localToInstantMs(addDays(to, 1), "00:00", team.timeZone) };
  const span = { start: range.start - WINDOW_RECURRENCE_MS, end: range.end + WINDOW_RECURRENCE_MS };
  const windows: RotationWindow[] = team.rotations.flatMap((rotation, index) =>
    rotation.window
      ? windowOccurrences(rotation.window, rotationZone(team, rotation), span).map((w) => ({ start: w.start, end: w.end, rotation: index }))
      : [],
  );
  const ids = (rotations: number[]) => [...rotations].sort((a, b) => a - b).map((r) => team.rotations[r]!.id);
  const report = (clipped: Range) => ({
    date: localDateAt(clipped.start, team.timeZone),
    start: isoFromMs(clipped.start),
    end: isoFromMs(clipped.end),
    minutes: (clipped.end - clipped.start) / MINUTE_MS,
  });
  const wholeDay = team.rotations.some((rotation) => !rotation.window);
  const gaps = (wholeDay ? [] : closableGaps(windows, team.gapPolicy, [span])).flatMap((gap) => {
    const clipped = intersect(gap, range);
    if (!clipped) return [];
    const heldBy = ids(gap.holders.map((h) => h.rotation));
    const how = gap.side === "previous" ? "window extended" : "window starts early";
    return [{ ...report(clipped), heldBy, resolution: `held by ${heldBy.join(" and ")} (${how})` }];
  });
  const overlaps = windowOverlaps(windows).flatMap((overlap) => {
    const clipped = intersect(overlap, range);
    if (!clipped) return [];
    const rotations = ids(overlap.rotations);
    const who = rotations.length === 2 ? "both" : "all";
    return [{ ...report(clipped), rotations, resolution: `${who} on call, ordered by rotation: ${rotations.join(", ")}` }];
  });
  return { team: team.id, from, to, gaps, overlaps };
}

/**
 * The instants of [from, to) nobody holds, up to the end of what is planned
 * (without `to`, up to the end of the plan): time beyond the plan is not yet
 * a gap. What /healthz, the team page and the coverage report warn about.
 */
export function uncoveredWhilePlanned(shifts: readonly Shift[], from: string, to?: string): { start: string; end: string }[] {
  const relevant = shifts.filter((s) => s.end > from && (to === undefined || s.start < to));
  const plannedEnd = relevant.reduce((max, s) => (s.end > max ? s.end : max), from);
  const until = to !== undefined && to < plannedEnd ? to : plannedEnd;
  return until > from ? uncoveredRanges(relevant, from, until) : [];
}

/** The parts of [from, to) where no shift names a member. */
export function uncoveredRanges(shifts: readonly Shift[], from: string, to: string): { start: string; end: string }[] {
  const staffed = shifts.filter((s) => s.member !== null).map((s) => ({ start: instantMs(s.start), end: instantMs(s.end) }));
  return subtract({ start: instantMs(from), end: instantMs(to) }, staffed).map((r) => ({
    start: isoFromMs(r.start),
    end: isoFromMs(r.end),
  }));
}
