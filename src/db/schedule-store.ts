import { and, asc, eq, gt, inArray, isNull, lte, or, sql } from "drizzle-orm";
import type { Assignment, Override } from "../domain/types";
import { actorLabel, audit, batches, type WriteContext } from "./audit";
import { tablesOf, type Db } from "./open";
import type { assignments, overrides } from "./schema";

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
export async function currentAssignments(db: Db, teamId: string): Promise<StoredAssignment[]> {
  const { assignments } = tablesOf(db);
  return (await db
    .select()
    .from(assignments)
    .where(and(eq(assignments.teamId, teamId), isNull(assignments.supersededAt)))
    .orderBy(asc(assignments.rotationId), asc(assignments.weekStart))
    )
    .map(assignmentFromRow);
}

/** The assignments as they stood at a past instant: recorded by then and not yet superseded. */
export async function assignmentsAsOf(db: Db, teamId: string, at: string): Promise<StoredAssignment[]> {
  const { assignments } = tablesOf(db);
  return (await db
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
    )
    .map(assignmentFromRow);
}

export async function activeOverrides(db: Db, teamId: string): Promise<StoredOverride[]> {
  const { overrides } = tablesOf(db);
  return (await db
    .select()
    .from(overrides)
    .where(and(eq(overrides.teamId, teamId), isNull(overrides.cancelledAt)))
    .orderBy(asc(overrides.id))
    )
    .map(overrideFromRow);
}

/** Overrides as they stood at a past instant. */
export async function overridesAsOf(db: Db, teamId: string, at: string): Promise<StoredOverride[]> {
  const { overrides } = tablesOf(db);
  return (await db
    .select()
    .from(overrides)
    .where(
      and(eq(overrides.teamId, teamId), lte(overrides.recordedAt, at), or(isNull(overrides.cancelledAt), gt(overrides.cancelledAt, at))),
    )
    .orderBy(asc(overrides.id))
    )
    .map(overrideFromRow);
}

export type StoredChange = { rotation: string; weekStart: string; weekEnd: string; before: string | null | undefined; after: string | null; reason: string };

/**
 * Stores a plan: each week whose member or times differ from what is in force
 * supersedes the old row (kept for history) with a new one whose sequence is
 * one higher, so calendar clients see the change. Unchanged weeks are left alone.
 */
export async function storeAssignments(w: WriteContext, teamId: string, planned: readonly Assignment[]): Promise<StoredChange[]> {
  const { assignments } = tablesOf(w.tx);
  const current = new Map((await currentAssignments(w.tx, teamId)).map((a) => [`${a.rotation}\n${a.weekStart}`, a]));
  const changes: StoredChange[] = [];
  const superseded: number[] = [];
  const inserted: (typeof assignments.$inferInsert)[] = [];
  for (const a of planned) {
    const stored = current.get(`${a.rotation}\n${a.weekStart}`);
    if (stored && stored.member === a.member && stored.weekEnd === a.weekEnd) continue;
    if (stored) superseded.push(stored.id);
    inserted.push({ teamId, rotationId: a.rotation, weekStart: a.weekStart, weekEnd: a.weekEnd, memberId: a.member, reason: a.reason, sequence: stored ? stored.sequence + 1 : 0, recordedAt: w.at });
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
    superseded.push(stored.id);
    changes.push({ rotation: stored.rotation, weekStart: stored.weekStart, weekEnd: stored.weekEnd, before: stored.member, after: null, reason: "replaced by weeks on the new handoff" });
  }
  // Superseded first: the one-current-row index allows a week's successor only once its predecessor is gone.
  for (const batch of batches(superseded)) await w.tx.update(assignments).set({ supersededAt: w.at }).where(inArray(assignments.id, batch));
  for (const batch of batches(inserted)) await w.tx.insert(assignments).values(batch);
  if (changes.length > 0) {
    await audit(w, { action: "schedule.apply", entity: "team", entityId: teamId, after: { changes } });
  }
  return changes;
}

/** How far ahead each team is planned: the end of its last assignment in force. */
export async function plannedHorizons(db: Db): Promise<Map<string, string>> {
  const { assignments } = tablesOf(db);
  const rows = (await db
    .select({ teamId: assignments.teamId, end: sql<string>`max(${assignments.weekEnd})` })
    .from(assignments)
    .where(isNull(assignments.supersededAt))
    .groupBy(assignments.teamId)
    );
  return new Map(rows.map((r) => [r.teamId, r.end]));
}

export async function insertOverride(w: WriteContext, o: Override & { swapId?: number | null; note?: string | null }): Promise<StoredOverride> {
  const { overrides } = tablesOf(w.tx);
  const row = (await w.tx
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
    )[0]!;
  const stored = overrideFromRow(row);
  await audit(w, { action: "override.create", entity: "override", entityId: String(row.id), after: stored });
  return stored;
}

export async function cancelOverride(w: WriteContext, id: number): Promise<void> {
  const { overrides } = tablesOf(w.tx);
  const before = (await w.tx.select().from(overrides).where(eq(overrides.id, id)).limit(1))[0];
  await w.tx.update(overrides).set({ cancelledAt: w.at }).where(eq(overrides.id, id));
  await audit(w, { action: "override.cancel", entity: "override", entityId: String(id), before: before ? overrideFromRow(before) : undefined });
}

/** One override of a team, cancelled or not. */
export async function findOverride(db: Db, teamId: string, id: number): Promise<(StoredOverride & { cancelledAt: string | null }) | null> {
  const { overrides } = tablesOf(db);
  const row = (await db.select().from(overrides).where(and(eq(overrides.teamId, teamId), eq(overrides.id, id))).limit(1))[0];
  return row ? { ...overrideFromRow(row), cancelledAt: row.cancelledAt } : null;
}

/** The latest instant at which a team's assignments, overrides or configuration changed, or null if they never did. */
export async function lastScheduleChange(db: Db, teamId: string): Promise<string | null> {
  const [row] = await db.rows<{ at: string | null }>(sql`
    SELECT max(t) AS at FROM (
      SELECT max(recorded_at) AS t FROM assignments WHERE team_id = ${teamId}
      UNION ALL SELECT max(superseded_at) FROM assignments WHERE team_id = ${teamId}
      UNION ALL SELECT max(recorded_at) FROM overrides WHERE team_id = ${teamId}
      UNION ALL SELECT max(cancelled_at) FROM overrides WHERE team_id = ${teamId}
      UNION ALL SELECT max(recorded_at) FROM team_versions WHERE team_id = ${teamId}) AS changes`);
  return row?.at ?? null;
}
