import { z } from "zod";
import { findMember, loadTeam } from "../db/org-store";
import { activeOverrides, cancelOverride, currentAssignments, findOverride, insertOverride, type StoredOverride } from "../db/schedule-store";
import { invalid, notFound } from "../domain/errors";
import type { Handover } from "../domain/handover";
import { expandShifts } from "../domain/shifts";
import { DAY_MS, instantMs, toIsoZ, tryParseInstant } from "../domain/time";
import { inTransaction, requireAdmin, useCase, type ServiceContext } from "./context";
import { followChange, teamsOf } from "./schedule";

const instant = z
  .string()
  .refine((s) => tryParseInstant(s) !== null, "must be an ISO 8601 instant with an offset or Z")
  .transform((s) => toIsoZ(tryParseInstant(s)!));

// An override is a few hours or days of cover; longer belongs in the rotation itself.
const MAX_OVERRIDE_DAYS = 92;

export const overrideRequestSchema = z
  .strictObject({
    rotation: z.string().min(1, "name the rotation"),
    member: z.string().min(1, "name the member who goes on call"),
    start: instant,
    end: instant,
    note: z.string().max(500, "at most 500 characters").optional(),
  })
  .superRefine((o, ctx) => {
    if (!tryParseInstant(o.start) || !tryParseInstant(o.end)) return;
    if (o.end <= o.start) ctx.addIssue({ code: "custom", path: ["end"], message: "must be after start" });
    else if (instantMs(o.end) - instantMs(o.start) > MAX_OVERRIDE_DAYS * DAY_MS) {
      ctx.addIssue({ code: "custom", path: ["end"], message: `an override lasts at most ${MAX_OVERRIDE_DAYS} days` });
    }
  });
export type OverrideRequest = z.output<typeof overrideRequestSchema>;

export type OverrideView = {
  id: number;
  team: string;
  rotation: string;
  member: string;
  replacedMember: string | null;
  start: string;
  end: string;
  note: string | null;
  createdBy: string;
  recordedAt: string;
};

const view = (o: StoredOverride): OverrideView => ({
  id: o.id,
  team: o.team,
  rotation: o.rotation,
  member: o.member,
  replacedMember: o.replacedMember,
  start: o.start,
  end: o.end,
  note: o.note,
  createdBy: o.createdBy,
  recordedAt: o.recordedAt,
});

async function teamOrThrow(ctx: ServiceContext, teamId: string) {
  const context = await loadTeam(ctx.db, teamId);
  if (!context) throw notFound(`team ${teamId}`);
  return context.team;
}

/**
 * Who holds [start, end) of a rotation, piece by piece (after the overrides
 * already in force), other than `member`: what an override takes from whom,
 * or gives back to whom once removed. An override paints over shifts only,
 * so where the rotation is not on call (between windows) nothing changes hands.
 */
async function heldExcept(ctx: ServiceContext, teamId: string, range: { rotation: string; start: string; end: string }, member: string) {
  const team = await teamOrThrow(ctx, teamId);
  return expandShifts(team, await currentAssignments(ctx.db, teamId), await activeOverrides(ctx.db, teamId), range.start, range.end).filter(
    (s) => s.rotation === range.rotation && s.member !== member,
  );
}

/** The team, and every other team of the members whose time an override moves. */
async function teamsAround(ctx: ServiceContext, teamId: string, members: readonly (string | null)[]): Promise<string[]> {
  return [teamId, ...(await teamsOf(ctx, members.filter((m): m is string => m !== null)))];
}

/**
 * An admin puts someone on call for [start, end) of a rotation. The lookup,
 * shifts, feeds, fairness and history follow at once; where overrides
 * overlap, the later one wins.
 */
export function createOverride(ctx: ServiceContext, teamId: string, input: OverrideRequest): Promise<OverrideView & { handovers: Handover[] }> {
  requireAdmin(ctx);
  return useCase(ctx, async (ctx) => {
    const team = await teamOrThrow(ctx, teamId);
    if (!team.rotations.some((r) => r.id === input.rotation)) {
      throw invalid([{ path: "rotation", message: `${teamId} has no rotation ${input.rotation}; it has ${team.rotations.map((r) => r.id).join(", ")}` }]);
    }
    const member = await findMember(ctx.db, input.member);
    if (!member || member.retired) throw invalid([{ path: "member", message: `no member ${input.member}` }]);
    const why = input.note ? `override: ${input.note}` : "override by an admin";
    const handovers: Handover[] = (await heldExcept(ctx, teamId, input, input.member)).map((s) => ({
      team: teamId,
      rotation: input.rotation,
      start: s.start,
      end: s.end,
      from: s.member,
      to: input.member,
      source: "override",
      why,
    }));
    const stored = await inTransaction(ctx, (w) =>
          insertOverride(w, {
            team: teamId,
            rotation: input.rotation,
            start: input.start,
            end: input.end,
            member: input.member,
            replacedMember: handovers[0]?.from ?? null,
            source: "override",
            note: input.note ?? null,
          }),
        );
    ctx.changed({ teams: [teamId], members: [input.member], handovers });
    // The override counts in the ledger at once, and its holder is busy, and those it relieves free, in their
    // other teams: all of them are re-planned with it.
    await followChange(ctx, await teamsAround(ctx, teamId, [input.member, ...handovers.map((h) => h.from)]));
    return { ...view(stored), handovers };
  });
}

/** The admin overrides in force on a team, by start. */
export async function listOverrides(ctx: ServiceContext, teamId: string): Promise<{ overrides: OverrideView[] }> {
  await teamOrThrow(ctx, teamId);
  const list = (await activeOverrides(ctx.db, teamId))
    .filter((o) => o.source === "override")
    .sort((a, b) => a.start.localeCompare(b.start) || a.id - b.id);
  return { overrides: list.map(view) };
}

/** Cancels an admin override (kept for history); the schedule, or an earlier override, holds the time again. */
export function removeOverride(ctx: ServiceContext, teamId: string, id: number): Promise<{ handovers: Handover[] }> {
  requireAdmin(ctx);
  return useCase(ctx, async (ctx) => {
    await teamOrThrow(ctx, teamId);
    const override = await findOverride(ctx.db, teamId, id);
    if (!override || override.source !== "override" || override.cancelledAt !== null) throw notFound(`override ${id} of ${teamId}`);
    await inTransaction(ctx, (w) => cancelOverride(w, id));
    const handovers: Handover[] = (await heldExcept(ctx, teamId, override, override.member)).map((s) => ({
      team: teamId,
      rotation: override.rotation,
      start: s.start,
      end: s.end,
      from: override.member,
      to: s.member,
      source: "override",
      why: `override #${id} removed`,
    }));
    ctx.changed({ teams: [teamId], members: [override.member], handovers });
    await followChange(ctx, await teamsAround(ctx, teamId, [override.member, ...handovers.map((h) => h.to)]));
    return { handovers };
  });
}
