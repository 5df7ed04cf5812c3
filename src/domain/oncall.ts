import type { TeamAtInstant } from "./escalation";
import type { Team } from "./org-file";
import type { Assignment, Shift } from "./types";

/**
 * A team's shifts and weeks arranged for lookups: per rotation, sorted by
 * start and never overlapping, so an instant is found by binary search.
 */
export type TeamTimeline = {
  team: Team;
  rotations: { id: string; shifts: Shift[]; weeks: Assignment[] }[];
};

export function buildTimeline(team: Team, shifts: readonly Shift[], assignments: readonly Assignment[]): TeamTimeline {
  return {
    team,
    rotations: team.rotations.map((rotation) => ({
      id: rotation.id,
      shifts: shifts.filter((s) => s.rotation === rotation.id).sort((a, b) => (a.start < b.start ? -1 : 1)),
      weeks: assignments.filter((a) => a.rotation === rotation.id).sort((a, b) => (a.weekStart < b.weekStart ? -1 : 1)),
    })),
  };
}

/** Index of the last item whose key is at or before `at`, or -1. */
function lastAtOrBefore<T>(items: readonly T[], key: (item: T) => string, at: string): number {
  let lo = 0;
  let hi = items.length - 1;
  let found = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (key(items[mid]!) <= at) {
      found = mid;
      lo = mid + 1;
    } else hi = mid - 1;
  }
  return found;
}

/** The shifts in force at an instant, in rotation order (several during an overlap). */
export function oncallAt(timeline: TeamTimeline, at: string): Shift[] {
  const result: Shift[] = [];
  for (const rotation of timeline.rotations) {
    const i = lastAtOrBefore(rotation.shifts, (s) => s.start, at);
    const shift = rotation.shifts[i];
    if (shift && shift.end > at && shift.member !== null) result.push(shift);
  }
  return result;
}

/** The next instant after `at` at which someone's shift in the team starts or ends. */
export function nextHandoff(timeline: TeamTimeline, at: string): string | null {
  let next: string | null = null;
  for (const rotation of timeline.rotations) {
    const i = lastAtOrBefore(rotation.shifts, (s) => s.start, at);
    const current = rotation.shifts[i];
    const candidate = current && current.end > at ? current.end : rotation.shifts[i + 1]?.start;
    if (candidate && (next === null || candidate < next)) next = candidate;
  }
  return next;
}

/**
 * Who holds a rotation's next assignment: the week after the one in force,
 * read through the shifts so that a swap of that week names its taker.
 */
export function nextOncall(timeline: TeamTimeline, rotationId: string, at: string): string | null {
  const rotation = timeline.rotations.find((r) => r.id === rotationId);
  if (!rotation) return null;
  const i = lastAtOrBefore(rotation.weeks, (w) => w.weekStart, at);
  const next = rotation.weeks[i + 1];
  if (!next) return null;
  const j = lastAtOrBefore(rotation.shifts, (s) => s.start, next.weekStart);
  const atStart = rotation.shifts[j];
  if (atStart && atStart.end > next.weekStart && atStart.member) return atStart.member;
  const first = rotation.shifts[j + 1];
  return first && first.start < next.weekEnd && first.member ? first.member : next.member;
}

export function teamAtInstant(timeline: TeamTimeline, at: string): TeamAtInstant {
  return { team: timeline.team, oncall: oncallAt(timeline, at), nextOncall: (rotation) => nextOncall(timeline, rotation, at) };
}
