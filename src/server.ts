import { serve } from "@hono/node-server";
import type { AddressInfo } from "node:net";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import type { Config } from "./config";
import { openDb, migrationsFolder, type Db } from "./db/open";
import { loadOrg } from "./db/org-store";
import { orgFileSchema } from "./domain/org-file";
import { systemClock, type Clock } from "./domain/time";
import { parseOrThrow } from "./domain/validation";
import { createApp, type LogLine } from "./http/app";
import { selfCheck } from "./services/health";
import { importOrg } from "./services/org";
import { currentGeneration } from "./db/token-store";
import { issueToken } from "./services/tokens";

export const demoOrgPath = join(migrationsFolder, "..", "fixtures", "demo-org.json");

export class StartupError extends Error {}

export function jsonLogger(write: (line: string) => void, level: Config["BATON_LOG_LEVEL"]) {
  const order = ["debug", "info", "warn", "error"];
  return (line: LogLine) => {
    if (level === "silent" || order.indexOf(String(line.level ?? "info")) < order.indexOf(level)) return;
    write(JSON.stringify({ time: new Date().toISOString(), ...line }) + "\n");
  };
}

/** Opens the database and refuses to go on unless the start-up self-check passes. */
export function openCheckedDb(config: Config): Db {
  const db = openDb(config.BATON_DB, { secret: config.BATON_SECRET });
  const check = selfCheck(db);
  if (!check.ok) throw new StartupError(`self-check failed: ${check.failures.join("; ")}`);
  return db;
}

/** On an empty database, imports the demo org so that a first start has something to show. */
export function seedIfEmpty(db: Db, clock: Clock, config: Config): boolean {
  if (loadOrg(db).members.length > 0) return false;
  const org = parseOrThrow(orgFileSchema, JSON.parse(readFileSync(demoOrgPath, "utf8")));
  importOrg({ db, clock, config, actor: { kind: "admin", via: "system" }, changed: () => {} }, org);
  return true;
}

export async function startServer(config: Config, out: { stdout: (s: string) => void; stderr: (s: string) => void }) {
  const clock = systemClock;
  const db = openCheckedDb(config);
  const seeded = seedIfEmpty(db, clock, config);
  const log = jsonLogger(out.stdout, config.BATON_LOG_LEVEL);
  const app = createApp({ db, clock, config, log });
  const planned = app.planAhead();
  const server = serve({ fetch: app.fetch, port: config.PORT });
  await new Promise<void>((resolve) => server.once("listening", resolve));
  // Swap requests nobody took expire when their shift starts, and their owners are told even if nobody reads
  // them; every hour the plan is rolled forward, so a server left running never runs out of weeks.
  let ticks = 0;
  const timer = setInterval(() => {
    app.sweepSwaps();
    if (++ticks % 60 === 0) app.planAhead();
  }, 60_000);
  timer.unref();
  server.once("close", () => clearInterval(timer));
  const port = (server.address() as AddressInfo).port;
  const url = config.BATON_PUBLIC_URL ?? `http://localhost:${port}`;
  // Credentials go to the terminal only on the first start, not into the logs of every restart.
  const firstStart = seeded || (!config.BATON_ADMIN_TOKEN && currentGeneration(db, "admin", null) === null);
  const adminToken = config.BATON_ADMIN_TOKEN ? "(from BATON_ADMIN_TOKEN)" : issueToken(db, "admin", null);
  const someone = loadOrg(db).members[0];
  const lines = [
    `Baton is serving on ${url}`,
    seeded ? `  seeded the demo org from ${demoOrgPath}` : `  database: ${config.BATON_DB}`,
    `  planned ${config.BATON_PLAN_WEEKS} weeks ahead for ${planned.length} teams (${planned.reduce((n, p) => n + p.changes, 0)} weeks changed)`,
    `  health:       ${url}/healthz`,
    `  API:          ${url}/api/v1/openapi.json`,
    ...(someone ? [`  team page:    ${url}/teams/${loadOrg(db).teams[0]?.id ?? ""}`] : []),
    ...(firstStart
      ? [
          `  admin token:  ${adminToken}`,
          ...(someone ? [`  ${someone.name} signs in at ${url}/login/${issueToken(db, "personal", someone.id)}`] : []),
        ]
      : [`  admin token:  npx baton token --admin; sign-in links: npx baton token --member <id>`]),
  ];
  out.stderr(lines.join("\n") + "\n");
  return { app, db, server, port };
}
