import { tablesOf, type Db } from "./open";
import { asc, sql } from "drizzle-orm";

/** Who did something: an admin (the API token, the CLI, or signed in to the pages) or a member. */
export type Actor =
  | { kind: "admin"; via?: "api" | "cli" | "system" | "web" }
  | { kind: "member"; memberId: string }
  | { kind: "anonymous" };

export function actorLabel(actor: Actor): string {
  switch (actor.kind) {
    case "admin":
      return actor.via && actor.via !== "api" ? `admin:${actor.via}` : "admin";
    case "member":
      return `member:${actor.memberId}`;
    case "anonymous":
      return "anonymous";
  }
}

export type AuditEntry = {
  action: string;
  entity: string;
  entityId: string;
  before?: unknown;
  after?: unknown;
};

export type WriteContext = { tx: Db; actor: Actor; at: string; requestId?: string | undefined };

export async function audit(ctx: WriteContext, entries: AuditEntry | AuditEntry[]): Promise<void> {
  const { auditLog } = tablesOf(ctx.tx);
  const rows = (Array.isArray(entries) ? entries : [entries]).map((e) => ({
    at: ctx.at,
    actor: actorLabel(ctx.actor),
    action: e.action,
    entity: e.entity,
    entityId: e.entityId,
    before: e.before ?? null,
    after: e.after ?? null,
    requestId: ctx.requestId ?? null,
  }));
  for (const batch of batches(rows)) (await ctx.tx.insert(auditLog).values(batch));
}

/**
 * Rows in batches small enough for one INSERT: SQLite allows 32,766 bound
 * values a statement, and drizzle builds each statement recursively, so a
 * statement of thousands of rows overflows the stack before SQLite sees it.
 */
export function batches<T>(rows: readonly T[], size = 500): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < rows.length; i += size) out.push(rows.slice(i, i + size));
  return out;
}

export type AuditRecord = {
  id: number;
  at: string;
  actor: string;
  action: string;
  entity: string;
  entityId: string;
  before: unknown;
  after: unknown;
  requestId: string | null;
};

export type AuditFilter = {
  /** [from, to) on the time of the change. */
  from?: string | undefined;
  to?: string | undefined;
  actor?: string | undefined;
  /** The team's own entries, those of its overrides and swaps (which name it), and time off of `members`. */
  team?: { id: string; members: readonly string[] } | undefined;
  limit: number;
};

/** Audit entries in the order they were written, at most `limit` of them; `truncated` when more matched. */
export async function readAudit(db: Db, filter: AuditFilter): Promise<{ entries: AuditRecord[]; truncated: boolean }> {
  const { auditLog } = tablesOf(db);
  const field = (column: typeof auditLog.after | typeof auditLog.before, key: string) =>
    db.backend === "postgres" ? sql`(${column} ->> ${key})` : sql`json_extract(${column}, ${`$.${key}`})`;
  const conditions = [sql`1 = 1`];
  if (filter.from) conditions.push(sql`${auditLog.at} >= ${filter.from}`);
  if (filter.to) conditions.push(sql`${auditLog.at} < ${filter.to}`);
  if (filter.actor) conditions.push(sql`${auditLog.actor} = ${filter.actor}`);
  if (filter.team) {
    const { id, members } = filter.team;
    const memberList = members.length > 0 ? sql.join(members.map((m) => sql`${m}`), sql`, `) : sql`NULL`;
    conditions.push(sql`(
      (${auditLog.entity} = 'team' AND ${auditLog.entityId} = ${id})
      OR ${field(auditLog.after, "team")} = ${id}
      OR ${field(auditLog.before, "team")} = ${id}
      OR (${auditLog.entity} = 'time-off' AND coalesce(${field(auditLog.after, "member")}, ${field(auditLog.before, "member")}) IN (${memberList})))`);
  }
  const rows = (await db
    .select()
    .from(auditLog)
    .where(sql.join(conditions, sql` AND `))
    .orderBy(asc(auditLog.id))
    .limit(filter.limit + 1)
    );
  return { entries: rows.slice(0, filter.limit).map((r) => ({ ...r, before: r.before ?? null, after: r.after ?? null })), truncated: rows.length > filter.limit };
}
