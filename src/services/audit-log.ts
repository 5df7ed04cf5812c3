import { z } from "zod";
import { readAudit } from "../db/audit";
import { loadOrg } from "../db/org-store";
import { invalid } from "../domain/errors";
import { isValidDate, toIsoZ, tryParseInstant } from "../domain/time";
import { requireAdmin, type ServiceContext } from "./context";

/** An instant, or a date read as midnight UTC (the audit log spans teams and zones). */
const auditBound = z
  .string()
  .refine((s) => isValidDate(s) || tryParseInstant(s) !== null, "must be a date YYYY-MM-DD or an ISO 8601 instant with an offset or Z")
  .transform((s) => (isValidDate(s) ? `${s}T00:00:00Z` : toIsoZ(tryParseInstant(s)!)));

export const auditQuerySchema = z.strictObject({
  from: auditBound.optional(),
  to: auditBound.optional(),
  team: z.string().min(1).optional(),
  actor: z.string().min(1).optional(),
  limit: z.coerce.number().int().min(1).max(10_000).default(1_000),
});
export type AuditQuery = z.output<typeof auditQuerySchema>;

/** The team and the members of its rotations, for reading its part of the audit log. */
export async function auditScope(ctx: ServiceContext, teamId: string) {
  const team = (await loadOrg(ctx.db)).teams.find((t) => t.id === teamId);
  return { id: teamId, members: [...new Set(team?.rotations.flatMap((r) => r.members) ?? [])] };
}

/** Who changed what, when, with the before and after of each change (admin). */
export async function readAuditLog(ctx: ServiceContext, query: AuditQuery) {
  requireAdmin(ctx);
  if (query.from && query.to && query.to <= query.from) throw invalid([{ path: "to", message: "must be after from" }]);
  const { entries, truncated } = await readAudit(ctx.db, {
      from: query.from,
      to: query.to,
      actor: query.actor,
      team: query.team ? await auditScope(ctx, query.team) : undefined,
      limit: query.limit,
    });
  return { from: query.from ?? null, to: query.to ?? null, entries, truncated };
}
