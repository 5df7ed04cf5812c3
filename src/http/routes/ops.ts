import type { Hono } from "hono";
import type { Db } from "../../db/open";
import type { Clock } from "../../domain/time";
import { healthReport, teamHealth } from "../../services/health";
import type { OncallIndex } from "../../services/oncall-index";
import { VERSION } from "../version";
import type { AppEnv } from "../env";
import type { Metrics } from "../metrics";

export function opsRoutes(app: Hono<AppEnv>, deps: { db: Db; clock: Clock; metrics: Metrics; index: OncallIndex }): void {
  deps.metrics.addGauge({
    name: "baton_planned_weeks_ahead",
    help: "Whole weeks planned ahead of now, per team.",
    labelNames: ["team"],
    read: async () => (await teamHealth(deps.index, deps.clock.now())).map((t) => ({ labels: { team: t.team }, value: t.weeksAhead })),
  });
  app.get("/healthz", async (c) => {
    c.set("route", "/healthz");
    const report = await healthReport(deps.db, VERSION, deps.index, deps.clock.now());
    return c.json(report, report.status === "fail" ? 503 : 200);
  });
  app.get("/metrics", async (c) => {
    c.set("route", "/metrics");
    return c.text(await deps.metrics.render(), 200, { "content-type": deps.metrics.contentType });
  });
}
