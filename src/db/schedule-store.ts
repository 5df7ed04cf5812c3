import { and, asc, eq, gt, isNull, lte, or, sql } from "drizzle-orm";
import type { Assignment, Override } from "../domain/types";
import { actorLabel, audit, type WriteContext } from "./audit";
import type { Queryable } from "./open";
import { assignments, overrides } from "./schema";

type AssignmentRow = typeof assignments.$inferSelect;
type OverrideRow = typeof overrides.$inferSelect;

export type StoredAssignment = Assignment & { id: number; sequence: number; recordedAt: string };
export type StoredOverride = Override & { id: number; recordedAt: string; createdBy: string; swapId: number | null; note: string | null };

function assignmentFromRow(row: AssignmentRow): StoredAssignment {
  return {
    id: row.id,
    team: row.teamId,
    rotation: row.rotationId,
    weekStart: row.weekStart,
    weekEnd: row.weekEnd,
    member: row.memberId,
    reason: row.reason,
    sequence: row.sequence,
    recordedAt: row.recordedAt,
  };
}

function overrideFromRow(row: OverrideRow): StoredOverride {
  return {
    id: row.id,
    team: row.teamId,
    rotation: row.rotationId,
    start: row.start,
    end: row.end,
    member: row.memberId,
    replacedMember: row.replacedMemberId,
    source: row.source as Override["source"],
    recordedAt: row.recordedAt,
    createdBy: row.createdBy,
    swapId: row.swapId,
    note: row.note,
  };
}

/** The assignments in force now (not superseded) for a team, by rotation and week. */
export function currentAssignments(db: Queryable, teamId: string): StoredAssignment[] {
  return db
    .select()
    .from(assignments)
    .where(and(eq(assignments.teamId, teamId), isNull(assignments.supersededAt)))
    .orderBy(asc(assignments.rotationId), asc(assignments.weekStart))
    .all()
    .map(assignmentFromRow);
}

/** The assignments as they stood at a past instant: recorded by then and not yet superseded. */
export function assignmentsAsOf(db: Queryable, teamId: string, at: string): StoredAssignment[] {
  return db
    .select()
    .from(assignments)
    .where(
      and(
        eq(assignments.teamId, teamId),
        lte(assignments.recordedAt, at),
        or(isNull(assignments.supersededAt), gt(assignments.supersededAt, at)),
      ),
    )
    .orderBy(asc(assignments.rotationId), asc(assignments.weekStart))
    .all()
    .map(assignmentFromRow);
}

export function activeOverrides(db: Queryable, teamId: string): StoredOverride[] {
  return db
    .select()
    .from(overrides)
    .where(and(eq(overrides.teamId, teamId), isNull(overrides.cancelledAt)))
    .orderBy(asc(overrides.id))
    .all()
    .map(overrideFromRow);
}

/** Overrides as they stood at a past instant. */
export function overridesAsOf(db: Queryable, teamId: string, at: string): StoredOverride[] {
  return db
    .select()
    .from(overrides)
    .where(
      and(eq(overrides.teamId, teamId), lte(overrides.recordedAt, at), or(isNull(overrides.cancelledAt), gt(overrides.cancelledAt, at))),
    )
    .orderBy(asc(overrides.id))
    .all()
    .map(overrideFromRow);
}

export type StoredChange = { rotation: string; weekStart: string; weekEnd: string; before: string | null | undefined; after: string | null; reason: string };

/**
 * Stores a plan: each week whose member or times differ from what is in force
 * supersedes the old row (kept for history) with a new one whose sequence is
 * one higher, so calendar clients see the change. Unchanged weeks are left alone.
 */
