import type { Team } from "./org-file";
import { instantMs, isoFromMs } from "./time";
import type { Assignment } from "./types";

/**
 * Joins the week in progress to a plan, so that a change never leaves a hole
 * and never rewrites what has begun:
 *
 * - When the week boundary moved (another handoff, zone or window), the week
 *   in progress, stored on the old boundary, is cut or extended to the new
 *   boundary nearest its old end (still ahead of now), and new weeks starting
 *   before that are dropped: the rotation runs on without gap or overlap.
 * - When whoever holds it may hold it no longer (they left the rotation or
 *   the org, or the planner gave the week to someone else), it is split at
 *   now: the part before stays as it was, the rest goes to the planner's
 *   choice for the week (or, off the old boundary, to the holder of the
 *   first new week), cut at the nearest new boundary ahead of now.
 *
 * `planned` is the planner's output for the team; the answer is what to store.
 */
export function joinWeekInProgress(team: Team, stored: readonly Assignment[], planned: readonly Assignment[], now: number): Assignment[] {
  let result = [...planned];
  const handOver = (running: Assignment, successor: Assignment, end: string) => {
    const cut = isoFromMs(now);
    // A week that starts this very instant has nothing to keep: it goes whole.
    if (running.weekStart !== cut) result.push({ ...running, weekEnd: cut });
    result.push({ ...successor, weekStart: cut, weekEnd: end, reason: `takes over at ${cut}: ${successor.reason}` });
  };
  for (const rotation of team.rotations) {
    const running = stored.find((a) => a.rotation === rotation.id && instantMs(a.weekStart) <= now && now < instantMs(a.weekEnd));
    if (!running) continue;
    const replanned = result.find((a) => a.rotation === rotation.id && a.weekStart === running.weekStart);
    if (replanned) {
      // The boundary stayed and the planner decided this week: only a change of holder matters.
      if (replanned.member === running.member) continue;
      result = result.filter((a) => a !== replanned);
      handOver(running, replanned, replanned.weekEnd);
      continue;
    }
    const ahead = result
      .filter((a) => a.rotation === rotation.id && instantMs(a.weekStart) > now)
      .sort((a, b) => a.weekStart.localeCompare(b.weekStart));
    const mayHold = running.member !== null && rotation.members.includes(running.member);
    const end = mayHold ? nearestBoundary(ahead, instantMs(running.weekEnd)) : ahead[0]?.weekStart;
    if (end === undefined || (mayHold && end === running.weekEnd)) continue;
    // The running week is decided here; the plan keeps only weeks from its new end on.
    result = result.filter((a) => a.rotation !== rotation.id || a.weekStart >= end || instantMs(a.weekEnd) <= now);
    if (mayHold) result.push({ ...running, weekEnd: end });
    else handOver(running, ahead[0]!, end);
  }
  const position = new Map(team.rotations.map((r, i) => [r.id, i]));
  return result.sort((a, b) => position.get(a.rotation)! - position.get(b.rotation)! || a.weekStart.localeCompare(b.weekStart));
}

/** The start of a planned week nearest to `end` (the earlier one on a tie); undefined when nothing is planned ahead. */
function nearestBoundary(ahead: readonly Assignment[], end: number): string | undefined {
  let best: Assignment | undefined;
  for (const a of ahead) {
    if (!best || Math.abs(instantMs(a.weekStart) - end) < Math.abs(instantMs(best.weekStart) - end)) best = a;
  }
  return best?.weekStart;
}
