import { exportOrg, saveOrg, type ImportSummary } from "../db/org-store";
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
  const summary = inTransaction(ctx, (w) => saveOrg(w, org));
  ctx.changed({ all: true });
  const touched = summary.teams.updated.length + summary.members.updated.length + summary.members.retired.length + summary.timeOff.added + summary.timeOff.removed > 0;
  return { ...summary, replanned: touched ? followChange(ctx, org.teams.map((t) => t.id)) : [] };
}

export function getOrg(ctx: ServiceContext): OrgFile {
  return exportOrg(ctx.db);
}
