import { and, eq, lt, sql } from "drizzle-orm";
import { slotStateKey, type SlotRevision, type SlotState } from "../domain/feed";
import type { Queryable } from "./open";
import { calendarReminders, feedSlots, feedVersions } from "./schema";

/** The published state of a team's slots, keyed by `slotStateKey`. */
export function loadSlotStates(db: Queryable, teamId: string): Map<string, SlotState> {
  const rows = db.select().from(feedSlots).where(eq(feedSlots.teamId, teamId)).all();
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
export function saveSlotStates(db: Queryable, teamId: string, revised: readonly SlotRevision[], forgetBefore: string): void {
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
  db.delete(feedSlots).where(and(eq(feedSlots.teamId, teamId), lt(feedSlots.end, forgetBefore))).run();
}

export type FeedVersion = { etag: string; lastModified: string };

export function loadFeedVersion(db: Queryable, feed: string): FeedVersion | null {
  return db.select({ etag: feedVersions.etag, lastModified: feedVersions.lastModified }).from(feedVersions).where(eq(feedVersions.feed, feed)).get() ?? null;
}

export function saveFeedVersion(db: Queryable, feed: string, version: FeedVersion): void {
  db.insert(feedVersions)
    .values({ feed, ...version })
    .onConflictDoUpdate({ target: feedVersions.feed, set: version })
    .run();
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
