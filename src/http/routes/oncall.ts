import { z } from "zod";
import { instantSchema } from "../../domain/input";
import { isoNow, toIsoZ, type Clock } from "../../domain/time";
import { escalationForTeam, heldOncallJson, oncallForAll, oncallForTeam, oncallJson } from "../../services/oncall";
import type { OncallIndex } from "../../services/oncall-index";
import type { Metrics } from "../metrics";
import { API_PREFIX, apiRoute } from "../api-route";
import type { ExecutionContext } from "hono";
import type { Actor } from "../../db/audit";
import type { Begun, NodeBindings, PipelineRequest, RequestPipeline } from "../request-pipeline";

/** An app's `fetch`: the request, and what the runtime hands in beside it. */
export type FetchHandler = (req: Request, env?: unknown, executionCtx?: ExecutionContext) => Response | Promise<Response>;

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
  fallThrough: FetchHandler;
}): FetchHandler {
  const path = `${API_PREFIX}/oncall`;
  const prefix = `${path}?`;

  // Named functions of the factory, not closures made per request: under tsx each named closure is also given its name, which the lookup felt.
  const fallThrough = (call: Call) => deps.fallThrough(call.req, call.env, call.executionCtx);
  const finish = deps.pipeline.finisher("GET", path, path, 200);
  const now = isoNow(deps.clock);

  return (req, env, executionCtx) => {
    const call: Call = { req, env: env as NodeBindings, executionCtx, method: "GET", path };
    const target = req.method === "GET" ? requestTarget(req, call.env) : null;
    // A raw "#" ends hono's query but not URLSearchParams': such a target is left to hono.
    if (!target?.startsWith(prefix) || target.includes("#")) return fallThrough(call);
    // The ordinary route meets the same error and answers it as a problem, with its log line.
    try {
      const begun = deps.pipeline.begin(call, deps.pipeline.requestIdOf(call));
      const query = new URLSearchParams(target.slice(prefix.length));
      return "then" in begun ? begun.then((settled) => answer(call, query, settled)).catch(() => fallThrough(call)) : answer(call, query, begun);
    } catch {
      return fallThrough(call);
    }
  };

  function answer(call: Call, query: URLSearchParams, begun: Begun): Response | Promise<Response> {
    const lookup = lookupOf(query, begun.actor);
    if (!lookup) return fallThrough(call);
    const team = deps.index.heldTeam(lookup.team);
    const held = team && heldOncallJson(deps.index, team, lookup.at);
    if (held) return respond(begun, held);
    return workedOut(call, begun, lookup).catch(() => fallThrough(call));
  }

  async function workedOut(call: Call, begun: Begun, lookup: Lookup): Promise<Response> {
    if (!(await deps.index.team(lookup.team))) return fallThrough(call);
    return respond(begun, await oncallJson(deps.index, lookup.team, lookup.at));
  }

  /** The team and instant asked about, or null when the ordinary route must answer. */
  function lookupOf(query: URLSearchParams, actor: Actor): Lookup | null {
    const team = query.get("team");
    if (actor.kind === "anonymous" || !team) return null;
    const at = query.get("at");
    if (at === null) return { team, at: now() };
    const parsed = oncallQuery.safeParse({ team, at });
    return parsed.success ? { team, at: parsed.data.at! } : null;
  }

  function respond(begun: Begun, body: string): Response {
    const seconds = (performance.now() - begun.started) / 1000;
    deps.metrics.countLookup("team", seconds);
    finish(begun, seconds);
    // Plain headers: the Node adapter writes them as they are, without building a Headers object.
    return new Response(body, { status: 200, headers: { "content-type": "application/json", "x-request-id": begun.requestId, "x-content-type-options": "nosniff" } });
  }
}

/** The path and query asked for: Node's request line as it came, or the URL's under `app.request`. */
function requestTarget(req: Request, env: NodeBindings): string {
  const incoming = env?.incoming?.url;
  if (incoming !== undefined) return incoming;
  const url = new URL(req.url);
  return url.pathname + url.search;
}

type Lookup = { team: string; at: string };
/** A lookup as it came in, with what the ordinary route needs if it must answer instead. */
type Call = PipelineRequest & { executionCtx: ExecutionContext | undefined };

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
        deps.metrics.countLookup(query.team ? "team" : "all", (performance.now() - started) / 1000);
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
