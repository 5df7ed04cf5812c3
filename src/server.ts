import { serve } from "@hono/node-server";
import type { AddressInfo } from "node:net";
import { readFileSync, statSync, type Stats } from "node:fs";
import { join } from "node:path";
import type { Config } from "./config";
import { isPostgresUrl, openDb, migrationsFolder, type Db } from "./db/open";
import { SecretError } from "./db/secret";
import { loadOrg } from "./db/org-store";
import { orgFileSchema } from "./domain/org-file";
import { systemClock, toIsoZ, type Clock } from "./domain/time";
import { parseOrThrow } from "./domain/validation";
import { createApp } from "./http/app";
import { asyncDestination, jsonLogger, type DestinationStream } from "./logger";
import { selfCheck } from "./services/health";
import { importOrg } from "./services/org";
import { claimJobRun } from "./db/job-store";
import { currentGeneration, recordServerUrl } from "./db/token-store";
import { ensureFeedTokens, issueToken } from "./services/tokens";

export const demoOrgPath = join(migrationsFolder, "..", "fixtures", "demo-org.json");

export class StartupError extends Error {}

/** What went wrong opening a database, in words an operator can act on. */
function openFailure(error: unknown): string {
  const code = (error as { code?: string }).code ?? "";
  const message = (error as Error).message;
  if (code.startsWith("SQLITE_CORRUPT")) return `the database is damaged (${message}); restore it from a backup`;
  if (code === "SQLITE_NOTADB") return "is not a database (SQLite says: file is not a database)";
  if (code.startsWith("SQLITE_READONLY")) return `cannot be written (${message}); check the file's and directory's permissions`;
  if (code.startsWith("SQLITE_CANTOPEN")) return `cannot be opened (${message}); it must be a file in a directory Baton may write`;
  if (error instanceof SecretError) return message;
  return `cannot be opened: ${message}`;
}

/**
 * Opens the database and refuses to go on unless the start-up self-check
 * passes; every failure is one line naming BATON_DB and what is wrong.
 */
export async function openCheckedDb(config: Config): Promise<Db> {
  const path = config.BATON_DB;
  const where = `BATON_DB=${isPostgresUrl(path) ? redactUrl(path) : path}`;
  if (!isPostgresUrl(path)) checkDatabaseFile(path, where);
  let db: Db;
  try {
    db = await openDb(path, { secret: config.BATON_SECRET, pool: config.BATON_PG_POOL });
  } catch (error) {
    throw new StartupError(`${where} ${openFailure(error)}`);
  }
  const check = await selfCheck(db, { thorough: true });
  if (!check.ok) {
    await db.close();
    throw new StartupError(`${where} failed the start-up self-test: ${check.failures.join("; ")}`);
  }
  return db;
}

/** A URL as it may be printed: without its password. */
export function redactUrl(url: string): string {
  const parsed = new URL(url);
  if (parsed.password) parsed.password = "***";
  return parsed.toString();
}

function checkDatabaseFile(path: string, where: string): void {
  // SQLite would take an empty file for a new database; here it is more likely a copy that failed.
  let stat: Stats | undefined;
  try {
    stat = path === ":memory:" ? undefined : statSync(path, { throwIfNoEntry: false });
  } catch (error) {
    throw new StartupError(`${where} cannot be reached (${(error as Error).message}); it must be a file in a directory Baton may write`);
  }
  if (stat?.isDirectory()) throw new StartupError(`${where} is a directory; give the path of the database file`);
  if (stat?.isFile() && stat.size === 0) {
    throw new StartupError(`${where} is an empty file (0 bytes), not a Baton database: restore it from a backup, or delete it to start afresh`);
  }
}

/** On an empty database, imports the demo org so that a first start has something to show. */
export async function seedIfEmpty(db: Db, clock: Clock, config: Config): Promise<boolean> {
  if ((await loadOrg(db)).members.length > 0) return false;
  const org = parseOrThrow(orgFileSchema, JSON.parse(readFileSync(demoOrgPath, "utf8")));
  await importOrg({ db, clock, config, actor: { kind: "admin", via: "system" }, changed: () => {} }, org);
  return true;
}

/**
 * Serves Baton. `baton serve` starts on whatever the database holds (empty
 * until the real org is imported); the demo (`npm start`) passes `seedDemo`
 * and gets the demo org on an empty database.
 */
