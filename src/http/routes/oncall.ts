import { z } from "zod";
import { instantSchema } from "../../domain/input";
import { toIsoZ, type Clock } from "../../domain/time";
import type { Context, Handler } from "hono";
import { escalationForTeam, oncallForAll, oncallForTeam, oncallJson } from "../../services/oncall";
import type { OncallIndex } from "../../services/oncall-index";
import type { Metrics } from "../metrics";
import { API_PREFIX, apiRoute } from "../api-route";
import type { AppEnv } from "../env";
import type { RequestPipeline } from "../request-pipeline";

export const instantParam = instantSchema;

const oncallQuery = z.object({ team: z.string().min(1).optional(), at: instantParam.optional() });

/**
 * GET /api/v1/oncall for a team, answered synchronously without the
 * middleware chain: alerting systems poll it, and an answer held by the index
 * only needs its `at` written. It does the pipeline's bookkeeping itself;
 * anything that is not a plain success (no token, a bad query, an unknown
 * team) falls through to the ordinary route, which answers with the usual problems.
 */
export function oncallFastPath(deps: {
  pipeline: RequestPipeline;
  index: OncallIndex;
  clock: Clock;
  metrics: Metrics;
  fallThrough: (c: Context<AppEnv>) => Response | Promise<Response>;
}): Handler<AppEnv> {
  return async (c) => {
    try {
      return await answer(c);
    } catch {
      // The ordinary route meets the same error and answers it as a problem, with its log line.
      return deps.fallThrough(c);
    }
  };

  async function answer(c: Context<AppEnv>): Promise<Response | Promise<Response>> {
    const started = await deps.pipeline.begin(c);
    const team = c.req.query("team");
    const at = c.req.query("at");
    if (c.get("actor").kind === "anonymous" || !team || !await deps.index.team(team)) return deps.fallThrough(c);
    let instant: string;
    if (at === undefined) instant = toIsoZ(deps.clock.now());
    else {
      const query = oncallQuery.safeParse({ team, at });
      if (!query.success) return deps.fallThrough(c);
      instant = query.data.at!;
    }
    const body = await oncallJson(deps.index, team, instant);
    c.set("route", `${API_PREFIX}/oncall`);
    countLookup(deps.metrics, "team", started);
    deps.pipeline.finish(c, 200, started);
    // Plain headers: the Node adapter writes them as they are, without building a Headers object.
    return new Response(body, { status: 200, headers: { "content-type": "application/json", "x-request-id": c.get("requestId"), "x-content-type-options": "nosniff" } });
  }
}

function countLookup(metrics: Metrics, scope: "team" | "all", started: number): void {
  metrics.lookups.inc({ scope });
  metrics.lookupLatency.observe({ scope }, (performance.now() - started) / 1000);
}

export function oncallRoutes(deps: { index: OncallIndex; clock: Clock; metrics: Metrics }) {
  const atOrNow = (at: string | undefined) => at ?? toIsoZ(deps.clock.now());
  return [
    apiRoute({
      method: "get",
      path: "/oncall",
      summary: "Who is on call in a team (or every team) at an instant (default now), with the escalation chain",
      access: "reader",
      query: oncallQuery,
      handle: async ({ query }) => {
        const started = performance.now();
        const at = atOrNow(query.at);
        const answer = query.team ? await oncallForTeam(deps.index, query.team, at) : await oncallForAll(deps.index, at);
        countLookup(deps.metrics, query.team ? "team" : "all", started);
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
