import { and, asc, count, desc, eq, inArray, isNull, lte } from "drizzle-orm";
import type { Escalation, Member, OrgFile, Rotation, Team, TimeOff, TimeOffInput } from "../domain/org-file";
import { rotationMembership, type MemberRecord, type MemberSpell, type TeamVersion } from "../domain/membership";
import type { Weekday } from "../domain/time";
import { audit, batches, type AuditEntry, type WriteContext } from "./audit";
import { tablesOf, type Db } from "./open";
import type { members, rotations, teams, timeOff } from "./schema";

type MemberRow = typeof members.$inferSelect;
type TeamRow = typeof teams.$inferSelect;
type RotationRow = typeof rotations.$inferSelect;
type TimeOffRow = typeof timeOff.$inferSelect;

function memberFromRow(row: MemberRow): Member {
  return {
    id: row.id,
    name: row.name,
    email: row.email,
    timeZone: row.timeZone,
    country: row.country,
    ...(row.subdivision !== null ? { subdivision: row.subdivision } : {}),
    ...(row.phone !== null ? { phone: row.phone } : {}),
    ...(row.startDate !== null ? { startDate: row.startDate } : {}),
    ...(row.endDate !== null ? { endDate: row.endDate } : {}),
  };
}

function memberToRow(member: Member, position: number): Omit<MemberRow, "retiredAt"> {
  return {
    id: member.id,
    name: member.name,
    email: member.email,
    phone: member.phone ?? null,
    timeZone: member.timeZone,
    country: member.country,
    subdivision: member.subdivision ?? null,
    startDate: member.startDate ?? null,
    endDate: member.endDate ?? null,
    position,
  };
}

function rotationFromRow(row: RotationRow, memberIds: string[]): Rotation {
  return {
    id: row.id,
    name: row.name,
    ...(row.timeZone !== null ? { timeZone: row.timeZone } : {}),
    ...(row.windowStart !== null && row.windowEnd !== null ? { window: { start: row.windowStart, end: row.windowEnd } } : {}),
    members: memberIds,
  };
}

function teamFromRow(row: TeamRow, teamRotations: Rotation[]): Team {
  return {
    id: row.id,
    name: row.name,
    timeZone: row.timeZone,
    handoff: { weekday: row.handoffWeekday as Weekday, time: row.handoffTime },
    freezeWeeks: row.freezeWeeks,
    holidays: {
      policy: row.holidayPolicy as Team["holidays"]["policy"],
      cover: row.holidayCover as Team["holidays"]["cover"],
      countBank: row.countBankHolidays,
    },
    gapPolicy: row.gapPolicy as Team["gapPolicy"],
    rotations: teamRotations,
    escalation: row.escalation as Escalation,
  };
}

function teamToRow(team: Team, position: number): Omit<TeamRow, "retiredAt"> {
  return {
    id: team.id,
    name: team.name,
    timeZone: team.timeZone,
    handoffWeekday: team.handoff.weekday,
    handoffTime: team.handoff.time,
    freezeWeeks: team.freezeWeeks,
    holidayPolicy: team.holidays.policy,
    holidayCover: team.holidays.cover,
    countBankHolidays: team.holidays.countBank,
    gapPolicy: team.gapPolicy,
    escalation: team.escalation,
    position,
  };
}

function timeOffFromRow(row: TimeOffRow): TimeOff {
  return {
    id: row.id,
    member: row.memberId,
    start: row.startDate,
    ...(row.endDate !== null ? { end: row.endDate } : {}),
    ...(row.rrule !== null ? { rrule: row.rrule } : {}),
    ...(row.note !== null ? { note: row.note } : {}),
    // Entries from the org file are the default and go unmarked, so an exported file reads as it was written.
    ...(row.source === "api" ? { source: "api" as const } : {}),
  };
}

/** The org as it stands: active members and teams, every time off of active members. */
export type StoredOrg = Omit<OrgFile, "timeOff"> & { timeOff: TimeOff[] };

