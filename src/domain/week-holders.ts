import { DateTime } from "luxon";
import type { Team } from "./org-file";
import { instantMs } from "./time";
import { handoffClock, weekContaining } from "./weeks";

type HeldShift = { rotation: string; member: string | null; start: string; end: string };

/** A rotation week as the final shifts hold it: whoever holds most of it is its holder. */
export type HeldWeek = { rotation: string; start: number; end: number; holder: string | null; heldMs: Map<string, number> };

/**
 * Each rotation week the shifts touch, with the member holding most of it
 * (after swaps, covers and gap closing), by rotation then start. A windowed
 * rotation's window belongs whole to the week containing its start, as the
 * planner hands windows out. Equal holdings go to the member id first in order.
 */
export function heldWeeks(team: Team, shifts: readonly HeldShift[]): HeldWeek[] {
  const weeks = new Map<string, HeldWeek>();
  for (const shift of shifts) {
    const rotation = team.rotations.find((r) => r.id === shift.rotation);
    if (!rotation) continue;
    const clock = handoffClock(team, rotation);
    const end = instantMs(shift.end);
    for (let at = instantMs(shift.start); at < end; ) {
      const week = weekContaining(clock, DateTime.fromMillis(at, { zone: "utc" }));
      const range = { start: instantMs(week.start), end: instantMs(week.end) };
      const until = rotation.window ? end : Math.min(end, range.end);
      const key = `${rotation.id}@${range.start}`;
      let entry = weeks.get(key);
      if (!entry) weeks.set(key, (entry = { rotation: rotation.id, ...range, holder: null, heldMs: new Map() }));
      if (shift.member) entry.heldMs.set(shift.member, (entry.heldMs.get(shift.member) ?? 0) + until - at);
      at = until;
    }
  }
  for (const week of weeks.values()) {
    let most = 0;
    for (const [member, held] of [...week.heldMs].sort(([a], [b]) => a.localeCompare(b))) {
      if (held > most) {
        most = held;
        week.holder = member;
      }
    }
  }
  return [...weeks.values()].sort((a, b) => a.rotation.localeCompare(b.rotation) || a.start - b.start);
}
