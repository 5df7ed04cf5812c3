import { z } from "zod";
import { instantSchema } from "../../domain/input";
import { toIsoZ, type Clock } from "../../domain/time";
import type { Context, Handler } from "hono";
import { escalationForTeam, heldOncallJson, oncallForAll, oncallForTeam, oncallJson } from "../../services/oncall";
import type { OncallIndex } from "../../services/oncall-index";
import type { Metrics } from "../metrics";
import { API_PREFIX, apiRoute } from "../api-route";
import type { AppEnv } from "../env";
import type { RequestPipeline } from "../request-pipeline";

export const instantParam = instantSchema;

const oncallQuery = z.object({ team: z.string().min(1).optional(), at: instantParam.optional() });

/**
 * GET /api/v1/oncall for a team, answered without the middleware chain:
 * alerting systems poll it, and an answer held by the index only needs its
 * `at` written. When the token's owner and the answer are both held it is
 * answered synchronously, without a promise, which the Node adapter writes
 * straight out; otherwise once the index has worked it out. It does the
 * pipeline's bookkeeping itself; anything that is not a plain success (no
 * token, a bad query, an unknown team) falls through to the ordinary route,
 * which answers with the usual problems.
 */
export function oncallFastPath(deps: {
  pipeline: RequestPipeline;
  index: OncallIndex;
  clock: Clock;
  metrics: Metrics;
  fallThrough: (c: Context<AppEnv>) => Response | Promise<Response>;
}): Handler<AppEnv> {
  // The ordinary route meets the same error and answers it as a problem, with its log line.
  const fallThroughOnError = (c: Context<AppEnv>) => () => deps.fallThrough(c);

  return (c) => {
    try {
      const started = deps.pipeline.begin(c);
      return typeof started === "number" ? answer(c, started) : started.then((at) => answer(c, at)).catch(fallThroughOnError(c));
    } catch {
      return deps.fallThrough(c);
    }
  };

  function answer(c: Context<AppEnv>, started: number): Response | Promise<Response> {
    const lookup = lookupOf(c);
    if (!lookup) return deps.fallThrough(c);
    const team = deps.index.heldTeam(lookup.team);
    const held = team && heldOncallJson(deps.index, team, lookup.at);
    if (held) return respond(c, held, started);
    return workedOut(c, lookup, started).catch(fallThroughOnError(c));
  }

  async function workedOut(c: Context<AppEnv>, lookup: Lookup, started: number): Promise<Response> {
    if (!(await deps.index.team(lookup.team))) return deps.fallThrough(c);
    return respond(c, await oncallJson(deps.index, lookup.team, lookup.at), started);
  }

  /** The team and instant asked about, or null when the ordinary route must answer. */
  function lookupOf(c: Context<AppEnv>): Lookup | null {
    const team = c.req.query("team");
    if (c.get("actor").kind === "anonymous" || !team) return null;
    const at = c.req.query("at");
    if (at === undefined) return { team, at: toIsoZ(deps.clock.now()) };
    const query = oncallQuery.safeParse({ team, at });
    return query.success ? { team, at: query.data.at! } : null;
  }

  function respond(c: Context<AppEnv>, body: string, started: number): Response {
    c.set("route", `${API_PREFIX}/oncall`);
    countLookup(deps.metrics, "team", started);
    deps.pipeline.finish(c, 200, started);
    // Plain headers: the Node adapter writes them as they are, without building a Headers object.
    return new Response(body, { status: 200, headers: { "content-type": "application/json", "x-request-id": c.get("requestId"), "x-content-type-options": "nosniff" } });
  }
}

type Lookup = { team: string; at: string };

function countLookup(metrics: Metrics, scope: "team" | "all", started: number): void {
  metrics.countLookup(scope, (performance.now() - started) / 1000);
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
