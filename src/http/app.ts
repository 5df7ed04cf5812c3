import { Hono, type Context } from "hono";
import { bodyLimit } from "hono/body-limit";
import { HTTPException } from "hono/http-exception";
import type { Config } from "../config";
import type { Db } from "../db/open";
import { BatonError } from "../domain/errors";
import { handoverEvent } from "../domain/handover";
import type { Clock } from "../domain/time";
import type { ChangeNotice, ServiceContext } from "../services/context";
import { CalendarFeeds } from "../services/calendar";
import { OncallIndex } from "../services/oncall-index";
import { planAhead } from "../services/schedule";
import { expireDueSwaps, type SwapEvent } from "../services/swaps";
import { WebhookQueue } from "../services/webhook";
import { Authenticator } from "../services/tokens";
import { API_PREFIX, mountApiRoutes, openApiDocument, type ApiRoute } from "./api-route";
import type { AppEnv } from "./env";
import { Metrics } from "./metrics";
import { RequestPipeline } from "./request-pipeline";
import { silentLogger, type Logger } from "../logger";
import { internalProblem, problemResponse } from "./problem";
import { calendarRoutes, mountCalendarFeed } from "./routes/calendar";
import { memberRoutes } from "./routes/members";
import { opsRoutes } from "./routes/ops";
import { orgRoutes } from "./routes/org";
import { oncallFastPath, oncallRoutes } from "./routes/oncall";
import { scheduleRoutes } from "./routes/schedule";
import { memberPageRoutes } from "./routes/member-pages";
import type { PageDeps } from "./routes/page-deps";
import { signInRoutes } from "./routes/sign-in";
import { swapPageRoutes } from "./routes/swap-pages";
import { teamPageRoutes } from "./routes/team-page";
import { pageForms } from "./page-forms";
import { pageSessions } from "./page-session";
import { isPagePath, pageErrorResponse, pageNotFoundResponse } from "./page-errors";
import { securityHeaders } from "./security-headers";
import { swapRoutes } from "./routes/swaps";
import { teamRoutes } from "./routes/teams";
import { overrideRoutes } from "./routes/overrides";
import { auditRoutes } from "./routes/audit";

import { VERSION } from "./version";

export type AppDeps = {
  db: Db;
  clock: Clock;
  config: Config;
  /** Where structured log lines go (pino; the server writes them to stdout as JSON lines). */
  log?: Logger;
  /** Outbound HTTP (the webhook); tests hand in their own. */
  fetch?: typeof fetch;
};

export type BatonApp = Hono<AppEnv> & {
  metrics: Metrics;
  deps: AppDeps;
  apiRoutes: ApiRoute[];
  index: OncallIndex;
  webhook: WebhookQueue;
  sweepSwaps: () => Promise<void>;
  /** Plans every team BATON_PLAN_WEEKS ahead (the server calls it at start and hourly). */
  planAhead: () => Promise<{ team: string; changes: number }[]>;
};