export async function loadOrg(db: Db): Promise<StoredOrg> {
  const { members, teams, rotations, rotationMembers, timeOff } = tablesOf(db);
  const memberRows = (await db.select().from(members).where(isNull(members.retiredAt)).orderBy(asc(members.position)));
  const teamRows = (await db.select().from(teams).where(isNull(teams.retiredAt)).orderBy(asc(teams.position)));
  const rotationRows = (await db.select().from(rotations).where(isNull(rotations.retiredAt)).orderBy(asc(rotations.position)));
  const membershipRows = (await db.select().from(rotationMembers).orderBy(asc(rotationMembers.position)));
  const active = new Set(memberRows.map((m) => m.id));
  const timeOffRows = (await db.select().from(timeOff).orderBy(asc(timeOff.id)));
  return {
    version: 1,
    members: memberRows.map(memberFromRow),
    teams: teamRows.map((teamRow) =>
      teamFromRow(
        teamRow,
        rotationRows
          .filter((r) => r.teamId === teamRow.id)
          .map((r) =>
            rotationFromRow(
              r,
              membershipRows.filter((m) => m.teamId === teamRow.id && m.rotationId === r.id).map((m) => m.memberId),
            ),
          ),
      ),
    ),
    timeOff: timeOffRows.filter((t) => active.has(t.memberId)).map(timeOffFromRow),
  };
}

/** One active team with the members of its rotations and their time off: what planning a team needs. */
export async function loadTeam(db: Db, teamId: string): Promise<{ team: Team; members: Member[]; timeOff: TimeOff[] } | null> {
  const { members, teams, rotations, rotationMembers, timeOff } = tablesOf(db);
  const teamRow = (await db.select().from(teams).where(and(eq(teams.id, teamId), isNull(teams.retiredAt))).limit(1))[0];
  if (!teamRow) return null;
  const rotationRows = (await db
    .select()
    .from(rotations)
    .where(and(eq(rotations.teamId, teamId), isNull(rotations.retiredAt)))
    .orderBy(asc(rotations.position))
    );
  const membershipRows = (await db.select().from(rotationMembers).where(eq(rotationMembers.teamId, teamId)).orderBy(asc(rotationMembers.position)));
  const team = teamFromRow(
    teamRow,
    rotationRows.map((r) => rotationFromRow(r, membershipRows.filter((m) => m.rotationId === r.id).map((m) => m.memberId))),
  );
  const ids = [...new Set(team.rotations.flatMap((r) => r.members))];
  if (ids.length === 0) return { team, members: [], timeOff: [] };
  const memberRows = (await db.select().from(members).where(and(inArray(members.id, ids), isNull(members.retiredAt))).orderBy(asc(members.position)));
  const timeOffRows = (await db.select().from(timeOff).where(inArray(timeOff.memberId, ids)).orderBy(asc(timeOff.id)));
  return { team, members: memberRows.map(memberFromRow), timeOff: timeOffRows.map(timeOffFromRow) };
}

/** Ids of the active teams with any of these members in an active rotation, in the org's order. */
export async function teamIdsWithMembers(db: Db, memberIds: readonly string[]): Promise<string[]> {
  if (memberIds.length === 0) return [];
  const { teams, rotations, rotationMembers } = tablesOf(db);
  const rows = await db
    .selectDistinct({ id: teams.id, position: teams.position })
    .from(rotationMembers)
    .innerJoin(teams, eq(teams.id, rotationMembers.teamId))
    .innerJoin(rotations, and(eq(rotations.teamId, rotationMembers.teamId), eq(rotations.id, rotationMembers.rotationId)))
    .where(and(inArray(rotationMembers.memberId, [...memberIds]), isNull(teams.retiredAt), isNull(rotations.retiredAt)))
    .orderBy(asc(teams.position));
  return rows.map((r) => r.id);
}

/**
 * The active teams other than `teamId` with any of these members in an active
 * rotation: what a change to one team's shifts can touch, found without
 * loading the whole org.
 */