export async function startServer(
  config: Config,
  out: {
    stderr: (s: string) => void;
    /** Where the JSON log lines go; standard output, written in the background, unless given. */
    logs?: DestinationStream;
  },
  options: { seedDemo?: boolean } = {},
) {
  const clock = systemClock;
  const db = await openCheckedDb(config);
  const seeded = options.seedDemo ? await seedIfEmpty(db, clock, config) : false;
  // A database imported before feed links were issued on import gets them now, on a write path.
  const org = await loadOrg(db);
  await db.transact(async (tx) => ensureFeedTokens({ tx, secret: db.secret }, org.members.map((m) => m.id), org.teams.map((t) => t.id)));
  const log = jsonLogger(config.BATON_LOG_LEVEL, out.logs ?? asyncDestination());
  const app = createApp({ db, clock, config, log });
  const planned = await app.planAhead();
  const server = serve({ fetch: app.fetch, port: config.PORT });
  await new Promise<void>((resolve, reject) => {
    server.once("listening", resolve);
    server.once("error", (error: NodeJS.ErrnoException) => {
      void db.close();
      reject(
        error.code === "EADDRINUSE"
          ? new StartupError(`port ${config.PORT} is already in use (PORT): stop the other server or choose another port`)
          : error.code === "EACCES"
            ? new StartupError(`port ${config.PORT} needs privileges Baton does not have (PORT): choose a port above 1023`)
            : error,
      );
    });
  });
  // Swap requests nobody took expire when their shift starts, and their owners are told even if nobody reads
  // them; every hour the plan is rolled forward, so a server left running never runs out of weeks.
  let ticks = 0;
  // With several instances on one database, each job runs on one of them, once an interval: the claim is
  // recorded in the database, and the advisory lock keeps two from running it at once.
  const runJob = (name: string, intervalMs: number, job: () => Promise<unknown>) =>
    db
      .exclusiveJob(name, async () => {
        if (await claimJobRun(db, name, toIsoZ(clock.now()), intervalMs)) await job();
      })
      .catch((error: unknown) => log.error({ err: error }, `${name} failed`));
  const timer = setInterval(() => {
    void runJob("swap-expiry", 60_000, app.sweepSwaps);
    if (++ticks % 60 === 0) void runJob("plan-ahead", 3_600_000, app.planAhead);
  }, 60_000);
  timer.unref();
  server.once("close", () => clearInterval(timer));
  const port = (server.address() as AddressInfo).port;
  const url = config.BATON_PUBLIC_URL ?? `http://localhost:${port}`;
  await db.transact((tx) => recordServerUrl(tx, url));
  // Credentials go to the terminal only on the first start, not into the logs of every restart.
  const firstStart = seeded || (!config.BATON_ADMIN_TOKEN && await currentGeneration(db, "admin", null) === null);
  const adminToken = config.BATON_ADMIN_TOKEN ? "(from BATON_ADMIN_TOKEN)" : await issueToken(db, "admin", null);
  const someone = (await loadOrg(db)).members[0];
  const lines = [
    `Baton is serving on ${url}`,
    seeded ? `  seeded the demo org from ${demoOrgPath}` : `  database: ${config.BATON_DB}`,
    ...((await loadOrg(db)).members.length === 0 ? [`  the database is empty: import your org with npx baton import org.json (or PUT /api/v1/org)`] : []),
    `  planned ${config.BATON_PLAN_WEEKS} weeks ahead for ${planned.length} teams (${planned.reduce((n, p) => n + p.changes, 0)} weeks changed)`,
    `  health:       ${url}/healthz`,
    `  API:          ${url}/api/v1/openapi.json`,
    ...(someone ? [`  team page:    ${url}/teams/${(await loadOrg(db)).teams[0]?.id ?? ""}`] : []),
    ...(firstStart
      ? [
          `  admin token:  ${adminToken}`,
          ...(someone ? [`  ${someone.name} signs in at ${url}/login/${await issueToken(db, "personal", someone.id)}`] : []),
        ]
      : [`  admin token:  npx baton token --admin; sign-in links: npx baton token --member <id>`]),
  ];
  out.stderr(lines.join("\n") + "\n");
  return { app, db, server, port };
}