export function storeAssignments(w: WriteContext, teamId: string, planned: readonly Assignment[]): StoredChange[] {
  const current = new Map(currentAssignments(w.tx, teamId).map((a) => [`${a.rotation}\n${a.weekStart}`, a]));
  const changes: StoredChange[] = [];
  const supersede = w.tx
    .update(assignments)
    .set({ supersededAt: sql`${sql.placeholder("at")}` })
    .where(eq(assignments.id, sql.placeholder("id")))
    .prepare();
  const insert = w.tx
    .insert(assignments)
    .values({
      teamId,
      rotationId: sql.placeholder("rotation"),
      weekStart: sql.placeholder("weekStart"),
      weekEnd: sql.placeholder("weekEnd"),
      memberId: sql.placeholder("member"),
      reason: sql.placeholder("reason"),
      sequence: sql.placeholder("sequence"),
      recordedAt: w.at,
    })
    .prepare();
  for (const a of planned) {
    const stored = current.get(`${a.rotation}\n${a.weekStart}`);
    if (stored && stored.member === a.member && stored.weekEnd === a.weekEnd) continue;
    if (stored) supersede.run({ at: w.at, id: stored.id });
    insert.run({ rotation: a.rotation, weekStart: a.weekStart, weekEnd: a.weekEnd, member: a.member, reason: a.reason, sequence: stored ? stored.sequence + 1 : 0 });
    changes.push({ rotation: a.rotation, weekStart: a.weekStart, weekEnd: a.weekEnd, before: stored?.member, after: a.member, reason: a.reason });
  }
  // A moved handoff (or window) gives weeks that start at other instants: stored
  // weeks that have not begun and overlap the new ones would double-book the
  // rotation, so they are superseded too. (Begun ones are kept by the planner's caller.)
  const plannedKeys = new Set(planned.map((a) => `${a.rotation}\n${a.weekStart}`));
  for (const stored of current.values()) {
    if (plannedKeys.has(`${stored.rotation}\n${stored.weekStart}`) || stored.weekStart <= w.at) continue;
    const overlapsPlan = planned.some((a) => a.rotation === stored.rotation && a.weekStart < stored.weekEnd && stored.weekStart < a.weekEnd);
    if (!overlapsPlan) continue;
    supersede.run({ at: w.at, id: stored.id });
    changes.push({ rotation: stored.rotation, weekStart: stored.weekStart, weekEnd: stored.weekEnd, before: stored.member, after: null, reason: "replaced by weeks on the new handoff" });
  }
  if (changes.length > 0) {
    audit(w, { action: "schedule.apply", entity: "team", entityId: teamId, after: { changes } });
  }
  return changes;
}

/** How far ahead each team is planned: the end of its last assignment in force. */
export function plannedHorizons(db: Queryable): Map<string, string> {
  const rows = db
    .select({ teamId: assignments.teamId, end: sql<string>`max(${assignments.weekEnd})` })
    .from(assignments)
    .where(isNull(assignments.supersededAt))
    .groupBy(assignments.teamId)
    .all();
  return new Map(rows.map((r) => [r.teamId, r.end]));
}

export function insertOverride(w: WriteContext, o: Override & { swapId?: number | null; note?: string | null }): StoredOverride {
  const row = w.tx
    .insert(overrides)
    .values({
      teamId: o.team,
      rotationId: o.rotation,
      start: o.start,
      end: o.end,
      memberId: o.member,
      replacedMemberId: o.replacedMember,
      source: o.source,
      swapId: o.swapId ?? null,
      note: o.note ?? null,
      createdBy: actorLabel(w.actor),
      recordedAt: w.at,
    })
    .returning()
    .get();
  const stored = overrideFromRow(row);
  audit(w, { action: "override.create", entity: "override", entityId: String(row.id), after: stored });
  return stored;
}

export function cancelOverride(w: WriteContext, id: number): void {
  const before = w.tx.select().from(overrides).where(eq(overrides.id, id)).get();
  w.tx.update(overrides).set({ cancelledAt: w.at }).where(eq(overrides.id, id)).run();
  audit(w, { action: "override.cancel", entity: "override", entityId: String(id), before: before ? overrideFromRow(before) : undefined });
}

/** One override of a team, cancelled or not. */
export function findOverride(db: Queryable, teamId: string, id: number): (StoredOverride & { cancelledAt: string | null }) | null {
  const row = db.select().from(overrides).where(and(eq(overrides.teamId, teamId), eq(overrides.id, id))).get();
  return row ? { ...overrideFromRow(row), cancelledAt: row.cancelledAt } : null;
}

/** The latest instant at which a team's assignments, overrides or configuration changed, or null if they never did. */
export function lastScheduleChange(db: Queryable, teamId: string): string | null {
  const row = db.get<{ at: string | null }>(sql`
    SELECT max(t) AS at FROM (
      SELECT max(recorded_at) AS t FROM assignments WHERE team_id = ${teamId}
      UNION ALL SELECT max(superseded_at) FROM assignments WHERE team_id = ${teamId}
      UNION ALL SELECT max(recorded_at) FROM overrides WHERE team_id = ${teamId}
      UNION ALL SELECT max(cancelled_at) FROM overrides WHERE team_id = ${teamId}
      UNION ALL SELECT max(recorded_at) FROM team_versions WHERE team_id = ${teamId})`);
  return row.at;
}
