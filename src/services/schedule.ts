import { z } from "zod";
import type { Db } from "../db/open";
import { findMember, listTimeOff, loadOrg, loadTeam, teamIdsWithMembers, teamMembership, teamsSharingMembers } from "../db/org-store";
import {
  activeOverrides,
  cancelOverride,
  currentAssignments,
  insertOverride,
  plannedHorizons,
  storeAssignments,
  type StoredChange,
} from "../db/schedule-store";
import type { WriteContext } from "../db/audit";
import { notFound } from "../domain/errors";
import { handoversBetween, type Handover } from "../domain/handover";
import { holidayCovers } from "../domain/holiday-cover";
import { handoffClock, weekContaining, weeksFrom } from "../domain/weeks";
import { planTeam, type Conflict, type OnCallElsewhere, type PlanResult } from "../domain/rota";
import { teamPool } from "../domain/fairness";
import { expandShifts } from "../domain/shifts";
import type { Team } from "../domain/org-file";
import { DateTime } from "luxon";
import { dateSchema } from "../domain/input";
import { DAY_MS, HOUR_MS, instantMs, isValidDate, LAST_PLANNABLE_DATE, LAST_PLANNABLE_MS, toIsoZ } from "../domain/time";
import type { Override, Shift } from "../domain/types";
import { joinWeekInProgress } from "../domain/week-boundary";
import { highsSolver } from "./exact-solver";
import { overrideConflicts } from "../domain/override-conflicts";
import { TeamAvailability } from "../domain/week-availability";
import { inTransaction, requireAdmin, type ServiceContext, mapInTurn } from "./context";

export const planRequestSchema = z.strictObject({
  from: dateSchema.optional(),
  weeks: z.number().int().min(1, "plan at least one week").max(104, "plan at most 104 weeks (two years) at once"),
}).refine((r) => r.from === undefined || !isValidDate(r.from) || Date.parse(r.from) + (r.weeks + 1) * 7 * DAY_MS <= LAST_PLANNABLE_MS, {
  path: ["weeks"],
  message: `from + weeks must end by ${LAST_PLANNABLE_DATE}, the last week Baton plans`,
});
export type PlanRequest = z.output<typeof planRequestSchema>;

type TeamContext = NonNullable<Awaited<ReturnType<typeof loadTeam>>>;

async function loadTeamOrThrow(db: Db, teamId: string): Promise<TeamContext> {
  const context = await loadTeam(db, teamId);
  if (!context) throw notFound(`team ${teamId}`);
  return context;
}

/** The plan for a team from one consistent view of the database. */
async function computePlan(db: Db, ctx: ServiceContext, context: TeamContext, request: PlanRequest, given?: readonly OnCallElsewhere[]) {
  const elsewhere = given ?? (await onCallElsewhere(db, context.team, ctx.clock.now())).weeks;
  const { team } = context;
  const now = ctx.clock.now();
  const fromDate = request.from ?? planStartDate(team, now);
  const plan = planTeam({
    team,
    members: context.members,
    timeOff: context.timeOff,
    stored: await currentAssignments(db, team.id),
    overrides: await activeOverrides(db, team.id),
    membership: await teamMembership(db, team),
    elsewhere,
    exact: highsSolver,
    fromDate,
    weeks: request.weeks,
    now,
  });
  return { fromDate, plan };
}

/**
 * Where a plan without `from` starts: the week in force now in every rotation
 * (on the handoff day before the handoff, that is last week's), so the
 * earliest of the rotations' week start dates.
 */
function planStartDate(team: Team, now: DateTime): string {
  return team.rotations.map((r) => weekContaining(handoffClock(team, r), now).startDate).sort()[0]!;
}

/**
 * This team's members' on-call time, from now on, in the other teams they
 * belong to, seen two ways. `weeks`: the weeks after swaps and admin
 * overrides, what the planner keeps anyone from holding two of at once.
 * Other teams' holiday covers are left out of it: they follow from the plans
 * (and are recomputed when this one changes), so a day's cover there must not
 * make its taker look busy for a whole week here. `final`: every shift,
 * covers included, which this team's own covers must avoid.
 */
