import type { Config } from "../config";
import type { Actor, WriteContext } from "../db/audit";
import type { Db } from "../db/open";
import { forbidden } from "../domain/errors";
import { toIsoZ, type Clock } from "../domain/time";

/** What every service verb is handed: the database, the clock, who acts, and why. */
export type ServiceContext = {
  db: Db;
  clock: Clock;
  config: Config;
  actor: Actor;
  requestId?: string | undefined;
  /** Called after a write commits, so read caches (the lookup index, feeds) can drop what they hold. */
  changed: (what: ChangeNotice) => void;
};

export type ChangeNotice = { teams?: string[]; members?: string[]; all?: boolean };

/** Runs `write` in one transaction with an audit context; the caller's change notice fires after commit. */
export function inTransaction<T>(ctx: ServiceContext, write: (w: WriteContext) => T): T {
  const at = toIsoZ(ctx.clock.now());
  return ctx.db.transaction((tx) => write({ tx, actor: ctx.actor, at, requestId: ctx.requestId }), {
    behavior: "immediate",
  });
}

export function requireAdmin(ctx: ServiceContext): void {
  if (ctx.actor.kind !== "admin") throw forbidden("only an admin may do this");
}

/** Members change what is theirs; admins change anything. */
export function requireSelfOrAdmin(ctx: ServiceContext, memberId: string): void {
  if (ctx.actor.kind !== "admin" && !(ctx.actor.kind === "member" && ctx.actor.memberId === memberId)) {
    throw forbidden(`only ${memberId} or an admin may change this`);
  }
}