export async function teamsSharingMembers(db: Db, teamId: string, memberIds: readonly string[]): Promise<Team[]> {
  const found: Team[] = [];
  for (const id of await teamIdsWithMembers(db, memberIds)) {
    const context = id === teamId ? null : await loadTeam(db, id);
    if (context) found.push(context.team);
  }
  return found;
}

/** The org file a user would write: export form, without stored ids. */
export async function exportOrg(db: Db): Promise<OrgFile> {
  const org = await loadOrg(db);
  return { ...org, timeOff: org.timeOff.map(withoutId) };
}

/** Equality of plain JSON-like values, whatever their key order. */
function same(a: unknown, b: unknown): boolean {
  const canonical = (value: unknown): unknown =>
    Array.isArray(value)
      ? value.map(canonical)
      : value !== null && typeof value === "object"
        ? Object.fromEntries(Object.entries(value).sort(([x], [y]) => x.localeCompare(y)).map(([k, v]) => [k, canonical(v)]))
        : value;
  return JSON.stringify(canonical(a)) === JSON.stringify(canonical(b));
}
const timeOffKey = (t: { member: string; start: string; end?: string | undefined; rrule?: string | undefined }) =>
  JSON.stringify([t.member, t.start, t.end ?? null, t.rrule ?? null]);

type Changed = { created: string[]; updated: string[]; retired: string[] };
type TimeOffEntry = Omit<TimeOff, "id">;

export type ImportSummary = {
  members: Changed;
  teams: Changed;
  /** As `team/rotation`, for the teams in the file. */
  rotations: Changed;
  timeOff: { added: number; updated: number; removed: number };
  /**
   * Which entries the import adds, removes (from an earlier file, now gone
   * from it) and keeps although the file lacks them (posted through the API).
   */
  timeOffEntries: { added: TimeOffEntry[]; removed: TimeOffEntry[]; kept: TimeOffEntry[] };
};

/** Whether the import changes anything stored about the org. */
export function orgChanged(summary: ImportSummary): boolean {
  const lists = [summary.members, summary.teams, summary.rotations].flatMap((c) => [c.created, c.updated, c.retired]);
  return lists.some((list) => list.length > 0) || summary.timeOff.added + summary.timeOff.updated + summary.timeOff.removed > 0;
}

const withoutId = ({ id: _id, ...entry }: TimeOff): TimeOffEntry => entry;

/** How a team's rotations change: ids as `team/rotation`. */
function rotationChanges(teamId: string, before: Rotation[], after: Rotation[]): Changed {
  const ids = (list: Rotation[]) => new Set(list.map((r) => r.id));
  const [was, is] = [ids(before), ids(after)];
  return {
    created: after.filter((r) => !was.has(r.id)).map((r) => `${teamId}/${r.id}`),
    updated: after.filter((r) => was.has(r.id) && !same(r, before.find((b) => b.id === r.id))).map((r) => `${teamId}/${r.id}`),
    retired: before.filter((r) => !is.has(r.id)).map((r) => `${teamId}/${r.id}`),
  };
}

/**
 * Brings the stored org to what the file says, inside the caller's
 * transaction. Members and teams missing from the file are retired, not
 * deleted, so their history stays; a retired one that comes back is revived.
 * Time off added through the API survives imports of files that lack it.
 */
