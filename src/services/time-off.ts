import { deleteTimeOff, findMember, insertTimeOff, listTimeOff } from "../db/org-store";
import { notFound } from "../domain/errors";
import type { TimeOff } from "../domain/org-file";
import { inTransaction, requireSelfOrAdmin, useCase, type ServiceContext } from "./context";
import { followChange, teamsOf, type Replanned } from "./schedule";

function activeMember(ctx: ServiceContext, memberId: string) {
  const member = findMember(ctx.db, memberId);
  if (!member || member.retired) throw notFound(`member ${memberId}`);
  return member;
}

export function memberTimeOff(ctx: ServiceContext, memberId: string): TimeOff[] {
  activeMember(ctx, memberId);
  return listTimeOff(ctx.db, memberId);
}

/** Adds time off; the member's teams are re-planned so they are not left on call through it, in the same transaction. */
export function addTimeOff(ctx: ServiceContext, memberId: string, entry: Omit<TimeOff, "id" | "member">): TimeOff & { replanned: Replanned[] } {
  activeMember(ctx, memberId);
  requireSelfOrAdmin(ctx, memberId);
  return useCase(ctx, (ctx) => {
    const created = inTransaction(ctx, (w) => insertTimeOff(w, { ...entry, member: memberId }));
    ctx.changed({ members: [memberId] });
    return { ...created, replanned: followChange(ctx, teamsOf(ctx, memberId)) };
  });
}

export function removeTimeOff(ctx: ServiceContext, memberId: string, id: number): void {
  activeMember(ctx, memberId);
  requireSelfOrAdmin(ctx, memberId);
  useCase(ctx, (ctx) => {
    const removed = inTransaction(ctx, (w) => deleteTimeOff(w, memberId, id));
    if (!removed) throw notFound(`time off ${id} of ${memberId}`);
    ctx.changed({ members: [memberId] });
    followChange(ctx, teamsOf(ctx, memberId));
  });
}
