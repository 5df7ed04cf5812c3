import type { Context, MiddlewareHandler } from "hono";
import type { IncomingMessage } from "node:http";
import { randomUUID } from "node:crypto";
import type { Actor } from "../db/audit";
import type { Authenticator } from "../services/tokens";
import type { AppEnv } from "./env";
import type { Logger } from "../logger";
import type { Metrics } from "./metrics";

const REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;
const BEARER = /^Bearer\s+(\S+)\s*$/i;
// Sign-in links and feed URLs carry secrets in the path; logs keep only the token's kind.
const TOKEN_IN_PATH = /\b(bt_[a-z]_)[A-Za-z0-9_-]+/g;
const ANONYMOUS: Actor = { kind: "anonymous" };

/**
 * A request header, read from Node's already-parsed headers when the Node
 * adapter serves the request: asking the Web Request for them makes the
 * adapter build a Headers object, which costs more than the on-call lookup.
 */
export function requestHeader(c: Context, name: string): string | undefined {
  const incoming = (c.env as { incoming?: IncomingMessage } | undefined)?.incoming;
  if (!incoming) return c.req.header(name);
  const value = incoming.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

/**
 * What every request goes through: a request id (the caller's, when it is
 * safe to log), the bearer token resolved to an actor, and on the way out a
 * metric and one JSON log line. Split into `begin` and `finish` so that the
 * on-call lookup's synchronous fast path does exactly the same bookkeeping.
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

  /**
   * Sets the request id, the route (unmatched until a route claims it) and
   * the actor, and returns the start time. It returns it at once when the
   * bearer token's owner is remembered (or there is no token), so that the
   * on-call lookup can answer without a promise; otherwise once the token is looked up.
   */
  begin(c: Context<AppEnv>): number | Promise<number> {
    this.deps.refresh();
    const given = requestHeader(c, "x-request-id");
    c.set("requestId", given && REQUEST_ID.test(given) ? given : randomUUID());
    c.set("route", "unmatched");
    const bearer = requestHeader(c, "authorization")?.match(BEARER)?.[1];
    if (!bearer) return this.started(c, null);
    const known = this.deps.authenticator.knownActor(bearer);
    if (known !== undefined) return this.started(c, known);
    return this.deps.authenticator.actorFor(bearer).then((actor) => this.started(c, actor));
  }

  private started(c: Context<AppEnv>, actor: Actor | null): number {
    c.set("actor", actor ?? ANONYMOUS);
    return performance.now();
  }

  finish(c: Context<AppEnv>, status: number, started: number): void {
    const seconds = (performance.now() - started) / 1000;
    const route = c.get("route");
    this.deps.metrics.countRequest(c.req.method, route, status, seconds);
    const level = status >= 500 ? "error" : "info";
    if (!this.deps.log.isLevelEnabled(level)) return;
    this.deps.log[level](
      {
        requestId: c.get("requestId"),
        method: c.req.method,
        path: c.req.path.replace(TOKEN_IN_PATH, "$1…"),
        route,
        status,
        durationMs: Math.round(seconds * 100_000) / 100,
      },
      "request",
    );
  }

  readonly middleware: MiddlewareHandler<AppEnv> = async (c, next) => {
    const started = await this.begin(c);
    // Prepared before the handler so that responses built by the context carry it without a copy.
    c.header("X-Request-Id", c.get("requestId"));
    await next();
    this.finish(c, c.res.status, started);
  };
}
