import type { FixedInterval, HistoryWeek } from "../domain/migrate/plan";
import { actorLabel, audit, type WriteContext } from "./audit";
import { tablesOf } from "./open";

/**
 * Stores another system's record of who was on call in the past as Baton's
 * own history: the weeks as assignments and the exact intervals as overrides,
 * both recorded as of `recordedAt` (the start of that record), so that a
 * lookup at a past instant reads them as what was in force then. Only for
 * rotations with no history of their own: nothing is superseded here.
 */
export async function storeImportedHistory(w: WriteContext, recordedAt: string, weeks: readonly HistoryWeek[], intervals: readonly FixedInterval[]): Promise<void> {
  const { assignments, overrides } = tablesOf(w.tx);
  if (weeks.length === 0) return;
  // Row by row: a multi-row insert of 90 days of a large org would pass SQLite's limit on bound values.
  for (const week of weeks) {
    await w.tx.insert(assignments).values({ teamId: week.team, rotationId: week.rotation, weekStart: week.weekStart, weekEnd: week.weekEnd, memberId: week.member, reason: "imported history", recordedAt });
  }
  const createdBy = actorLabel(w.actor);
  for (const i of intervals) {
    await w.tx.insert(overrides).values({ teamId: i.team, rotationId: i.rotation, start: i.start, end: i.end, memberId: i.member, replacedMemberId: null, source: "override", createdBy, recordedAt });
  }
  for (const team of new Set(weeks.map((week) => week.team))) {
    await audit(w, {
      action: "history.import",
      entity: "team",
      entityId: team,
      after: { from: recordedAt, weeks: weeks.filter((x) => x.team === team).length, intervals: intervals.filter((i) => i.team === team).length },
    });
  }
}
