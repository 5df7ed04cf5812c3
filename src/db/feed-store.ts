import { and, eq, lt, sql } from "drizzle-orm";
import { slotStateKey, type SlotRevision, type SlotState } from "../domain/feed";
import { tablesOf, type Db } from "./open";

/** The published state of a team's slots, keyed by `slotStateKey`. */
export async function loadSlotStates(db: Db, teamId: string): Promise<Map<string, SlotState>> {
  const { feedSlots } = tablesOf(db);
  const rows = (await db.select().from(feedSlots).where(eq(feedSlots.teamId, teamId)));
  return new Map(
    rows.map((r) => [
      slotStateKey(r.rotationId, r.slot),
      { member: r.memberId, start: r.start, end: r.end, sequence: r.sequence, lastModified: r.lastModified },
    ]),
  );
}

/**
 * Stores revised slots and forgets those that ended before `forgetBefore`:
 * no feed reaches back that far, so nobody can see their sequence again.
 */
export async function saveSlotStates(db: Db, teamId: string, revised: readonly SlotRevision[], forgetBefore: string): Promise<void> {
  const { feedSlots } = tablesOf(db);
  const upsert = db
    .insert(feedSlots)
    .values({
      teamId,
      rotationId: sql.placeholder("rotation"),
      slot: sql.placeholder("slot"),
      memberId: sql.placeholder("member"),
      start: sql.placeholder("start"),
      end: sql.placeholder("end"),
      sequence: sql.placeholder("sequence"),
      lastModified: sql.placeholder("lastModified"),
    })
    .onConflictDoUpdate({
      target: [feedSlots.teamId, feedSlots.rotationId, feedSlots.slot],
      set: {
        memberId: sql`excluded.member_id`,
        start: sql`excluded.start`,
        end: sql`excluded.end`,
        sequence: sql`excluded.sequence`,
        lastModified: sql`excluded.last_modified`,
      },
    })
    .prepare();
  for (const s of revised) upsert.run(s);
  await db.delete(feedSlots).where(and(eq(feedSlots.teamId, teamId), lt(feedSlots.end, forgetBefore)));
}

export type FeedVersion = { etag: string; lastModified: string };

export async function loadFeedVersion(db: Db, feed: string): Promise<FeedVersion | null> {
  const { feedVersions } = tablesOf(db);
  return (await db.select({ etag: feedVersions.etag, lastModified: feedVersions.lastModified }).from(feedVersions).where(eq(feedVersions.feed, feed)).limit(1))[0] ?? null;
}

export async function saveFeedVersion(db: Db, feed: string, version: FeedVersion): Promise<void> {
  const { feedVersions } = tablesOf(db);
  await db.insert(feedVersions)
    .values({ feed, ...version })
    .onConflictDoUpdate({ target: feedVersions.feed, set: version });
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
