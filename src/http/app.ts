import { Hono, type Context } from "hono";
import { bodyLimit } from "hono/body-limit";
import { HTTPException } from "hono/http-exception";
import { randomUUID } from "node:crypto";
import type { Config } from "../config";
import type { Db } from "../db/open";
import { BatonError } from "../domain/errors";
import type { Clock } from "../domain/time";
import type { ChangeNotice, ServiceContext } from "../services/context";
import { authenticate } from "../services/tokens";
import { API_PREFIX, mountApiRoutes, openApiDocument, type ApiRoute } from "./api-route";
import type { AppEnv } from "./env";
import { Metrics } from "./metrics";
import { internalProblem, problemResponse } from "./problem";
import { memberRoutes } from "./routes/members";
import { opsRoutes } from "./routes/ops";
import { orgRoutes } from "./routes/org";
import { pendingRoutes } from "./routes/pending";
import { teamRoutes } from "./routes/teams";

import { VERSION } from "./version";

export type LogLine = Record<string, unknown>;
export type AppDeps = {
  db: Db;
  clock: Clock;
  config: Config;
  /** Where structured log lines go; main.ts writes them to stdout as JSON. */
  log?: (line: LogLine) => void;
};

export type BatonApp = Hono<AppEnv> & { metrics: Metrics; deps: AppDeps; apiRoutes: ApiRoute[] };

const REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

export function createApp(deps: AppDeps): BatonApp {
  const { db, clock, config } = deps;
  const log = deps.log ?? (() => {});
  const metrics = new Metrics();
  const listeners: ((notice: ChangeNotice) => void)[] = [];
  const changed = (notice: ChangeNotice) => listeners.forEach((listen) => listen(notice));

  const serviceContext = (c: Context<AppEnv>): ServiceContext => ({
    db,
    clock,
    config,
    actor: c.get("actor"),
    requestId: c.get("requestId"),
    changed,
  });

  const app = new Hono<AppEnv>();

  app.use(async (c, next) => {
    const given = c.req.header("x-request-id");
    const requestId = given && REQUEST_ID.test(given) ? given : randomUUID();
    c.set("requestId", requestId);
    c.set("route", "unmatched");
    const started = performance.now();
    await next();
    c.res.headers.set("X-Request-Id", requestId);
    const seconds = (performance.now() - started) / 1000;
    const route = c.get("route");
    metrics.requests.inc({ route, method: c.req.method, status: String(c.res.status) });
    metrics.latency.observe({ route, method: c.req.method }, seconds);
    log({
      level: c.res.status >= 500 ? "error" : "info",
      msg: "request",
      requestId,
      method: c.req.method,
      path: c.req.path,
      route,
      status: c.res.status,
      durationMs: Math.round(seconds * 100_000) / 100,
    });
  });

  app.use(async (c, next) => {
    const header = c.req.header("authorization");
    const match = header?.match(/^Bearer\s+(\S+)\s*$/i);
    c.set("actor", (match && authenticate(db, match[1]!, config.BATON_ADMIN_TOKEN)) || { kind: "anonymous" });
    await next();
  });

  app.use(
    `${API_PREFIX}/*`,
    bodyLimit({
      maxSize: 5 * 1024 * 1024,
      onError: () => {
        throw new BatonError("too-large", "the request body is larger than 5 MiB");
      },
    }),
  );

  const apiRoutes = [...orgRoutes, ...teamRoutes, ...memberRoutes, ...pendingRoutes];
  mountApiRoutes(app, apiRoutes, serviceContext);
  app.get(`${API_PREFIX}/openapi.json`, (c) => {
    c.set("route", `${API_PREFIX}/openapi.json`);
    return c.json(openApiDocument(apiRoutes, VERSION, `${config.publicUrl}${API_PREFIX}`) as object);
  });
  opsRoutes(app, { db, clock, metrics });

  app.notFound((c) => {
    const allowed = allowedMethods(app, c.req.path);
    if (allowed.length > 0) {
      return problemResponse(new BatonError("method-not-allowed", `${c.req.method} is not allowed here; use ${allowed.join(", ")}`), c.req.path, {
        Allow: allowed.join(", "),
      });
    }
    return problemResponse(new BatonError("not-found", `nothing at ${c.req.path}`), c.req.path);
  });

  app.onError((error, c) => {
    if (error instanceof BatonError) return problemResponse(error, c.req.path, error.code === "unauthenticated" ? { "WWW-Authenticate": "Bearer" } : {});
    if (error instanceof HTTPException && error.status < 500) {
      return problemResponse(new BatonError("validation", error.message || "bad request"), c.req.path);
    }
    log({ level: "error", msg: "unhandled error", requestId: c.get("requestId"), error: String(error), stack: (error as Error).stack });
    return internalProblem(c.req.path);
  });

  return Object.assign(app, { metrics, deps, apiRoutes, onChange: (listen: (n: ChangeNotice) => void) => listeners.push(listen) });
}

/** The methods registered for a path, for 405 answers with an Allow header. */
function allowedMethods(app: Hono<AppEnv>, path: string): string[] {
  const methods = new Set<string>();
  for (const route of app.routes) {
    if (route.method === "ALL") continue;
    const pattern = new RegExp(`^${route.path.replace(/[.+?^${}()|[\]\\]/g, "\\$&").replace(/\/:[^/]+/g, "/[^/]+").replace(/\*$/, ".*")}$`);
    if (pattern.test(path)) methods.add(route.method);
  }
  if (methods.has("GET")) methods.add("HEAD");
  return [...methods].sort();
}
