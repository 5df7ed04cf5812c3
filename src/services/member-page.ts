import { findMember, listTimeOff, loadOrg } from "../db/org-store";
import { plannedHorizons } from "../db/schedule-store";
import { notFound } from "../domain/errors";
import type { TimeOff } from "../domain/org-file";
import type { Eligibility } from "../domain/swaps";
import { shiftId } from "../domain/swaps";
import { DAY_MS, instantMs, toIsoZ } from "../domain/time";
import type { Shift } from "../domain/types";
import { memberCalendar, type CalendarLinks } from "./calendar";
import { labeller, type Labelled } from "./page-labels";
import { listSwapViews, swapsWaitingFor, upcomingShifts, type SwapDeps, type SwapView } from "./swaps";

export type MemberPageData = {
  member: { id: string; name: string; timeZone: string; email: string };
  /** Every planned shift from now to the end of the member's teams' plans. */
  shifts: (Shift & Labelled & { id: string; openRequest: number | null })[];
  horizon: string | null;
  timeOff: TimeOff[];
  waiting: { swap: SwapView & Labelled; check: Eligibility }[];
  mine: (SwapView & Labelled)[];
  teams: { id: string; name: string; rotations: string[] }[];
  calendar: CalendarLinks;
};

/** What a member's own page shows (the member, or an admin acting for them). */
export async function memberPageData(deps: SwapDeps, memberId: string): Promise<MemberPageData> {
  const { ctx } = deps;
  const member = await findMember(ctx.db, memberId);
  if (!member || member.retired) throw notFound(`member ${memberId}`);
  const label = await labeller(ctx);
  const org = await loadOrg(ctx.db);
  const teams = org.teams
    .filter((t) => t.rotations.some((r) => r.members.includes(memberId)))
    .map((t) => ({ id: t.id, name: t.name, rotations: t.rotations.filter((r) => r.members.includes(memberId)).map((r) => r.name) }));
  const horizons = await plannedHorizons(ctx.db);
  const horizon = teams.reduce<string | null>((max, t) => {
    const end = horizons.get(t.id) ?? null;
    return end !== null && (max === null || end > max) ? end : max;
  }, null);
  const now = toIsoZ(ctx.clock.now());
  const days = horizon === null ? 0 : Math.max(0, Math.ceil((instantMs(horizon) - instantMs(now)) / DAY_MS));
  const mine = (await listSwapViews(deps, { member: memberId })).swaps.filter((s) => s.requester.id === memberId);
  const openRequest = (shift: Shift) =>
    mine.find((s) => s.status === "open" && s.team === shift.team && s.rotation === shift.rotation && s.start < shift.end && shift.start < s.end)?.id ?? null;
  return {
    member: { id: member.id, name: member.name, timeZone: member.timeZone, email: member.email },
    shifts: (await upcomingShifts(ctx, memberId, days)).map((s) => ({ ...label(s), id: shiftId(s), openRequest: openRequest(s) })),
    horizon,
    timeOff: await listTimeOff(ctx.db, memberId),
    waiting: (await swapsWaitingFor(deps, memberId)).map((w) => ({ swap: label(w.swap), check: w.check })),
    mine: mine.map(label),
    teams,
    calendar: await memberCalendar(ctx, memberId),
  };
}

/** The active members an admin may act for, by name. */
export async function membersToActFor(deps: SwapDeps): Promise<{ id: string; name: string }[]> {
  return (await loadOrg(deps.ctx.db))
    .members.map((m) => ({ id: m.id, name: m.name }))
    .sort((a, b) => a.name.localeCompare(b.name));
}
