import { sql } from "drizzle-orm";
import { index, integer, primaryKey, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";

// Instants are ISO strings with `Z` (they sort as text); dates are YYYY-MM-DD.
const createdAt = () => text("created_at").notNull().default(sql`(strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))`);

export const members = sqliteTable("members", {
  id: text("id").primaryKey(),
  name: text("name").notNull(),
  email: text("email").notNull(),
  phone: text("phone"),
  timeZone: text("time_zone").notNull(),
  country: text("country").notNull(),
  subdivision: text("subdivision"),
  startDate: text("start_date"),
  endDate: text("end_date"),
  position: integer("position").notNull(),
  retiredAt: text("retired_at"),
});

export const teams = sqliteTable("teams", {
  id: text("id").primaryKey(),
  name: text("name").notNull(),
  timeZone: text("time_zone").notNull(),
  handoffWeekday: text("handoff_weekday").notNull(),
  handoffTime: text("handoff_time").notNull(),
  freezeWeeks: integer("freeze_weeks").notNull(),
  holidayPolicy: text("holiday_policy").notNull(),
  holidayCover: text("holiday_cover").notNull(),
  countBankHolidays: integer("count_bank_holidays", { mode: "boolean" }).notNull(),
  gapPolicy: text("gap_policy").notNull(),
  escalation: text("escalation", { mode: "json" }).notNull(),
  position: integer("position").notNull(),
  retiredAt: text("retired_at"),
});

export const rotations = sqliteTable(
  "rotations",
  {
    teamId: text("team_id").notNull().references(() => teams.id),
    id: text("id").notNull(),
    name: text("name").notNull(),
    timeZone: text("time_zone"),
    windowStart: text("window_start"),
    windowEnd: text("window_end"),
    position: integer("position").notNull(),
    retiredAt: text("retired_at"),
  },
  (t) => [primaryKey({ columns: [t.teamId, t.id] })],
);

export const rotationMembers = sqliteTable(
  "rotation_members",
  {
    teamId: text("team_id").notNull(),
    rotationId: text("rotation_id").notNull(),
    memberId: text("member_id").notNull().references(() => members.id),
    position: integer("position").notNull(),
  },
  (t) => [primaryKey({ columns: [t.teamId, t.rotationId, t.memberId] })],
);

export const timeOff = sqliteTable(
  "time_off",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    memberId: text("member_id").notNull().references(() => members.id),
    startDate: text("start_date").notNull(),
    endDate: text("end_date"),
    rrule: text("rrule"),
    note: text("note"),
    // "org" entries come and go with the org file; "api" entries are kept by imports.
    source: text("source").notNull(),
    createdAt: createdAt(),
  },
  (t) => [index("time_off_member").on(t.memberId)],
);

/**
 * Each team's configuration (rotations, windows, handoff, escalation) as it
 * was from `recorded_at` on; `config` null from the team's retirement. A
 * lookup at a past instant reads the team as it was then, not as it is now.
 */
export const teamVersions = sqliteTable(
  "team_versions",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    teamId: text("team_id").notNull(),
    recordedAt: text("recorded_at").notNull(),
    config: text("config", { mode: "json" }),
  },
  (t) => [index("team_versions_team").on(t.teamId, t.recordedAt)],
);

/**
 * Weekly assignments. Rows are never updated in place: a re-plan supersedes a
 * row and inserts its successor, so what was in force at any past instant can
 * be read back (recorded_at <= T < superseded_at).
 */
export const assignments = sqliteTable(
  "assignments",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    teamId: text("team_id").notNull(),
    rotationId: text("rotation_id").notNull(),
    weekStart: text("week_start").notNull(),
    weekEnd: text("week_end").notNull(),
    memberId: text("member_id").references(() => members.id),
    reason: text("reason").notNull(),
    sequence: integer("sequence").notNull().default(0),
    recordedAt: text("recorded_at").notNull(),
    supersededAt: text("superseded_at"),
  },
  (t) => [
    index("assignments_current").on(t.teamId, t.rotationId, t.supersededAt, t.weekStart),
    uniqueIndex("assignments_one_current")
      .on(t.teamId, t.rotationId, t.weekStart)
      .where(sql`superseded_at IS NULL`),
  ],
);

/** Who holds a rotation over [start, end) instead of the schedule. Cancelled, never deleted. */
export const overrides = sqliteTable(
  "overrides",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    teamId: text("team_id").notNull(),
    rotationId: text("rotation_id").notNull(),
    start: text("start").notNull(),
    end: text("end").notNull(),
    memberId: text("member_id").notNull().references(() => members.id),
    replacedMemberId: text("replaced_member_id").references(() => members.id),
    source: text("source").notNull(),
    swapId: integer("swap_id"),
    createdBy: text("created_by").notNull(),
    recordedAt: text("recorded_at").notNull(),
    cancelledAt: text("cancelled_at"),
    /** Why an admin put someone on call (shown in the timeline). */
    note: text("note"),
  },
  (t) => [index("overrides_rotation").on(t.teamId, t.rotationId, t.start)],
);

export const swapRequests = sqliteTable(
  "swap_requests",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    teamId: text("team_id").notNull(),
    rotationId: text("rotation_id").notNull(),
    start: text("start").notNull(),
    end: text("end").notNull(),
    requesterId: text("requester_id").notNull().references(() => members.id),
    type: text("type").notNull(),
    toMemberId: text("to_member_id").references(() => members.id),
    offeredRotationId: text("offered_rotation_id"),
    offeredStart: text("offered_start"),
    offeredEnd: text("offered_end"),
    note: text("note"),
    status: text("status").notNull(),
    takerId: text("taker_id").references(() => members.id),
    decidedBy: text("decided_by"),
    createdAt: text("created_at").notNull(),
    decidedAt: text("decided_at"),
  },
  (t) => [index("swap_requests_status").on(t.status, t.start)],
);

/**
 * Personal (login and API), calendar, admin and session tokens. Each is random;
 * a SHA-256 of it finds it, and `sealed` is the token encrypted with the
 * server secret (which is not in the database), so that its owner can be
 * shown their link again. Sessions are never shown again and keep no sealed copy.
 */
export const tokens = sqliteTable(
  "tokens",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    kind: text("kind").notNull(),
    memberId: text("member_id").references(() => members.id),
    teamId: text("team_id").references(() => teams.id),
    hash: text("hash").notNull(),
    sealed: text("sealed"),
    generation: integer("generation").notNull(),
    createdAt: createdAt(),
    revokedAt: text("revoked_at"),
  },
  (t) => [uniqueIndex("tokens_hash").on(t.hash)],
);

export const auditLog = sqliteTable(
  "audit_log",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    at: text("at").notNull(),
    actor: text("actor").notNull(),
    action: text("action").notNull(),
    entity: text("entity").notNull(),
    entityId: text("entity_id").notNull(),
    before: text("before", { mode: "json" }),
    after: text("after", { mode: "json" }),
    requestId: text("request_id"),
  },
  (t) => [index("audit_entity").on(t.entity, t.entityId)],
);

/** Small server state. Never secrets: those live in BATON_SECRET or the key file beside the database. */
export const settings = sqliteTable("settings", {
  key: text("key").primaryKey(),
  value: text("value").notNull(),
});

/** A member's reminder before each shift in their personal feed (a VALARM). */
export const calendarReminders = sqliteTable("calendar_reminders", {
  memberId: text("member_id")
    .primaryKey()
    .references(() => members.id),
  minutesBefore: integer("minutes_before").notNull(),
});