export async function saveOrg(ctx: WriteContext, org: OrgFile): Promise<ImportSummary> {
  const { members, teams, rotations, rotationMembers, timeOff, teamVersions } = tablesOf(ctx.tx);
  const { tx } = ctx;
  const summary: ImportSummary = {
    members: { created: [], updated: [], retired: [] },
    teams: { created: [], updated: [], retired: [] },
    rotations: { created: [], updated: [], retired: [] },
    timeOff: { added: 0, updated: 0, removed: 0 },
    timeOffEntries: { added: [], removed: [], kept: [] },
  };
  const entries: AuditEntry[] = [];

  const storedMembers = new Map((await tx.select().from(members)).map((m) => [m.id, m]));
  // New rows go in as multi-row inserts: building one statement per row costs more than SQLite's work.
  const newMembers: (typeof members.$inferInsert)[] = [];
  for (const [position, member] of org.members.entries()) {
    const row = memberToRow(member, position);
    const stored = storedMembers.get(member.id);
    if (!stored) {
      newMembers.push(row);
      summary.members.created.push(member.id);
      entries.push({ action: "member.create", entity: "member", entityId: member.id, after: row });
      continue;
    }
    const { retiredAt, ...storedRow } = stored;
    if (retiredAt === null && same(storedRow, row)) continue;
    await tx.update(members).set({ ...row, retiredAt: null }).where(eq(members.id, member.id));
    summary.members.updated.push(member.id);
    entries.push({ action: retiredAt ? "member.revive" : "member.update", entity: "member", entityId: member.id, before: stored, after: row });
  }
  for (const batch of batches(newMembers)) await tx.insert(members).values(batch);
  const inFile = new Set(org.members.map((m) => m.id));
  for (const stored of storedMembers.values()) {
    if (stored.retiredAt !== null || inFile.has(stored.id)) continue;
    await tx.update(members).set({ retiredAt: ctx.at }).where(eq(members.id, stored.id));
    summary.members.retired.push(stored.id);
    entries.push({ action: "member.retire", entity: "member", entityId: stored.id, before: stored });
  }

  const storedTeams = new Map((await tx.select().from(teams)).map((t) => [t.id, t]));
  const storedRotations = (await tx.select().from(rotations));
  const storedMemberships = (await tx.select().from(rotationMembers).orderBy(asc(rotationMembers.position)));
  for (const [position, team] of org.teams.entries()) {
    const row = teamToRow(team, position);
    const stored = storedTeams.get(team.id);
    const rotationsBefore = storedRotations
      .filter((r) => r.teamId === team.id && r.retiredAt === null)
      .sort((a, b) => a.position - b.position)
      .map((r) => rotationFromRow(r, storedMemberships.filter((m) => m.teamId === team.id && m.rotationId === r.id).map((m) => m.memberId)));
    const unchanged = stored && stored.retiredAt === null && same({ ...stored, retiredAt: null }, { ...row, retiredAt: null }) && same(rotationsBefore, team.rotations);
    if (unchanged) continue;
    const rotationsChanged = rotationChanges(team.id, stored && stored.retiredAt === null ? rotationsBefore : [], team.rotations);
    summary.rotations.created.push(...rotationsChanged.created);
    summary.rotations.updated.push(...rotationsChanged.updated);
    summary.rotations.retired.push(...rotationsChanged.retired);
    if (!stored) {
      await tx.insert(teams).values(row);
      summary.teams.created.push(team.id);
    } else {
      await tx.update(teams).set({ ...row, retiredAt: null }).where(eq(teams.id, team.id));
      summary.teams.updated.push(team.id);
    }
    await saveRotations(tx, team, storedRotations, ctx.at);
    await tx.insert(teamVersions).values({ teamId: team.id, recordedAt: ctx.at, config: team });
    entries.push({
      action: stored ? (stored.retiredAt ? "team.revive" : "team.update") : "team.create",
      entity: "team",
      entityId: team.id,
      before: stored ? { ...stored, rotations: rotationsBefore } : undefined,
      after: { ...row, rotations: team.rotations },
    });
  }
  const teamsInFile = new Set(org.teams.map((t) => t.id));
  for (const stored of storedTeams.values()) {
    if (stored.retiredAt !== null || teamsInFile.has(stored.id)) continue;
    await tx.update(teams).set({ retiredAt: ctx.at }).where(eq(teams.id, stored.id));
    await tx.insert(teamVersions).values({ teamId: stored.id, recordedAt: ctx.at, config: null });
    summary.teams.retired.push(stored.id);
    entries.push({ action: "team.retire", entity: "team", entityId: stored.id, before: stored });
  }

  const storedTimeOff = (await tx.select().from(timeOff));
  const storedByKey = new Map(storedTimeOff.map((t) => [timeOffKey(timeOffFromRow(t)), t]));
  const storedKeys = new Set(storedByKey.keys());
  const fileKeys = new Set(org.timeOff.map(timeOffKey));
  const newTimeOff: TimeOffInput[] = [];
  for (const entry of org.timeOff) {
    const stored = storedByKey.get(timeOffKey(entry));
    // The same days with another note: the note is updated in place, so the entry keeps its id.
    if (stored && stored.source === "org" && (stored.note ?? undefined) !== entry.note) {
      await tx.update(timeOff).set({ note: entry.note ?? null }).where(eq(timeOff.id, stored.id));
      summary.timeOff.updated++;
      entries.push({ action: "time-off.update", entity: "time-off", entityId: String(stored.id), before: timeOffFromRow(stored), after: entry });
    }
    if (storedKeys.has(timeOffKey(entry))) continue;
    storedKeys.add(timeOffKey(entry));
    newTimeOff.push(entry);
  }
  for (const batch of batches(newTimeOff)) {
    const inserted = (await tx
      .insert(timeOff)
      .values(batch.map((entry) => ({ memberId: entry.member, startDate: entry.start, endDate: entry.end ?? null, rrule: entry.rrule ?? null, note: entry.note ?? null, source: entry.source ?? "org", createdAt: ctx.at })))
      .returning({ id: timeOff.id })
      );
    batch.forEach((entry, i) => entries.push({ action: "time-off.create", entity: "time-off", entityId: String(inserted[i]!.id), after: entry }));
    summary.timeOff.added += batch.length;
    summary.timeOffEntries.added.push(...batch);
  }
  for (const row of storedTimeOff) {
    if (fileKeys.has(timeOffKey(timeOffFromRow(row)))) continue;
    if (row.source !== "org") {
      if (inFile.has(row.memberId)) summary.timeOffEntries.kept.push(withoutId(timeOffFromRow(row)));
      continue;
    }
    await tx.delete(timeOff).where(eq(timeOff.id, row.id));
    summary.timeOff.removed++;
    summary.timeOffEntries.removed.push(withoutId(timeOffFromRow(row)));
    entries.push({ action: "time-off.delete", entity: "time-off", entityId: String(row.id), before: timeOffFromRow(row) });
  }

  await audit(ctx, entries);
  return summary;
}

