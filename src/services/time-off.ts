import { deleteTimeOff, findMember, insertTimeOff, listTimeOff } from "../db/org-store";
import { notFound } from "../domain/errors";
import type { TimeOff } from "../domain/org-file";
import { inTransaction, requireSelfOrAdmin, useCase, type ServiceContext } from "./context";
import { followChange, teamsOf, type Replanned } from "./schedule";

async function activeMember(ctx: ServiceContext, memberId: string) {
  const member = await findMember(ctx.db, memberId);
  if (!member || member.retired) throw notFound(`member ${memberId}`);
  return member;
}

export async function memberTimeOff(ctx: ServiceContext, memberId: string): Promise<TimeOff[]> {
  await activeMember(ctx, memberId);
  return listTimeOff(ctx.db, memberId);
}

/** Adds time off; the member's teams are re-planned so they are not left on call through it, in the same transaction. */
export async function addTimeOff(ctx: ServiceContext, memberId: string, entry: Omit<TimeOff, "id" | "member">): Promise<TimeOff & { replanned: Replanned[] }> {
  await activeMember(ctx, memberId);
  requireSelfOrAdmin(ctx, memberId);
  return useCase(ctx, async (ctx) => {
    const created = await inTransaction(ctx, (w) => insertTimeOff(w, { ...entry, member: memberId }));
    ctx.changed({ members: [memberId] });
    return { ...created, replanned: await followChange(ctx, await teamsOf(ctx, [memberId])) };
  });
}

export async function removeTimeOff(ctx: ServiceContext, memberId: string, id: number): Promise<void> {
  await activeMember(ctx, memberId);
  requireSelfOrAdmin(ctx, memberId);
  await useCase(ctx, async (ctx) => {
        const removed = await inTransaction(ctx, (w) => deleteTimeOff(w, memberId, id));
        if (!removed) throw notFound(`time off ${id} of ${memberId}`);
        ctx.changed({ members: [memberId] });
        await followChange(ctx, await teamsOf(ctx, [memberId]));
      });
}
