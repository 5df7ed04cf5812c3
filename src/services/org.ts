import { activeCounts, exportOrg, saveOrg, type ImportSummary } from "../db/org-store";
import { conflict } from "../domain/errors";
import { revokeAllOf } from "../db/token-store";
import type { WriteContext } from "../db/audit";
import type { OrgFile } from "../domain/org-file";
import { inTransaction, requireAdmin, type ServiceContext } from "./context";
import { followChange, type Replanned } from "./schedule";

/**
 * Stores a validated org file in one transaction, then re-plans the teams
 * whose plans it touched, so that a member who left a rotation is not left
 * holding its future weeks.
 */
export function importOrg(ctx: ServiceContext, org: OrgFile, options: ImportOptions = {}): ImportSummary & { replanned: Replanned[] } {
  requireAdmin(ctx);
  const summary = inTransaction(ctx, (w) => {
    if (!options.allowEmpty) refuseEmptying(w, org);
    return endAccessOfRetired(w, saveOrg(w, org));
  });
  ctx.changed({ all: true });
  const touched = summary.teams.updated.length + summary.members.updated.length + summary.members.retired.length + summary.timeOff.added + summary.timeOff.removed > 0;
  return { ...summary, replanned: touched ? followChange(ctx, org.teams.map((t) => t.id)) : [] };
}

export type ImportOptions = { allowEmpty?: boolean };

/** A file with nobody in it is more often the wrong file than the end of the org: it takes a flag. */
function refuseEmptying(w: WriteContext, org: OrgFile): void {
  if (org.members.length > 0 || org.teams.length > 0) return;
  const active = activeCounts(w.tx);
  if (active.members === 0 && active.teams === 0) return;
  throw conflict(
    `this import would retire every member (${active.members}) and team (${active.teams}); send ?allowEmpty=true (baton import --allow-empty) if that is what you mean`,
  );
}

/** Retiring ends access at once: sign-in links, sessions and feeds. One who comes back gets new ones. */
function endAccessOfRetired(w: WriteContext, summary: ImportSummary): ImportSummary {
  for (const memberId of summary.members.retired) revokeAllOf(w.tx, { memberId }, w.at);
  for (const teamId of summary.teams.retired) revokeAllOf(w.tx, { teamId }, w.at);
  return summary;
}

export function getOrg(ctx: ServiceContext): OrgFile {
  return exportOrg(ctx.db);
}
