import { z } from "zod";
import { toIsoZ, tryParseInstant, type Clock } from "../../domain/time";
import { escalationForTeam, oncallForAll, oncallForTeam } from "../../services/oncall";
import type { OncallIndex } from "../../services/oncall-index";
import type { Metrics } from "../metrics";
import { apiRoute } from "../api-route";

export const instantParam = z
  .string()
  .refine((s) => tryParseInstant(s) !== null, "must be an ISO 8601 instant with an offset or Z, e.g. 2027-03-20T09:00:00Z")
  .transform((s) => toIsoZ(tryParseInstant(s)!));

export function oncallRoutes(deps: { index: OncallIndex; clock: Clock; metrics: Metrics }) {
  const atOrNow = (at: string | undefined) => at ?? toIsoZ(deps.clock.now());
  return [
    apiRoute({
      method: "get",
      path: "/oncall",
      summary: "Who is on call in a team (or every team) at an instant (default now), with the escalation chain",
      access: "reader",
      query: z.object({ team: z.string().min(1).optional(), at: instantParam.optional() }),
      handle: ({ query }) => {
        const started = performance.now();
        const at = atOrNow(query.at);
        const answer = query.team ? oncallForTeam(deps.index, query.team, at) : oncallForAll(deps.index, at);
        deps.metrics.lookups.inc({ scope: query.team ? "team" : "all" });
        deps.metrics.lookupLatency.observe({ scope: query.team ? "team" : "all" }, (performance.now() - started) / 1000);
        return answer;
      },
    }),
    apiRoute({
      method: "get",
      path: "/teams/:team/escalation",
      summary: "The team's escalation chain resolved to people at an instant (default now)",
      access: "reader",
      params: z.object({ team: z.string().min(1) }),
      query: z.object({ at: instantParam.optional() }),
      handle: ({ params, query }) => escalationForTeam(deps.index, params.team, atOrNow(query.at)),
    }),
  ];
}