async function onCallElsewhere(db: Db, team: Team, now: DateTime): Promise<{ weeks: OnCallElsewhere[]; final: OnCallElsewhere[] }> {
  const pool = new Set(teamPool(team));
  const from = toIsoZ(now.minus({ days: 1 }));
  const elsewhere = { weeks: [] as OnCallElsewhere[], final: [] as OnCallElsewhere[] };
  const collect = (into: OnCallElsewhere[], shifts: readonly Shift[]) => {
    for (const shift of shifts) if (shift.member !== null && pool.has(shift.member)) into.push({ member: shift.member, start: shift.start, end: shift.end });
  };
  for (const other of await teamsSharingMembers(db, team.id, [...pool])) {
    const stored = await currentAssignments(db, other.id);
    const to = stored.reduce((max, a) => (a.weekEnd > max ? a.weekEnd : max), from);
    if (to <= from) continue;
    const overrides = await activeOverrides(db, other.id);
    collect(elsewhere.weeks, expandShifts(other, stored, overrides.filter((o) => o.source !== "holiday-cover"), from, to));
    collect(elsewhere.final, expandShifts(other, stored, overrides, from, to));
  }
  return elsewhere;
}

function describePlan(context: TeamContext, fromDate: string, request: PlanRequest, plan: PlanResult) {
  const names = new Map(context.members.map((m) => [m.id, m.name]));
  return {
    team: context.team.id,
    from: fromDate,
    weeks: request.weeks,
    assignments: plan.assignments.map((a) => ({ ...a, memberName: a.member ? (names.get(a.member) ?? a.member) : null })),
    changes: plan.changes,
    conflicts: plan.conflicts,
  };
}

/** The plan a regeneration would make and how it differs from what is stored; changes nothing. */
export async function planSchedule(ctx: ServiceContext, teamId: string, request: PlanRequest) {
  const context = await loadTeamOrThrow(ctx.db, teamId);
  const { fromDate, plan } = await computePlan(ctx.db, ctx, context, request);
  return describePlan(context, fromDate, request, plan);
}

const sameCover = (a: Override, b: Override) =>
  a.rotation === b.rotation && a.start === b.start && a.end === b.end && a.member === b.member && a.replacedMember === b.replacedMember;

/**
 * Brings the stored holiday covers of [from, to) in line with the schedule:
 * covers that no longer apply are cancelled (kept for history), new ones
 * stored. Answers how many changed and the `block` holidays nobody could take.
 */
async function storeHolidayCovers(w: WriteContext, { team, members, timeOff }: TeamContext, from: string, to: string, elsewhere: OnCallElsewhere[]): Promise<{ changed: number; conflicts: PlanResult["conflicts"] }> {
  const overrides = await activeOverrides(w.tx, team.id);
  const existing = overrides.filter((o) => o.source === "holiday-cover");
  const ledgerHint: Record<string, number> = {};
  for (const o of existing) {
    if (o.start < from) ledgerHint[o.member] = (ledgerHint[o.member] ?? 0) + (instantMs(o.end) - instantMs(o.start)) / HOUR_MS;
  }
  const { covers: wanted, unheld } = holidayCovers({
    team,
    members,
    timeOff,
    assignments: await currentAssignments(w.tx, team.id),
    // Covers begun before `from` stand, like swaps and admin overrides.
    overrides: overrides.filter((o) => o.source !== "holiday-cover" || o.start < from),
    elsewhere,
    from,
    to,
    ledgerHint,
  });
  const inRange = existing.filter((o) => o.start >= from && o.start < to);
  let changed = 0;
  for (const old of inRange) {
    if (wanted.some((cover) => sameCover(cover, old))) continue;
    await cancelOverride(w, old.id);
    changed++;
  }
  for (const cover of wanted) {
    if (inRange.some((old) => sameCover(cover, old))) continue;
    await insertOverride(w, cover);
    changed++;
  }
  const conflicts = unheld.map((u) => ({ rotation: u.rotation, weekStart: u.start, member: u.member, problem: u.problem }));
  return { changed, conflicts };
}

/**
 * Swaps and admin overrides whose holder can no longer serve what is left of
 * them are cancelled from now on (the part already served is kept, so the
 * past stays as it was), and the re-plan that follows gives that time to an
 * eligible member by the planner's objective. Answers each as a conflict.
 */
