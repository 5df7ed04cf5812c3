import { exportOrg, saveOrg, type ImportSummary } from "../db/org-store";
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
export function importOrg(ctx: ServiceContext, org: OrgFile): ImportSummary & { replanned: Replanned[] } {
  requireAdmin(ctx);
  const summary = inTransaction(ctx, (w) => endAccessOfRetired(w, saveOrg(w, org)));
  ctx.changed({ all: true });
  const touched = summary.teams.updated.length + summary.members.updated.length + summary.members.retired.length + summary.timeOff.added + summary.timeOff.removed > 0;
  return { ...summary, replanned: touched ? followChange(ctx, org.teams.map((t) => t.id)) : [] };
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
