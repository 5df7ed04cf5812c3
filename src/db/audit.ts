import type { Queryable } from "./open";
import { auditLog } from "./schema";

/** Who did something: an admin (the API token or the CLI) or a member. */
export type Actor =
  | { kind: "admin"; via?: "api" | "cli" | "system" }
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

export type WriteContext = { tx: Queryable; actor: Actor; at: string; requestId?: string | undefined };

export function audit(ctx: WriteContext, entries: AuditEntry | AuditEntry[]): void {
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
  for (const batch of batches(rows)) ctx.tx.insert(auditLog).values(batch).run();
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
