import { readAudit } from "../db/audit";
import { notFound } from "../domain/errors";
import { toIsoZ } from "../domain/time";
import type { ShiftSource } from "../domain/types";
import { auditScope } from "./audit-log";
import type { ServiceContext } from "./context";
import type { OncallIndex } from "./oncall-index";
import { resolveRange } from "./team-views";

export type IncidentTimeline = {
  team: string;
  from: string;
  to: string;
  /** Every on-call interval in the window, per rotation, as in force by the window's end. */
  rotations: { rotation: string; name: string; oncall: { member: string | null; memberName: string | null; start: string; end: string; source: ShiftSource }[] }[];
  /** Every change recorded in the window: imports, plans and re-plans, overrides, swaps, time off (the audit log has the details). */
  changes: { at: string; actor: string; action: string; entity: string; entityId: string; summary: string }[];
};

const LIMIT = 5_000;

/** One line about a change, from what its audit entry recorded after it. */
function summarise(after: unknown): string {
  if (!after || typeof after !== "object") return "";
  const a = after as Record<string, unknown>;
  if (Array.isArray(a.changes)) return `${a.changes.length} week(s) changed`;
  if (typeof a.member === "string" && typeof a.start === "string") {
    const source = typeof a.source === "string" ? `${a.source} ` : "";
    return `${source}${a.member} ${a.start}${typeof a.end === "string" ? ` – ${a.end}` : ""}`;
  }
  if (typeof a.requester === "string" && typeof a.status === "string") return `${a.status}: ${a.requester}`;
  return typeof a.name === "string" ? a.name : "";
}

/**
 * What an incident review needs about a team over [from, to) (default the
 * last 24 hours): who was on call, interval by interval, and what changed,
 * each change with who made it and when.
 */
export async function incidentTimeline(
  ctx: ServiceContext,
  index: OncallIndex,
  teamId: string,
  query: { from?: string | undefined; to?: string | undefined },
): Promise<IncidentTimeline> {
  const team = await index.team(teamId);
  if (!team) throw notFound(`team ${teamId}`);
  const now = ctx.clock.now();
  const { from, to } = resolveRange(team, query, toIsoZ(now.minus({ hours: 24 })), toIsoZ(now));
  // As it was known when the window closed: a late edit shows among the changes, not as what was in force.
  const known = to < toIsoZ(now) ? to : toIsoZ(now);
  const timeline = await index.timeline(team, known);
  const names = await index.memberMap();
  const rotations = timeline.rotations.map((r) => ({
    rotation: r.id,
    name: team.rotations.find((x) => x.id === r.id)?.name ?? r.id,
    oncall: r.shifts
      .filter((s) => s.start < to && s.end > from)
      .map((s) => ({
        member: s.member,
        memberName: s.member ? (names.get(s.member)?.name ?? s.member) : null,
        start: s.start < from ? from : s.start,
        end: s.end > to ? to : s.end,
        source: s.source,
      })),
  }));
  const { entries } = await readAudit(ctx.db, { from, to, team: await auditScope(ctx, teamId), limit: LIMIT });
  const changes = entries.map(({ at, actor, action, entity, entityId, after }) => ({ at, actor, action, entity, entityId, summary: summarise(after) }));
  return { team: teamId, from, to, rotations, changes };
}