export function createApp(deps: AppDeps): BatonApp {
  const { clock, config } = deps;
  const log = deps.log ?? silentLogger();
  const metrics = new Metrics();
  const db = metrics.measure(deps.db);
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

  /** Baton acting on its own schedule (expiry, rolling the plan), recorded as the system. */
  const system = (): ServiceContext => ({ db, clock, config, actor: { kind: "admin", via: "system" }, changed });

  const app = new Hono<AppEnv>();

  const authenticator = new Authenticator(db, config.BATON_ADMIN_TOKEN);
  listeners.push(() => authenticator.forget());
  const outsideWrite = db.outsideWrites();
  const refresh = () => {
    if (outsideWrite()) changed({ all: true });
  };
  const pipeline = new RequestPipeline({ metrics, log, authenticator, refresh });
  const index = new OncallIndex(db);
  listeners.push((notice) => index.invalidate(notice));
  app.use(securityHeaders);
  app.use(pipeline.middleware);
  const sessions = pageSessions({ db, clock, config });
  app.use(sessions.middleware);

  const limitBody = bodyLimit({
    maxSize: config.BATON_BODY_LIMIT_MB * 1024 * 1024,
    onError: () => {
      throw new BatonError("too-large", `the request body is larger than ${config.BATON_BODY_LIMIT_MB} MiB (BATON_BODY_LIMIT_MB)`);
    },
  });
  // Only requests that carry a body are measured: asking a GET for its body makes the Node adapter build a full Request.
  app.use(`${API_PREFIX}/*`, async (c, next) => (c.req.method === "GET" || c.req.method === "HEAD" ? await next() : await limitBody(c, next)));

  const feeds = new CalendarFeeds({ db, index, clock, config });

  const webhook = new WebhookQueue({ url: config.BATON_WEBHOOK_URL, fetch: deps.fetch, log: ({ level, ...line }) => log[level === "warn" ? "warn" : "error"](line) });
  const notify = (event: SwapEvent) => webhook.send(event);
  // Whoever loses or gains a week (or part of one) is told, once the change has committed.
  listeners.push((notice) => {
    const { handovers } = notice;
    if (!handovers?.length) return;
    webhook.sendWhenMade(index.memberMap().then((members) => handovers.map((handover) => handoverEvent(handover, (id) => members.get(id)?.name ?? id))));
  });
  const sweepSwaps = async () => {
    await expireDueSwaps({ ctx: system(), notify });
  };

  const apiRoutes = [...orgRoutes, ...teamRoutes, ...memberRoutes, ...oncallRoutes({ index, clock, metrics }), ...swapRoutes({ notify }), ...calendarRoutes, ...scheduleRoutes({ index, clock }), ...overrideRoutes, ...auditRoutes({ index })];
  mountApiRoutes(app, apiRoutes, serviceContext);
  app.get(`${API_PREFIX}/openapi.json`, (c) => {
    c.set("route", `${API_PREFIX}/openapi.json`);
    return c.json(openApiDocument(apiRoutes, VERSION, `${config.publicUrl}${API_PREFIX}`) as object);
  });
  opsRoutes(app, { db, clock, metrics, index });
  mountCalendarFeed(app, feeds);
  const pages: PageDeps = { db, clock, config, index, authenticator, notify, serviceContext, sessions, forms: pageForms({ db, config, sessions }) };
  signInRoutes(app, pages);
  memberPageRoutes(app, pages);
  teamPageRoutes(app, pages);
  swapPageRoutes(app, pages);

  app.notFound((c) => {
    const allowed = allowedMethods(app, c.req.path);
    if (allowed.length > 0) {
      return problemResponse(new BatonError("method-not-allowed", `${c.req.method} is not allowed here; use ${allowed.join(", ")}`), c.req.path, {
        Allow: allowed.join(", "),
        "X-Request-Id": c.get("requestId"),
      });
    }
    if (isPagePath(c.req.path)) return pageNotFoundResponse(c);
    return problemResponse(new BatonError("not-found", `nothing at ${c.req.path}`), c.req.path, { "X-Request-Id": c.get("requestId") });
  });

  app.onError((error, c) => {
    const requestId = { "X-Request-Id": c.get("requestId") };
    if (error instanceof BatonError) {
      return problemResponse(error, c.req.path, error.code === "unauthenticated" ? { "WWW-Authenticate": "Bearer", ...requestId } : requestId);
    }
    if (error instanceof HTTPException && error.status < 500) {
      return problemResponse(new BatonError("validation", error.message || "bad request"), c.req.path, requestId);
    }
    log.error({ requestId: c.get("requestId"), err: error }, "unhandled error");
    if (isPagePath(c.req.path)) return pageErrorResponse(c);
    return internalProblem(c.req.path, requestId);
  });

  // The on-call lookup is what alerting systems poll: it is answered ahead of
  // the app (its router, context and middleware chain), and every other
  // request, or a lookup it cannot answer, goes on to the app.
  app.fetch = oncallFastPath({ pipeline, index, clock, metrics, fallThrough: app.fetch });

  return Object.assign(app, {
    metrics,
    deps,
    apiRoutes,
    index,
    webhook,
    sweepSwaps,
    planAhead: () => planAhead(system(), config.BATON_PLAN_WEEKS),
  });
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
