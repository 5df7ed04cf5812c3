import type { Queryable } from "./open";
import { auditLog } from "./schema";

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
  if (rows.length > 0) ctx.tx.insert(auditLog).values(rows).run();
}
