import { closableGaps } from "./coverage";
import type { Team } from "./org-file";
import { rotationZone } from "./org-file";
import type { Range } from "./ranges";
import { intersect, merge, overlaps, subtract } from "./ranges";
import { instantMs, isoFromMs } from "./time";
import type { Assignment, Override, Shift, ShiftSource } from "./types";
import { WINDOW_RECURRENCE_MS, windowOccurrences } from "./weeks";

/** A shift while it is being worked on: epoch ms and the rotation's position in the team. */
export type ShiftRange = Range & { rotation: number; member: string | null; source: ShiftSource };

/**
 * The schedule of the team's rotation at `index` over `span`, as planned: a
 * whole-day rotation's weeks as they are, a windowed rotation's daily windows
 * each held by the assignment whose week contains the window's start. Windows
 * outside every assignment are not planned and give no shift.
 */
function scheduledShifts(team: Team, index: number, assignments: readonly Assignment[], span: Range): ShiftRange[] {
  const rotation = team.rotations[index]!;
  const weeks = assignments
    .filter((a) => a.team === team.id && a.rotation === rotation.id)
    .map((a) => ({ start: instantMs(a.weekStart), end: instantMs(a.weekEnd), member: a.member }))
    .sort((a, b) => a.start - b.start);
  // When a team moves its handoff, the first week on the new handoff can start
  // before the last one on the old handoff ends: it takes over when that one does.
  for (let i = 1; i < weeks.length; i++) weeks[i]!.start = Math.max(weeks[i]!.start, weeks[i - 1]!.end);
  const inSpan = weeks.filter((week) => week.start < week.end && overlaps(week, span));
  // Field by field: spreading the range here took longer than the rest of a team-year expansion.
  const shift = (range: Range, member: string | null): ShiftRange => ({
    start: range.start,
    end: range.end,
    rotation: index,
    member,
    source: "schedule",
  });
  if (!rotation.window) return inSpan.map((week) => shift(week, week.member));
  const shifts: ShiftRange[] = [];
  let w = 0;
  for (const occurrence of windowOccurrences(rotation.window, rotationZone(team, rotation), span)) {
    while (w < inSpan.length && inSpan[w]!.end <= occurrence.start) w++;
    const week = inSpan[w];
    if (!week || week.start > occurrence.start) continue;
    // A week that begins inside the window (the week in progress split at a change) takes the window over from there.
    let from = { start: occurrence.start, member: week.member };
    for (let next = w + 1; next < inSpan.length && inSpan[next]!.start < occurrence.end; next++) {
      shifts.push(shift({ start: from.start, end: inSpan[next]!.start }, from.member));
      from = inSpan[next]!;
    }
    shifts.push(shift({ start: from.start, end: occurrence.end }, from.member));
  }
  return shifts;
}

type OverrideRange = Range & { member: string; source: Override["source"] };

/**
 * A shift with overrides painted over it in order, so a later one wins where
 * they overlap. An override replaces the member only where the rotation is on
 * call: it never puts a windowed rotation on call outside its window.
 */
function applyOverrides(shift: ShiftRange, overrides: readonly OverrideRange[]): ShiftRange[] {
  let parts: ShiftRange[] = [shift];
  for (const override of overrides) {
    const taken = intersect(shift, override);
    if (!taken) continue;
    parts = parts.flatMap((part) => subtract(part, [taken]).map((rest) => ({ ...part, ...rest })));
    parts.push({ ...taken, rotation: shift.rotation, member: override.member, source: override.source });
  }
  if (parts.length === 1) return parts;
  parts.sort((a, b) => a.start - b.start);
  const joined: ShiftRange[] = [];
  for (const part of parts) {
    const last = joined[joined.length - 1];
    if (last && last.end === part.start && last.member === part.member && last.source === part.source) last.end = part.end;
    else joined.push(part);
  }
  return joined;
}

/**
 * Overrides in the order they apply, last winning: holiday covers first (they
 * are recomputed on every apply and may be stored again with a newer id, but
 * must never beat a swap or an admin's override), then the rest by id.
 */
