import autocannon from "autocannon";
import type { ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { loadConfig } from "../../src/config";
import type { Db } from "../../src/db/open";
import { orgFileSchema } from "../../src/domain/org-file";
import { fixedClock } from "../../src/domain/time";
import type { ServiceContext } from "../../src/services/context";
import { importOrg } from "../../src/services/org";
import { applySchedule } from "../../src/services/schedule";
import { createPostgresDatabase, openTestDb, postgresAvailable, postgresUrl } from "../helpers/postgres";
import { benchOrg } from "./bench-org";
import { BENCH_TOKEN, LOOKUP_NOW, median, seedLookup, startLookupServer } from "./lookup-fixture";

const CONNECTIONS = 32;
const SECONDS = Number(process.env.BENCH_SECONDS ?? 5);
const ROUNDS = 3;
const PLAN_TEAMS = 40;
const PLAN_WEEKS = 26;

const contextFor = (db: Db, target: string, now: string): ServiceContext => ({
  db,
  clock: fixedClock(now),
  config: loadConfig({ BATON_DB: target, BATON_ADMIN_TOKEN: BENCH_TOKEN }),
  actor: { kind: "admin" },
  changed: () => {},
});

async function server(target: string): Promise<{ child: ChildProcess; url: string }> {
  const { child, port } = await startLookupServer(["baton", target, LOOKUP_NOW]);
  return { child, url: `http://127.0.0.1:${port}/api/v1/oncall?team=team-7` };
}

/** Requests per second with the connections spread evenly over the servers (a round-robin balancer). */
async function throughput(urls: string[]): Promise<number> {
  const results = await Promise.all(
    urls.map((url) => autocannon({ url, connections: CONNECTIONS / urls.length, duration: SECONDS, headers: { authorization: `Bearer ${BENCH_TOKEN}` } })),
  );
  if (results.some((r) => r.errors + r.non2xx > 0)) throw new Error("lookup errors under load");
  return results.reduce((sum, r) => sum + r.requests.average, 0);
}

async function planSeconds(target: string): Promise<number> {
  const db = await openTestDb(target);
  const ctx = contextFor(db, target, "2026-12-28T00:00:00Z");
  const org = orgFileSchema.parse(benchOrg(PLAN_TEAMS, 8));
  await importOrg(ctx, org, { planNewTeams: false });
  const started = performance.now();
  for (const team of org.teams) await applySchedule(ctx, team.id, { weeks: PLAN_WEEKS, from: "2027-01-01" });
  const seconds = (performance.now() - started) / 1000;
  await db.close();
  return seconds;
}

/**
 * The lookup and the plan on PostgreSQL beside SQLite, and the lookup through
 * two instances on one PostgreSQL database, each as a ratio to SQLite with one
 * instance measured in the same run (rounds interleaved, medians compared).
 */
export async function runBackendsBench(): Promise<void> {
  if (!(await postgresAvailable())) {
    console.log(`backends: no PostgreSQL server at ${postgresUrl} (start one with .ci/postgres, or set BATON_TEST_POSTGRES_URL); skipped`);
    return;
  }
  const dir = mkdtempSync(join(tmpdir(), "baton-bench-backends-"));
  const servers: ChildProcess[] = [];
  const databases = [await createPostgresDatabase(), await createPostgresDatabase()];
  try {
    const file = join(dir, "baton.db");
    const url = databases[0]!.url;
    await seedLookup(file);
    await seedLookup(url);
    const sqlite = await server(file);
    const [pgA, pgB] = await Promise.all([server(url), server(url)]);
    servers.push(sqlite.child, pgA!.child, pgB!.child);
    const runs = { sqlite: [] as number[], postgres: [] as number[], twoInstances: [] as number[] };
    await throughput([sqlite.url]);
    await throughput([pgA!.url, pgB!.url]);
    for (let round = 0; round < ROUNDS; round++) {
      runs.sqlite.push(await throughput([sqlite.url]));
      runs.postgres.push(await throughput([pgA!.url]));
      runs.twoInstances.push(await throughput([pgA!.url, pgB!.url]));
    }
    const base = median(runs.sqlite);
    console.log(`lookup: one team, ${CONNECTIONS} connections, ${ROUNDS} interleaved rounds of ${SECONDS}s (median round)`);
    console.log(`  SQLite, one instance          ${base.toFixed(0)} req/s (baseline)`);
    console.log(`  PostgreSQL, one instance      ${median(runs.postgres).toFixed(0)} req/s = ${(median(runs.postgres) / base).toFixed(2)}x`);
    console.log(`  PostgreSQL, two instances     ${median(runs.twoInstances).toFixed(0)} req/s = ${(median(runs.twoInstances) / base).toFixed(2)}x`);

    const planSqlite = await planSeconds(join(dir, "plan.db"));
    const planPostgres = await planSeconds(databases[1]!.url);
    const teamWeeks = PLAN_TEAMS * PLAN_WEEKS;
    console.log(`plan+apply: ${PLAN_TEAMS} teams x 8 members x ${PLAN_WEEKS} weeks`);
    console.log(`  SQLite      ${(teamWeeks / planSqlite).toFixed(0)} team-weeks/s (baseline)`);
    console.log(`  PostgreSQL  ${(teamWeeks / planPostgres).toFixed(0)} team-weeks/s = ${(planSqlite / planPostgres).toFixed(2)}x`);
  } finally {
    for (const child of servers) child.kill();
    for (const database of databases) await database.drop();
    rmSync(dir, { recursive: true, force: true });
  }
}
