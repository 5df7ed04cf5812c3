import type { MiddlewareHandler } from "hono";
import type { IncomingMessage } from "node:http";
import { randomBytes } from "node:crypto";
import type { Actor } from "../db/audit";
import type { Authenticator } from "../services/tokens";
import type { AppEnv } from "./env";
import { afterTurn, type Logger } from "../logger";
import { countIn, type Metrics } from "./metrics";

const REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;
const BEARER = /^Bearer\s+(\S+)\s*$/i;
// Sign-in links and feed URLs carry secrets in the path; logs keep only the token's kind.
const TOKEN_IN_PATH = /\b(bt_[a-z]_)[A-Za-z0-9_-]+/g;
const ANONYMOUS: Actor = { kind: "anonymous" };

/**
 * Request ids made here: a random prefix per process and a count, as chi's
 * RequestID middleware makes them. Unique across instances and restarts
 * (64 random bits each), and across apps in one process (one count), at
 * about 35 ns against randomUUID's 185 ns, which the on-call lookup felt.
 */
const REQUEST_ID_PREFIX = randomBytes(8).toString("hex");
let requestsNamed = 0;
const newRequestId = () => `${REQUEST_ID_PREFIX}-${(++requestsNamed).toString(36)}`;

/** What the Node adapter hands the app beside the request (nothing under `app.request`). */
export type NodeBindings = { incoming?: IncomingMessage } | undefined;

/**
 * A request header, read from Node's already-parsed headers when the Node
 * adapter serves the request: asking the Web Request for them makes the
 * adapter build a Headers object, which costs more than the on-call lookup.
 */
function headerOf(req: Request, env: NodeBindings, name: string): string | undefined {
  const incoming = env?.incoming;
  if (!incoming) return req.headers.get(name) ?? undefined;
  const value = incoming.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

const levelOf = (status: number) => (status >= 500 ? "error" : "info");
const loggedPath = (path: string) => path.replace(TOKEN_IN_PATH, "$1…");
const durationMs = (seconds: number) => Math.round(seconds * 100_000) / 100;

/** A request as the pipeline sees it: hono's context is not needed, so that the on-call lookup can go without one. */
export type PipelineRequest = { req: Request; env: NodeBindings; method: string; path: string };

/** What `begin` settles about a request. */
export type Begun = { requestId: string; actor: Actor; started: number };

/**
 * What every request goes through: a request id (the caller's, when it is
 * safe to log), the bearer token resolved to an actor, and on the way out a
 * metric and one JSON log line. Split into `begin` and `finish` so that the
 * on-call lookup's synchronous fast path can do the same bookkeeping; it
 * ends through `finisher`, the same line and series bound once.
 */
export class RequestPipeline {
  constructor(
    private readonly deps: {
      metrics: Metrics;
      log: Logger;
      authenticator: Authenticator;
      /** Run first: drops caches when another process wrote to the database. */
      refresh: () => void;
    },
  ) {}

  /** The caller's request id when it is safe to log, else a new one; known before the token is looked up, so that a failing lookup's problem carries it. */
  requestIdOf(request: PipelineRequest): string {
    const given = headerOf(request.req, request.env, "x-request-id");
    return given && REQUEST_ID.test(given) ? given : newRequestId();
  }

  /**
   * The actor, with the start time. Settled at once when the bearer token's
   * owner is remembered (or there is no token), so that the on-call lookup
   * can answer without a promise; otherwise once the token is looked up.
   */
  begin(request: PipelineRequest, requestId: string): Begun | Promise<Begun> {
    this.deps.refresh();
    const bearer = headerOf(request.req, request.env, "authorization")?.match(BEARER)?.[1];
    if (!bearer) return { requestId, actor: ANONYMOUS, started: performance.now() };
    const known = this.deps.authenticator.knownActor(bearer);
    if (known !== undefined) return { requestId, actor: known ?? ANONYMOUS, started: performance.now() };
    return this.deps.authenticator.actorFor(bearer).then((actor) => ({ requestId, actor: actor ?? ANONYMOUS, started: performance.now() }));
  }

  finish(request: PipelineRequest, begun: Begun, route: string, status: number): void {
    const seconds = (performance.now() - begun.started) / 1000;
    this.deps.metrics.countRequest(request.method, route, status, seconds);
    const level = levelOf(status);
    if (!this.deps.log.isLevelEnabled(level)) return;
    this.deps.log[level]({ requestId: begun.requestId, method: request.method, path: loggedPath(request.path), route, status, durationMs: durationMs(seconds) }, "request");
  }

  /**
   * `finish` for requests that always end alike, bound once: the on-call
   * lookup's success. Its series are found once, and its line's fixed
   * fields are written once into a pino child, which then only writes the
   * request id and duration (half the cost of a whole line). The level is
   * read once: a pino child keeps the level it was made with. The turn's
   * lines are made together once its answers are out (`afterTurn`): each
   * line's time is when it was made, its duration the request's. The caller
   * gives the request's time, which it has also counted as a lookup's.
   */
  finisher(method: string, path: string, route: string, status: number): (begun: Begun, seconds: number) => void {
    const series = this.deps.metrics.requestSeries(method, route, status);
    const level = levelOf(status);
    const log = this.deps.log.child({ method, path: loggedPath(path), route, status });
    const logged = log.isLevelEnabled(level);
    // Only the id and the time are kept until the turn ends, so that no object per line lives that long.
    let ids: string[] = [];
    let times: number[] = [];
    const writeLines = () => {
      const [turnIds, turnTimes] = [ids, times];
      // Taken before writing, so that a write that throws loses only this turn's lines.
      ids = [];
      times = [];
      for (let i = 0; i < turnIds.length; i++) log[level]({ requestId: turnIds[i], durationMs: durationMs(turnTimes[i]!) }, "request");
    };
    return (begun, seconds) => {
      countIn(series, seconds);
      if (!logged) return;
      if (ids.length === 0) afterTurn(writeLines);
      ids.push(begun.requestId);
      times.push(seconds);
    };
  }

  readonly middleware: MiddlewareHandler<AppEnv> = async (c, next) => {
    const request: PipelineRequest = { req: c.req.raw, env: c.env as NodeBindings, method: c.req.method, path: c.req.path };
    const requestId = this.requestIdOf(request);
    c.set("requestId", requestId);
    c.set("route", "unmatched");
    // Prepared before the handler so that responses built by the context carry it without a copy.
    c.header("X-Request-Id", requestId);
    const begun = await this.begin(request, requestId);
    c.set("actor", begun.actor);
    await next();
    this.finish(request, begun, c.get("route"), c.res.status);
  };
}