function byPrecedence(a: Override, b: Override): number {
  const rank = (o: Override) => (o.source === "holiday-cover" ? 0 : 1);
  return rank(a) - rank(b) || (a.id ?? 0) - (b.id ?? 0);
}

/**
 * Extends the shifts that hold each gap (see `closableGaps`) inside the
 * planned weeks, and cuts unstaffed shifts back to where their own rotation is
 * not now held by such an extension, so that a rotation's shifts never overlap.
 */
function closeGaps(team: Team, shifts: ShiftRange[], planned: readonly Range[]): ShiftRange[] {
  const staffed = shifts.filter((shift) => shift.member !== null);
  for (const gap of closableGaps(staffed, team.gapPolicy, planned)) {
    for (const holder of gap.holders) {
      if (gap.side === "previous") holder.end = gap.end;
      else holder.start = gap.start;
    }
  }
  return shifts.flatMap((shift) =>
    shift.member !== null
      ? [shift]
      : subtract(shift, staffed.filter((s) => s.rotation === shift.rotation)).map((rest) => ({ ...shift, ...rest })),
  );
}

/**
 * A team's shifts overlapping `span`, unclipped, in epoch ms: the schedule,
 * with its gaps closed, then overrides. A stretch inside the planned weeks
 * where nobody is scheduled, shorter than two days, is held by extending the
 * shifts `team.gapPolicy` names (those that just ended, or those that start
 * next; the other side at the edge of the plan), so that somebody is on call
 * at every instant while anybody in the team is staffed that day. Gaps are
 * closed before overrides are applied so that an override replaces exactly
 * its interval: a swap of a window's last hours does not drag the held gap
 * after it along, and a swap of a whole shift as listed takes the gap too.
 */
export function teamShifts(team: Team, assignments: readonly Assignment[], overrides: readonly Override[], span: Range): ShiftRange[] {
  // Not cut to the span: a gap running past its edge must still look as long as it is.
  const planned = merge(
    assignments.filter((a) => a.team === team.id).map((a) => ({ start: instantMs(a.weekStart), end: instantMs(a.weekEnd) })),
  );
  const scheduled = closeGaps(
    team,
    team.rotations.flatMap((_, index) => scheduledShifts(team, index, assignments, span)),
    planned,
  );
  const ordered = overrides.filter((o) => o.team === team.id).sort(byPrecedence);
  const overridesOf = team.rotations.map((rotation) =>
    ordered
      .filter((o) => o.rotation === rotation.id)
      .map((o) => ({ start: instantMs(o.start), end: instantMs(o.end), member: o.member, source: o.source }))
      .filter((o) => overlaps(o, span)),
  );
  return scheduled.flatMap((shift) => applyOverrides(shift, overridesOf[shift.rotation]!));
}

/**
 * Every shift of a team overlapping [from, to), clipped to it (see
 * `teamShifts`). Pass the assignments and overrides overlapping two days
 * either side of the range: that is where the neighbours closing a gap at its
 * edge lie. Sorted by start, then rotation order, then end.
 */
export function expandShifts(
  team: Team,
  assignments: readonly Assignment[],
  overrides: readonly Override[],
  from: string,
  to: string,
): Shift[] {
  const range = { start: instantMs(from), end: instantMs(to) };
  const span = { start: range.start - WINDOW_RECURRENCE_MS, end: range.end + WINDOW_RECURRENCE_MS };
  return teamShifts(team, assignments, overrides, span)
    .filter((shift) => overlaps(shift, range))
    .map((shift) => ({ ...shift, start: Math.max(shift.start, range.start), end: Math.min(shift.end, range.end) }))
    .sort((a, b) => a.start - b.start || a.rotation - b.rotation || a.end - b.end)
    .map((shift) => ({
      team: team.id,
      rotation: team.rotations[shift.rotation]!.id,
      member: shift.member,
      start: isoFromMs(shift.start),
      end: isoFromMs(shift.end),
      source: shift.source,
    }));
}