async function handBackUnservable(w: WriteContext, { team, members, timeOff }: TeamContext): Promise<PlanResult["conflicts"]> {
  const overrides = await activeOverrides(w.tx, team.id);
  if (overrides.length === 0) return [];
  const now = instantMs(w.at);
  const span = { start: Math.min(now, ...overrides.map((o) => instantMs(o.start))), end: Math.max(now, ...overrides.map((o) => instantMs(o.end))) };
  // An admin may put anyone active in the org on call, not only the team's own members.
  const known = new Set(members.map((m) => m.id));
  const outsiders = (
    await mapInTurn([...new Set(overrides.map((o) => o.member).filter((id) => !known.has(id)))], async (id) => {
      const member = await findMember(w.tx, id);
      return member && !member.retired ? [member] : [];
    })
  ).flat();
  const outsidersTimeOff = (await mapInTurn(outsiders, (m) => listTimeOff(w.tx, m.id))).flat();
  const availability = new TeamAvailability(team, [...members, ...outsiders], [...timeOff, ...outsidersTimeOff], span);
  const conflicts: Conflict[] = [];
  for (const { override: o, problem } of overrideConflicts(team, overrides, availability, now)) {
    await cancelOverride(w, o.id);
    if (o.start < w.at) await insertOverride(w, { ...o, end: w.at });
    conflicts.push({ rotation: o.rotation, weekStart: o.start, member: o.member, problem: `${problem}: handed back to the plan` });
  }
  return conflicts;
}

export type ApplyResult = Awaited<ReturnType<typeof describePlan>> & { changes: StoredChange[]; holidayCovers: number; handovers: Handover[] };

/** Stores the plan in one transaction (planned from the state inside it) and answers what changed. */
export function applySchedule(ctx: ServiceContext, teamId: string, request: PlanRequest): Promise<ApplyResult> {
  requireAdmin(ctx);
  return storePlan(ctx, teamId, request);
}

async function storePlan(ctx: ServiceContext, teamId: string, request: PlanRequest): Promise<ApplyResult> {
  const result = await inTransaction(ctx, async (w) => {
      const context = await loadTeamOrThrow(w.tx, teamId);
      const handedBack = await handBackUnservable(w, context);
      // Other teams' shifts do not change inside this use case: read once for the plan and its holiday covers.
      const elsewhere = await onCallElsewhere(w.tx, context.team, ctx.clock.now());
      const { fromDate, plan } = await computePlan(w.tx, ctx, context, request, elsewhere.weeks);
      plan.conflicts.push(...handedBack);
      const before = await currentAssignments(w.tx, teamId);
      const changes = await storeAssignments(w, teamId, joinWeekInProgress(context.team, before, plan.assignments, ctx.clock.now().toMillis()));
      const handovers = handoversBetween(teamId, before, await currentAssignments(w.tx, teamId));
      // Covers are recomputed only from now on: the past is never rewritten.
      const horizonEnd = plan.assignments.reduce((max, a) => (a.weekEnd > max ? a.weekEnd : max), w.at);
      const covers = horizonEnd > w.at ? await storeHolidayCovers(w, context, w.at, horizonEnd, elsewhere.final) : { changed: 0, conflicts: [] };
      plan.conflicts.push(...covers.conflicts);
      const stored = { ...describePlan(context, fromDate, request, plan), changes, holidayCovers: covers.changed, handovers };
      const wrote = changes.length > 0 || covers.changed > 0 || handedBack.length > 0;
      return { stored, wrote, followed: wrote ? await followSharedCovers(w, ctx, context.team) : [] };
    });
  if (result.wrote) ctx.changed({ teams: [teamId, ...result.followed], handovers: result.stored.handovers });
  return result.stored;
}

/**
 * After a team's shifts change, the covers (from now on) of the teams sharing
 * its members follow, so that a cover given there cannot leave someone in two
 * places at once; each team whose covers changed passes it on, a bounded
 * number of rounds. Weeks are not re-planned: only the day-level covers move.
 * Answers the teams whose covers changed.
 */
