import type { Hono } from "hono";
import type { Db } from "../../db/open";
import type { Clock } from "../../domain/time";
import { healthReport } from "../../services/health";
import { VERSION } from "../version";
import type { AppEnv } from "../env";
import type { Metrics } from "../metrics";

export function opsRoutes(app: Hono<AppEnv>, deps: { db: Db; clock: Clock; metrics: Metrics }): void {
  app.get("/healthz", (c) => {
    c.set("route", "/healthz");
    const report = healthReport(deps.db, VERSION);
    return c.json(report, report.status === "fail" ? 503 : 200);
  });
  app.get("/metrics", (c) => {
    c.set("route", "/metrics");
    return c.text(deps.metrics.render(), 200, { "content-type": "text/plain; version=0.0.4; charset=utf-8" });
  });
}
