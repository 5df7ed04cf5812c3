import { activeCounts, exportOrg, orgChanged, saveOrg, type ImportSummary } from "../db/org-store";
import { plannedHorizons } from "../db/schedule-store";
import { revokeAllOf } from "../db/token-store";
import type { WriteContext } from "../db/audit";
import { conflict } from "../domain/errors";
import type { Handover } from "../domain/handover";
import type { OrgFile } from "../domain/org-file";
import { instantMs } from "../domain/time";
import { inTransaction, rehearse, requireAdmin, useCase, type ServiceContext } from "./context";
import { applySchedule, followChange, type Replanned } from "./schedule";
import { ensureFeedTokens } from "./tokens";

export type ImportResult = ImportSummary & {
  replanned: Replanned[];
  /** Teams that had nothing planned ahead (new or revived ones), planned BATON_PLAN_WEEKS ahead by this import. */
  planned: { team: string; weeks: number }[];
  /** Every week or part of a week that changes hands, in the teams' plans. */
  handovers: Handover[];
};

/**
 * Stores a validated org file and re-plans what it touched, as one use case:
 * the teams whose rotations or members changed follow at once (nobody who
 * left keeps a week), and a team with nothing planned ahead is planned to the
 * configured horizon. All of it commits together or not at all.
 */
export function importOrg(ctx: ServiceContext, org: OrgFile, options: ImportOptions = {}): Promise<ImportResult> {
  requireAdmin(ctx);
  return useCase(ctx, async (ctx) => {
    const handovers: Handover[] = [];
    const collect: ServiceContext = {
      ...ctx,
      changed: (notice) => {
        handovers.push(...(notice.handovers ?? []));
        ctx.changed(notice);
      },
    };
    const summary = await inTransaction(collect, async (w) => {
          if (!options.allowEmpty) await refuseEmptying(w, org);
          const saved = await endAccessOfRetired(w, await saveOrg(w, org));
          await ensureFeedTokens({ tx: w.tx, secret: ctx.db.secret }, org.members.map((m) => m.id), org.teams.map((t) => t.id));
          return saved;
        });
    collect.changed({ all: true });
    const touched = orgChanged(summary);
    const horizons = await plannedHorizons(ctx.db);
    const now = ctx.clock.now().toMillis();
    const unplanned = new Set(
      [...summary.teams.created, ...summary.teams.updated].filter((team) => {
        const horizon = horizons.get(team);
        return !horizon || instantMs(horizon) <= now;
      }),
    );
    const replanned = touched ? await followChange(collect, org.teams.map((t) => t.id).filter((team) => !unplanned.has(team))) : [];
    const weeks = ctx.config.BATON_PLAN_WEEKS;
    const planned: { team: string; weeks: number }[] = [];
    for (const team of options.planNewTeams === false ? [] : unplanned) {
      await applySchedule(collect, team, { weeks });
      planned.push({ team, weeks });
    }
    return { ...summary, replanned, planned, handovers };
  });
}

export type ImportPreview = ImportResult & {
  dryRun: true;
  /** Whether applying the file would change anything: `baton diff` exits 3 when it would. */
  changes: boolean;
};

/**
 * Exactly what importing `org` would do — the import and every re-plan it
 * causes are run for real in a transaction that is then rolled back, so the
 * answer cannot drift from the import itself. Nothing is stored or announced.
 */
export async function previewImport(ctx: ServiceContext, org: OrgFile, options: ImportOptions = {}): Promise<ImportPreview> {
  requireAdmin(ctx);
  const result = await rehearse(ctx, (ctx) => importOrg(ctx, org, options));
  const changes = orgChanged(result) || result.handovers.length > 0 || result.planned.length > 0;
  return { dryRun: true, changes, ...result };
}

export type ImportOptions = {
  allowEmpty?: boolean;
  /** Plan teams with nothing planned ahead to BATON_PLAN_WEEKS (default); a migration plans them itself, after their history. */
  planNewTeams?: boolean;
};

/** A file with nobody in it is more often the wrong file than the end of the org: it takes a flag. */
async function refuseEmptying(w: WriteContext, org: OrgFile): Promise<void> {
  if (org.members.length > 0 || org.teams.length > 0) return;
  const active = await activeCounts(w.tx);
  if (active.members === 0 && active.teams === 0) return;
  throw conflict(
    `this import would retire every member (${active.members}) and team (${active.teams}); send ?allowEmpty=true (baton import --allow-empty) if that is what you mean`,
  );
}

/** Retiring ends access at once: sign-in links, sessions and feeds. One who comes back gets new ones. */
async function endAccessOfRetired(w: WriteContext, summary: ImportSummary): Promise<ImportSummary> {
  for (const memberId of summary.members.retired) await revokeAllOf(w.tx, { memberId }, w.at);
  for (const teamId of summary.teams.retired) await revokeAllOf(w.tx, { teamId }, w.at);
  return summary;
}

export function getOrg(ctx: ServiceContext): Promise<OrgFile> {
  return exportOrg(ctx.db);
}
