import { storeImportedHistory } from "../db/history-store";
import { activeOverrides, currentAssignments, insertOverride } from "../db/schedule-store";
import { describeChanges, planMigration, type ChangeSummary, type FixedInterval, type HistoryWeek, type MigrationPlan } from "../domain/migrate/plan";
import type { VendorSnapshot } from "../domain/migrate/snapshot";
import { orgFileSchema, type OrgFile } from "../domain/org-file";
import { DAY_MS, isoFromMs } from "../domain/time";
import { parseOrThrow } from "../domain/validation";
import { inTransaction, requireAdmin, useCase, type ServiceContext, mapInTurn } from "./context";
import { getOrg, importOrg } from "./org";
import { applySchedule } from "./schedule";

export type MigrationResult = {
  plan: MigrationPlan;
  /** The org file imported (or, in a dry run, the one that would be). */
  org: OrgFile;
  changes: ChangeSummary;
  kept: { add: FixedInterval[]; alreadyStored: number };
  /** The past imported for the teams this migration created (others keep their own history). */
  history: { from: string; teams: string[]; weeks: HistoryWeek[]; intervals: FixedInterval[] };
  stored: boolean;
};

/** How far back the vendor's on-call is imported as history. */
export const HISTORY_DAYS = 90;

/** What a migration reads of the vendor's schedule: the past [historyFrom, now) and the kept weeks [now, keepUntil). */
export function migrationSpan(nowMs: number, keepWeeks: number): { historyFrom: string; now: string; keepUntil: string } {
  return { historyFrom: isoFromMs(nowMs - HISTORY_DAYS * DAY_MS), now: isoFromMs(nowMs), keepUntil: isoFromMs(nowMs + keepWeeks * 7 * DAY_MS) };
}

const sameInterval = (a: FixedInterval, b: { rotation: string; start: string; end: string; member: string }) =>
  a.rotation === b.rotation && a.start === b.start && a.end === b.end && a.member === b.member;

/**
 * Takes over a vendor's people, teams, rotations and escalation into the org
 * as it stands (adding and updating, retiring nothing), then keeps the
 * vendor's own schedule for the kept weeks as fixed overrides so that nobody's
 * announced weeks change on switch day. A dry run computes all of it against
 * the current org and stores nothing.
 */
export async function migrateOrg(ctx: ServiceContext, input: { snapshot: VendorSnapshot; keepWeeks: number; dryRun: boolean }): Promise<MigrationResult> {
  requireAdmin(ctx);
  if (input.dryRun) return { ...await prepare(ctx, input), stored: false };
  // One transaction for all of it, read and write: the services it calls join it, and their change
  // notices wait for the commit, so a failure half way leaves nothing stored.
  return useCase(ctx, async (inner) => {
    const prepared = await prepare(inner, input);
    const { org, plan, history } = prepared;
    await importOrgFile(inner, org);
    // Before planning: the week in force now is then the vendor's, and a re-plan that changes it keeps the vendor's for the past.
    await inTransaction(inner, (w) => storeImportedHistory(w, history.from, history.weeks, history.intervals));
    // The kept weeks need planned weeks to lie over: the week in force now and every one they reach into.
    for (const team of plan.teams) await applySchedule(inner, team.id, { weeks: input.keepWeeks + 1 });
    await storeFixedIntervals(inner, prepared.kept.add);
    // Holiday covers follow the fixed intervals: planned again over them, the next run finds nothing to change.
    for (const team of plan.teams) await applySchedule(inner, team.id, { weeks: input.keepWeeks + 1 });
    return { ...prepared, stored: true };
  });
}

/** Everything a migration would do, computed against the org as it stands; stores nothing. */
async function prepare(ctx: ServiceContext, input: { snapshot: VendorSnapshot; keepWeeks: number }) {
  const existing = await getOrg(ctx);
  const span = migrationSpan(ctx.clock.now().toMillis(), input.keepWeeks);
  const plan = planMigration({ snapshot: input.snapshot, existing, ...span });
  const org = parseOrThrow(orgFileSchema, plan.org);
  const changes = describeChanges(existing, org, { members: plan.members.map((m) => m.id), teams: plan.teams.map((t) => t.id) });
  const stored = new Map(await mapInTurn(plan.teams, async (t) => [t.id, (await activeOverrides(ctx.db, t.id)).filter((o) => o.source === "override")] as const));
  const add = plan.fixed.filter((f) => !stored.get(f.team)?.some((o) => sameInterval(f, o)));
  // History only for the teams this migration creates: a team that existed (even one retired since) has its own.
  const created = new Set<string>();
  for (const team of changes.teams.created) if ((await currentAssignments(ctx.db, team)).length === 0) created.add(team);
  const history = {
    from: span.historyFrom,
    teams: [...created],
    weeks: plan.history.weeks.filter((w) => created.has(w.team)),
    intervals: plan.history.intervals.filter((i) => created.has(i.team)),
  };
  return { plan, org, changes, kept: { add, alreadyStored: plan.fixed.length - add.length }, history };
}

/** The one place a migration imports its org file. */
async function importOrgFile(ctx: ServiceContext, org: OrgFile): Promise<void> {
  // New teams are planned after their history is stored, which the planner then builds on.
  await importOrg(ctx, org, { planNewTeams: false });
}

/** The one place a migration stores the vendor's kept schedule: admin overrides. */
async function storeFixedIntervals(ctx: ServiceContext, intervals: readonly FixedInterval[]): Promise<void> {
  if (intervals.length === 0) return;
  await inTransaction(ctx, async (w) => {
        for (const f of intervals) {
          await insertOverride(w, { team: f.team, rotation: f.rotation, start: f.start, end: f.end, member: f.member, replacedMember: null, source: "override" });
        }
      });
  ctx.changed({ teams: [...new Set(intervals.map((f) => f.team))] });
}
