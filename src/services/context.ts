import type { Config } from "../config";
import type { Actor, WriteContext } from "../db/audit";
import type { Db } from "../db/open";
import { forbidden } from "../domain/errors";
import { toIsoZ, type Clock } from "../domain/time";
import type { Handover } from "../domain/handover";

/** What every service verb is handed: the database, the clock, who acts, and why. */
export type ServiceContext = {
  db: Db;
  clock: Clock;
  config: Config;
  actor: Actor;
  requestId?: string | undefined;
  /** Called after a write commits, so read caches (the lookup index, feeds) can drop what they hold. */
  changed: (what: ChangeNotice) => void;
  /** Set while the verb runs inside a use case's transaction: nested verbs join it. */
  unitOfWork?: true;
};

export type ChangeNotice = {
  teams?: string[];
  members?: string[];
  all?: boolean;
  /** Weeks or parts of weeks that changed hands: the people affected are told (the webhook). */
  handovers?: Handover[];
};

/**
 * Runs a whole use case — its own writes and those of every verb it calls,
 * such as the re-plans an import causes — as one transaction. Change notices
 * are held back until it commits and dropped if it rolls back, so nobody is
 * told about a change that never happened. Inside, `ctx.db` is the
 * transaction's handle: what the use case reads, it reads in the transaction.
 */
export async function useCase<T>(ctx: ServiceContext, body: (ctx: ServiceContext) => T | Promise<T>): Promise<T> {
  if (ctx.unitOfWork) return body(ctx);
  const notices: ChangeNotice[] = [];
  const result = await ctx.db.transact(async (tx) => body({ ...ctx, db: tx, changed: (notice) => notices.push(notice), unitOfWork: true }));
  for (const notice of notices) ctx.changed(notice);
  return result;
}

class RolledBack<T> extends Error {
  constructor(readonly result: T) {
    super("rolled back on purpose");
  }
}

/**
 * Runs a use case for real inside a transaction and rolls it back: the answer
 * is exactly what the use case would do, and nothing is stored or announced.
 */
export async function rehearse<T>(ctx: ServiceContext, body: (ctx: ServiceContext) => T | Promise<T>): Promise<T> {
  try {
    await ctx.db.transact(async (tx) => {
      throw new RolledBack(await body({ ...ctx, db: tx, changed: () => {}, unitOfWork: true }));
    });
  } catch (error) {
    if (error instanceof RolledBack) return error.result as T;
    throw error;
  }
  throw new Error("unreachable: a rehearsal always rolls back");
}

/** Runs `write` in one transaction with an audit context (a savepoint inside a use case's transaction). */
export function inTransaction<T>(ctx: ServiceContext, write: (w: WriteContext) => T | Promise<T>): Promise<T> {
  const at = toIsoZ(ctx.clock.now());
  return ctx.db.transact(async (tx) => write({ tx, actor: ctx.actor, at, requestId: ctx.requestId }));
}

/**
 * `map` one item at a time, in order: queries on one transaction's connection
 * queue there anyway, and node-postgres refuses to take them concurrently.
 */
export async function mapInTurn<T, U>(items: readonly T[], map: (item: T) => Promise<U>): Promise<U[]> {
  const out: U[] = [];
  for (const item of items) out.push(await map(item));
  return out;
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
