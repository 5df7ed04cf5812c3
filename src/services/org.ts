import { exportOrg, saveOrg, type ImportSummary } from "../db/org-store";
import type { OrgFile } from "../domain/org-file";
import { inTransaction, requireAdmin, type ServiceContext } from "./context";

/** Stores a validated org file in one transaction. */
export function importOrg(ctx: ServiceContext, org: OrgFile): ImportSummary {
  requireAdmin(ctx);
  const summary = inTransaction(ctx, (w) => saveOrg(w, org));
  ctx.changed({ all: true });
  return summary;
}

export function getOrg(ctx: ServiceContext): OrgFile {
  return exportOrg(ctx.db);
}
