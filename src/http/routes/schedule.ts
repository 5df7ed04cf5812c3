import { z } from "zod";
import type { Clock } from "../../domain/time";
import type { OncallIndex } from "../../services/oncall-index";
import { applySchedule, planRequestSchema, planSchedule } from "../../services/schedule";
import { rangeQuery, teamCoverage, teamFairness, teamShifts } from "../../services/team-views";
import { apiRoute } from "../api-route";

const teamParams = z.object({ team: z.string().min(1) });

export function scheduleRoutes(deps: { index: OncallIndex; clock: Clock }) {
  return [
    apiRoute({
      method: "post",
      path: "/teams/:team/schedule/plan",
      summary: "The assignments a regeneration would make from `from` (default this week) and the diff against what is stored; changes nothing",
      access: "reader",
      params: teamParams,
      body: planRequestSchema,
      handle: ({ ctx, params, body }) => planSchedule(ctx, params.team, body),
    }),
    apiRoute({
      method: "post",
      path: "/teams/:team/schedule/apply",
      summary: "Store the plan in one transaction and answer what changed",
      access: "admin",
      params: teamParams,
      body: planRequestSchema,
      handle: ({ ctx, params, body }) => applySchedule(ctx, params.team, body),
    }),
    apiRoute({
      method: "get",
      path: "/teams/:team/shifts",
      summary: "Shifts after overrides overlapping [from, to) (dates in the team's zone or instants; default the next four weeks)",
      access: "reader",
      params: teamParams,
      query: rangeQuery,
      handle: ({ params, query }) => teamShifts(deps.index, params.team, deps.clock.now(), query),
    }),
    apiRoute({
      method: "get",
      path: "/teams/:team/fairness",
      summary: "Per member: weeks, on-call hours, holiday hours, hours covered for others and given away; team health flags",
      access: "reader",
      params: teamParams,
      query: rangeQuery,
      handle: ({ params, query }) => teamFairness(deps.index, params.team, deps.clock.now(), query),
    }),
    apiRoute({
      method: "get",
      path: "/teams/:team/coverage",
      summary: "Gaps and overlaps of the team's daily windows, day by day in UTC, and how each is resolved (default the next 28 days)",
      access: "reader",
      params: teamParams,
      query: rangeQuery,
      handle: ({ params, query }) => teamCoverage(deps.index, params.team, deps.clock.now(), query),
    }),
  ];
}