async function saveRotations(tx: Db, team: Team, storedRotations: RotationRow[], at: string): Promise<void> {
  const { rotations, rotationMembers } = tablesOf(tx);
  const stored = new Map(storedRotations.filter((r) => r.teamId === team.id).map((r) => [r.id, r]));
  for (const [position, rotation] of team.rotations.entries()) {
    const row = {
      teamId: team.id,
      id: rotation.id,
      name: rotation.name,
      timeZone: rotation.timeZone ?? null,
      windowStart: rotation.window?.start ?? null,
      windowEnd: rotation.window?.end ?? null,
      position,
      retiredAt: null,
    };
    if (stored.has(rotation.id)) {
      await tx.update(rotations).set(row).where(and(eq(rotations.teamId, team.id), eq(rotations.id, rotation.id)));
    } else {
      await tx.insert(rotations).values(row);
    }
    await tx.delete(rotationMembers).where(and(eq(rotationMembers.teamId, team.id), eq(rotationMembers.rotationId, rotation.id)));
    for (const batch of batches(rotation.members.map((memberId, i) => ({ teamId: team.id, rotationId: rotation.id, memberId, position: i })))) {
      await tx.insert(rotationMembers).values(batch);
    }
  }
  const inFile = new Set(team.rotations.map((r) => r.id));
  for (const row of stored.values()) {
    if (row.retiredAt === null && !inFile.has(row.id)) {
      await tx.update(rotations).set({ retiredAt: at }).where(and(eq(rotations.teamId, team.id), eq(rotations.id, row.id)));
    }
  }
}

/**
 * The team as configured at an instant: its configuration, null when it was
 * retired by then, or undefined when nothing was recorded for it by then.
 */
export async function teamAsOf(db: Db, teamId: string, at: string): Promise<Team | null | undefined> {
  const { teamVersions } = tablesOf(db);
  const row = (await db
    .select()
    .from(teamVersions)
    .where(and(eq(teamVersions.teamId, teamId), lte(teamVersions.recordedAt, at)))
    .orderBy(desc(teamVersions.recordedAt), desc(teamVersions.id))
    .limit(1))[0];
  return row ? (row.config as Team | null) : undefined;
}

