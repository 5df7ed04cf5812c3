import type { Team } from "./org-file";
import { intersect, type Range } from "./ranges";
import { mayHold } from "./swaps";
import { instantMs } from "./time";
import type { Override } from "./types";
import { onCallSpans, type TeamAvailability, type Unavailable } from "./week-availability";

export type OverrideConflict<O extends Override> = { override: O; problem: string };

/**
 * Swaps and admin overrides whose holder can no longer serve what is left of
 * them: time off booked since, an end date, leaving the org, or (for a swap)
 * leaving the rotation. `availability` must know every active holder.
 * Only the part from `now` on is judged: what was served stays served.
 * Holiday covers are not judged here; they are recomputed from the plan.
 */
export function overrideConflicts<O extends Override>(team: Team, overrides: readonly O[], availability: TeamAvailability, now: number): OverrideConflict<O>[] {
  const conflicts: OverrideConflict<O>[] = [];
  for (const o of overrides) {
    if (o.team !== team.id || o.source === "holiday-cover") continue;
    const ahead: Range = { start: Math.max(now, instantMs(o.start)), end: instantMs(o.end) };
    if (ahead.start >= ahead.end) continue;
    const rotation = team.rotations.find((r) => r.id === o.rotation);
    const name = availability.name(o.member);
    // A swap's taker must be able to hold the rotation; an admin may put anyone still in the org on call.
    if (!rotation || !availability.member(o.member) || (o.source === "swap" && !mayHold(team, o.rotation, o.member))) {
      conflicts.push({ override: o, problem: `${name} is no longer in ${rotation?.name ?? o.rotation}` });
      continue;
    }
    const spans = onCallSpans(team, rotation, ahead).flatMap((s) => intersect(s, ahead) ?? []);
    const why = spans.length ? availability.unavailable(o.member, spans) : null;
    if (why) conflicts.push({ override: o, problem: `${name} ${describe(why)} on ${why.date}` });
  }
  return conflicts;
}

function describe(why: Unavailable): string {
  switch (why.kind) {
    case "time-off":
      return "is on time off";
    case "not-started":
      return "has not started yet";
    case "left":
      return "has left";
    case "holiday":
      return `has a public holiday (${why.holiday})`;
  }
}