async function followSharedCovers(w: WriteContext, ctx: ServiceContext, changedTeam: Team): Promise<string[]> {
  const followed = new Set<string>();
  let changed = [changedTeam];
  // Only covers move from here on, so how far each team is planned stays as read now.
  const horizons = await plannedHorizons(w.tx);
  for (let round = 0; round < 2 * horizons.size + 1 && changed.length > 0; round++) {
    const next = new Map<string, Team>();
    for (const source of changed) {
      for (const other of await teamsSharingMembers(w.tx, source.id, teamPool(source))) {
        if (next.has(other.id)) continue;
        const horizonEnd = horizons.get(other.id) ?? w.at;
        const context = horizonEnd > w.at ? await loadTeam(w.tx, other.id) : undefined;
        if (!context) continue;
        const covers = await storeHolidayCovers(w, context, w.at, horizonEnd, (await onCallElsewhere(w.tx, other, ctx.clock.now())).final);
        if (covers.changed === 0) continue;
        followed.add(other.id);
        next.set(other.id, other);
      }
    }
    changed = [...next.values()];
  }
  return [...followed];
}

export type Replanned = { team: string; changes: StoredChange[]; conflicts: PlanResult["conflicts"] };

/**
 * Re-plans teams over the weeks they have planned from now on, after a change
 * the schedule must follow (time off, a member leaving a rotation), so that
 * nobody stays on call through their time off or after they left. The planner
 * keeps every week it can, so only what the change forces moves; teams with
 * nothing planned ahead are left alone.
 */
export async function followChange(ctx: ServiceContext, teamIds: readonly string[]): Promise<Replanned[]> {
  const horizons = await plannedHorizons(ctx.db);
  const now = ctx.clock.now();
  const replanned = new Map<string, Replanned>();
  // A re-plan that moves weeks can free or take members that teams sharing them (planned before it, or not in
  // the list at all) counted on, so those follow until nothing moves; the bound only guards against a cycle.
  const queue = [...new Set(teamIds)];
  for (let step = 0; queue.length > 0 && step < 3 * horizons.size + teamIds.length; step++) {
    const teamId = queue.shift()!;
    const horizon = horizons.get(teamId);
    if (!horizon || instantMs(horizon) <= now.toMillis()) continue;
    const team = (await loadTeam(ctx.db, teamId))?.team;
    if (!team) continue;
    // Exactly up to the planned horizon, counted from where the plan starts, in the rotation that needs the most
    // weeks to reach it: each rotation's weeks must reach it (follow-the-sun regions hand over hours apart), and a
    // re-plan must not plan further ahead.
    const fromDate = planStartDate(team, now);
    const weeksTo = (rotation: Team["rotations"][number]) => Math.round((instantMs(horizon) - instantMs(weeksFrom(handoffClock(team, rotation), fromDate, 1)[0]!.start)) / (7 * DAY_MS));
    const weeks = Math.min(104, Math.max(1, ...team.rotations.map(weeksTo)));
    const result = await storePlan(ctx, teamId, { weeks });
    if (result.changes.length > 0 || result.conflicts.length > 0) {
      const earlier = replanned.get(teamId);
      replanned.set(teamId, { team: teamId, changes: [...(earlier?.changes ?? []), ...result.changes], conflicts: [...(earlier?.conflicts ?? []), ...result.conflicts] });
    }
    if (result.changes.length === 0) continue;
    for (const other of await teamIdsWithMembers(ctx.db, teamPool(team))) if (other !== teamId && !queue.includes(other)) queue.push(other);
  }
  return [...replanned.values()];
}

/** The teams in whose rotations any of these members stands. */
export function teamsOf(ctx: ServiceContext, memberIds: readonly string[]): Promise<string[]> {
  return teamIdsWithMembers(ctx.db, memberIds);
}

/** Keeps every team planned `weeks` ahead; run at start. Re-applying an unchanged plan changes nothing. */
export async function planAhead(ctx: ServiceContext, weeks: number): Promise<{ team: string; changes: number }[]> {
  const planned: { team: string; changes: number }[] = [];
  for (const team of (await loadOrg(ctx.db)).teams) planned.push({ team: team.id, changes: (await applySchedule(ctx, team.id, { weeks })).changes.length });
  return planned;
}
