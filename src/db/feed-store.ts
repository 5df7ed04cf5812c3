import { and, asc, eq, gt, like } from "drizzle-orm";
import type { BodyChange, ScheduleHistory } from "../domain/feed-history";
import type { Team } from "../domain/org-file";
import type { Override } from "../domain/types";
import type { Queryable } from "./open";
import { assignments, auditLog, calendarReminders, overrides, teamVersions } from "./schema";

/**
 * A team's recorded schedule with every row still in force after
 * `reachingPast` (and every configuration), as feeds replay it.
 */
export function scheduleHistory(db: Queryable, teamId: string, reachingPast: string): ScheduleHistory {
  const versions = db
    .select({ recordedAt: teamVersions.recordedAt, config: teamVersions.config })
    .from(teamVersions)
    .where(eq(teamVersions.teamId, teamId))
    .orderBy(asc(teamVersions.recordedAt), asc(teamVersions.id))
    .all()
    .map((v) => ({ recordedAt: v.recordedAt, team: v.config as Team | null }));
  const weeks = db
    .select()
    .from(assignments)
    .where(and(eq(assignments.teamId, teamId), gt(assignments.weekEnd, reachingPast)))
    .all()
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
  const intervals = db
    .select()
    .from(overrides)
    .where(and(eq(overrides.teamId, teamId), gt(overrides.end, reachingPast)))
    .orderBy(asc(overrides.id))
    .all()
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
export function feedAuditChanges(db: Queryable, memberId: string | null): BodyChange[] {
  const members = db
    .selectDistinct({ at: auditLog.at })
    .from(auditLog)
    .where(and(eq(auditLog.entity, "member"), like(auditLog.action, "member.%")))
    .all()
    .map((r) => ({ key: `schedule ${r.at}`, at: r.at }));
  if (memberId === null) return members;
  const reminders = db
    .select({ id: auditLog.id, at: auditLog.at })
    .from(auditLog)
    .where(and(eq(auditLog.action, "calendar.reminder"), eq(auditLog.entityId, memberId)))
    .all()
    .map((r) => ({ key: `reminder ${r.id}`, at: r.at }));
  return [...members, ...reminders];
}

export function reminderMinutes(db: Queryable, memberId: string): number | null {
  return db.select({ minutes: calendarReminders.minutesBefore }).from(calendarReminders).where(eq(calendarReminders.memberId, memberId)).get()?.minutes ?? null;
}

export function saveReminder(db: Queryable, memberId: string, minutesBefore: number | null): void {
  if (minutesBefore === null) {
    db.delete(calendarReminders).where(eq(calendarReminders.memberId, memberId)).run();
    return;
  }
  db.insert(calendarReminders)
    .values({ memberId, minutesBefore })
    .onConflictDoUpdate({ target: calendarReminders.memberId, set: { minutesBefore } })
    .run();
}