/**
 * What a team's membership history is read from: every stored version of the
 * team, oldest first, and every member those versions name, with when they
 * left the org (null while they are in it).
 */
async function teamHistory(db: Db, teamId: string): Promise<{ versions: TeamVersion[]; members: MemberRecord[] }> {
  const { members, teamVersions } = tablesOf(db);
  const versions = (
    await db.select().from(teamVersions).where(eq(teamVersions.teamId, teamId)).orderBy(asc(teamVersions.recordedAt), asc(teamVersions.id))
  ).map((row) => ({ recordedAt: row.recordedAt, config: row.config as Team | null }));
  const ids = [...new Set(versions.flatMap((v) => (v.config?.rotations ?? []).flatMap((r) => r.members)))];
  const memberRows = ids.length ? await db.select().from(members).where(inArray(members.id, ids)) : [];
  return { versions, members: memberRows.map((row) => ({ ...memberFromRow(row), retiredAt: row.retiredAt })) };
}

/** Who belonged to which of the team's rotations when, from its stored versions: what fair shares are counted from. */
export async function teamMembership(db: Db, team: Team): Promise<MemberSpell[]> {
  const { versions, members } = await teamHistory(db, team.id);
  return rotationMembership(team, versions, members);
}

/** How many members and teams are active (not retired). */
export async function activeCounts(db: Db): Promise<{ members: number; teams: number }> {
  const { members, teams } = tablesOf(db);
  return {
    members: (await db.select({ n: count() }).from(members).where(isNull(members.retiredAt)))[0]!.n,
    teams: (await db.select({ n: count() }).from(teams).where(isNull(teams.retiredAt)))[0]!.n,
  };
}

/** Every member ever imported, retired ones included: history names them too. */
export async function allMembers(db: Db): Promise<Member[]> {
  const { members } = tablesOf(db);
  return (await db.select().from(members).orderBy(asc(members.position))).map(memberFromRow);
}

export async function findMember(db: Db, id: string): Promise<(Member & { retired: boolean }) | null> {
  const { members } = tablesOf(db);
  const row = (await db.select().from(members).where(eq(members.id, id)).limit(1))[0];
  return row ? { ...memberFromRow(row), retired: row.retiredAt !== null } : null;
}

export async function insertTimeOff(ctx: WriteContext, entry: Omit<TimeOff, "id">): Promise<TimeOff> {
  const { timeOff } = tablesOf(ctx.tx);
  const row = (await ctx.tx
    .insert(timeOff)
    .values({ memberId: entry.member, startDate: entry.start, endDate: entry.end ?? null, rrule: entry.rrule ?? null, note: entry.note ?? null, source: "api", createdAt: ctx.at })
    .returning()
    )[0]!;
  const created = timeOffFromRow(row);
  await audit(ctx, { action: "time-off.create", entity: "time-off", entityId: String(row.id), after: created });
  return created;
}

export async function listTimeOff(db: Db, memberId: string): Promise<TimeOff[]> {
  const { timeOff } = tablesOf(db);
  return (await db.select().from(timeOff).where(eq(timeOff.memberId, memberId)).orderBy(asc(timeOff.id))).map(timeOffFromRow);
}

/** Deletes one time off of a member; false when the member has no such entry. */
export async function deleteTimeOff(ctx: WriteContext, memberId: string, id: number): Promise<boolean> {
  const { timeOff } = tablesOf(ctx.tx);
  const row = (await ctx.tx.select().from(timeOff).where(and(eq(timeOff.id, id), eq(timeOff.memberId, memberId))).limit(1))[0];
  if (!row) return false;
  await ctx.tx.delete(timeOff).where(eq(timeOff.id, id));
  await audit(ctx, { action: "time-off.delete", entity: "time-off", entityId: String(id), before: timeOffFromRow(row) });
  return true;
}
