import { and, asc, desc, eq, gt, isNotNull, lt, lte, or, type SQL } from "drizzle-orm";
import type { SwapRequest, SwapStatus, SwapType } from "../domain/swaps";
import { audit, type WriteContext } from "./audit";
import { tablesOf, type Db } from "./open";
import type { swapRequests } from "./schema";

type SwapRow = typeof swapRequests.$inferSelect;

function swapFromRow(row: SwapRow): SwapRequest {
  return {
    id: row.id,
    team: row.teamId,
    rotation: row.rotationId,
    start: row.start,
    end: row.end,
    requester: row.requesterId,
    type: row.type as SwapType,
    to: row.toMemberId,
    offered:
      row.offeredRotationId !== null && row.offeredStart !== null && row.offeredEnd !== null
        ? { rotation: row.offeredRotationId, start: row.offeredStart, end: row.offeredEnd }
        : null,
    note: row.note,
    status: row.status as SwapStatus,
    taker: row.takerId,
    decidedBy: row.decidedBy,
    createdAt: row.createdAt,
    decidedAt: row.decidedAt,
  };
}

export type NewSwap = Omit<SwapRequest, "id" | "status" | "taker" | "decidedBy" | "createdAt" | "decidedAt">;

/** Stores a new open request and audits it; `onBehalfOf` marks an admin acting for the requester. */
export async function insertSwap(w: WriteContext, swap: NewSwap, onBehalfOf: string | null): Promise<SwapRequest> {
  const { swapRequests } = tablesOf(w.tx);
  const row = (await w.tx
    .insert(swapRequests)
    .values({
      teamId: swap.team,
      rotationId: swap.rotation,
      start: swap.start,
      end: swap.end,
      requesterId: swap.requester,
      type: swap.type,
      toMemberId: swap.to,
      offeredRotationId: swap.offered?.rotation ?? null,
      offeredStart: swap.offered?.start ?? null,
      offeredEnd: swap.offered?.end ?? null,
      note: swap.note,
      status: "open",
      createdAt: w.at,
    })
    .returning()
    )[0]!;
  const stored = swapFromRow(row);
  await audit(w, { action: "swap.open", entity: "swap", entityId: String(stored.id), after: { ...stored, ...(onBehalfOf ? { onBehalfOf } : {}) } });
  return stored;
}

export async function findSwap(db: Db, id: number): Promise<SwapRequest | null> {
  const { swapRequests } = tablesOf(db);
  const row = (await db.select().from(swapRequests).where(eq(swapRequests.id, id)).limit(1))[0];
  return row ? swapFromRow(row) : null;
}

export type SwapFilter = { member?: string | undefined; status?: SwapStatus | undefined; team?: string | undefined };

/** Requests a member asked for, was asked, or took; newest first. */
export async function listSwaps(db: Db, filter: SwapFilter): Promise<SwapRequest[]> {
  const { swapRequests } = tablesOf(db);
  const conditions: SQL[] = [];
  if (filter.member) {
    conditions.push(
      or(eq(swapRequests.requesterId, filter.member), eq(swapRequests.toMemberId, filter.member), eq(swapRequests.takerId, filter.member))!,
    );
  }
  if (filter.status) conditions.push(eq(swapRequests.status, filter.status));
  if (filter.team) conditions.push(eq(swapRequests.teamId, filter.team));
  return (await db
    .select()
    .from(swapRequests)
    .where(and(...conditions))
    .orderBy(desc(swapRequests.id))
    )
    .map(swapFromRow);
}

/** Open requests on a team's rotations, soonest first: what members of those rotations may take. */
export async function openSwapsOf(db: Db, teamId: string): Promise<SwapRequest[]> {
  const { swapRequests } = tablesOf(db);
  return (await db
    .select()
    .from(swapRequests)
    .where(and(eq(swapRequests.status, "open"), eq(swapRequests.teamId, teamId)))
    .orderBy(asc(swapRequests.start))
    )
    .map(swapFromRow);
}

/** Open requests whose shift, or the shift offered in return, has begun by `now`. */
export async function dueSwaps(db: Db, now: string): Promise<SwapRequest[]> {
  const { swapRequests } = tablesOf(db);
  return (await db
    .select()
    .from(swapRequests)
    .where(
      and(
        eq(swapRequests.status, "open"),
        or(lte(swapRequests.start, now), and(isNotNull(swapRequests.offeredStart), lte(swapRequests.offeredStart, now))),
      ),
    )
    .orderBy(asc(swapRequests.id))
    )
    .map(swapFromRow);
}

/** The requester's open requests on a rotation that overlap [start, end). */
export async function overlappingOpenSwaps(db: Db, swap: Pick<NewSwap, "requester" | "team" | "rotation" | "start" | "end">): Promise<SwapRequest[]> {
  const { swapRequests } = tablesOf(db);
  return (await db
    .select()
    .from(swapRequests)
    .where(
      and(
        eq(swapRequests.status, "open"),
        eq(swapRequests.requesterId, swap.requester),
        eq(swapRequests.teamId, swap.team),
        eq(swapRequests.rotationId, swap.rotation),
        gt(swapRequests.end, swap.start),
        lt(swapRequests.start, swap.end),
      ),
    )
    )
    .map(swapFromRow);
}

export type Decision = {
  status: Exclude<SwapStatus, "open">;
  taker?: string;
  offered?: SwapRequest["offered"];
  onBehalfOf?: string | null;
  /** Anything else the audit entry should carry, such as the warnings the taker accepted. */
  details?: Record<string, unknown>;
};

/**
 * Closes an open request, and only an open one: the status test is in the
 * UPDATE itself, so of two writers the second changes nothing and learns it
 * lost. Returns the stored request, or null when it was no longer open.
 */
export async function decideSwap(w: WriteContext, id: number, decision: Decision, decidedBy: string): Promise<SwapRequest | null> {
  const { swapRequests } = tablesOf(w.tx);
  const before = await findSwap(w.tx, id);
  const result = (await w.tx
    .update(swapRequests)
    .set({
      status: decision.status,
      decidedBy,
      decidedAt: w.at,
      ...(decision.taker !== undefined ? { takerId: decision.taker } : {}),
      ...(decision.offered
        ? { offeredRotationId: decision.offered.rotation, offeredStart: decision.offered.start, offeredEnd: decision.offered.end }
        : {}),
    })
    .where(and(eq(swapRequests.id, id), eq(swapRequests.status, "open")))
    .returning({ id: swapRequests.id }));
  if (result.length !== 1) return null;
  const after = (await findSwap(w.tx, id))!;
  const action = { accepted: "swap.accept", declined: "swap.decline", cancelled: "swap.cancel", expired: "swap.expire" }[decision.status];
  await audit(w, {
    action,
    entity: "swap",
    entityId: String(id),
    before,
    after: { ...after, ...(decision.onBehalfOf ? { onBehalfOf: decision.onBehalfOf } : {}), ...decision.details },
  });
  return after;
}

/** Every member's display name, retired ones included, for requests that outlive their members. */
export async function memberNames(db: Db): Promise<Map<string, string>> {
  const { members } = tablesOf(db);
  return new Map((await db.select({ id: members.id, name: members.name }).from(members)).map((m) => [m.id, m.name]));
}
