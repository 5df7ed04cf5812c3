import { and, asc, eq, gt, like } from "drizzle-orm";
import type { BodyChange, ScheduleHistory } from "../domain/feed-history";
import type { Team } from "../domain/org-file";
import type { Override } from "../domain/types";
import { tablesOf, type Db } from "./open";


/**
 * A team's recorded schedule with every row still in force after
 * `reachingPast` (and every configuration), as feeds replay it.
 */
export async function scheduleHistory(db: Db, teamId: string, reachingPast: string): Promise<ScheduleHistory> {
  const { teamVersions, assignments, overrides } = tablesOf(db);
  const versions = (await db
    .select({ recordedAt: teamVersions.recordedAt, config: teamVersions.config })
    .from(teamVersions)
    .where(eq(teamVersions.teamId, teamId))
    .orderBy(asc(teamVersions.recordedAt), asc(teamVersions.id))
    )
    .map((v) => ({ recordedAt: v.recordedAt, team: v.config as Team | null }));
  const weeks = (await db
    .select()
    .from(assignments)
    .where(and(eq(assignments.teamId, teamId), gt(assignments.weekEnd, reachingPast)))
    )
    .map((a) => ({
      team: a.teamId,
      rotation: a.rotationId,
      weekStart: a.weekStart,
      weekEnd: a.weekEnd,
      member: a.memberId,
      reason: a.reason,
      recordedAt: a.recordedAt,
      supersededAt: a.supersededAt,
    }));
  const intervals = (await db
    .select()
    .from(overrides)
    .where(and(eq(overrides.teamId, teamId), gt(overrides.end, reachingPast)))
    .orderBy(asc(overrides.id))
    )
    .map((o) => ({
      team: o.teamId,
      rotation: o.rotationId,
      start: o.start,
      end: o.end,
      member: o.memberId,
      replacedMember: o.replacedMemberId,
      source: o.source as Override["source"],
      recordedAt: o.recordedAt,
      cancelledAt: o.cancelledAt,
    }));
  return { versions, assignments: weeks, overrides: intervals };
}

/**
 * The audited changes a feed body shows besides its shifts: any member's
 * (names appear in every description) and this member's reminder, each
 * reminder change on its own since several may share an instant.
 */
export async function feedAuditChanges(db: Db, memberId: string | null): Promise<BodyChange[]> {
  const { auditLog } = tablesOf(db);
  const members = (await db
    .selectDistinct({ at: auditLog.at })
    .from(auditLog)
    .where(and(eq(auditLog.entity, "member"), like(auditLog.action, "member.%")))
    )
    .map((r) => ({ key: `schedule ${r.at}`, at: r.at }));
  if (memberId === null) return members;
  const reminders = (await db
    .select({ id: auditLog.id, at: auditLog.at })
    .from(auditLog)
    .where(and(eq(auditLog.action, "calendar.reminder"), eq(auditLog.entityId, memberId)))
    )
    .map((r) => ({ key: `reminder ${r.id}`, at: r.at }));
  return [...members, ...reminders];
}

export async function reminderMinutes(db: Db, memberId: string): Promise<number | null> {
  const { calendarReminders } = tablesOf(db);
  return (await db.select({ minutes: calendarReminders.minutesBefore }).from(calendarReminders).where(eq(calendarReminders.memberId, memberId)).limit(1))[0]?.minutes ?? null;
}

export async function saveReminder(db: Db, memberId: string, minutesBefore: number | null): Promise<void> {
  const { calendarReminders } = tablesOf(db);
  if (minutesBefore === null) {
    await db.delete(calendarReminders).where(eq(calendarReminders.memberId, memberId));
    return;
  }
  await db.insert(calendarReminders)
    .values({ memberId, minutesBefore })
    .onConflictDoUpdate({ target: calendarReminders.memberId, set: { minutesBefore } });
}
