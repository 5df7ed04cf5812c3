import autocannon from "autocannon";
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { loadConfig } from "../../src/config";
import { openDb, sqliteClient } from "../../src/db/open";
import { storeAssignments } from "../../src/db/schedule-store";
import { orgFileSchema } from "../../src/domain/org-file";
import { fixedClock } from "../../src/domain/time";
import { handoffClock, weeksFrom } from "../../src/domain/weeks";
import { importOrg } from "../../src/services/org";
import { benchOrg } from "./bench-org";

const NOW = "2027-03-10T12:00:00Z";
const TOKEN = "bench-admin-token-0123456789";
const CONNECTIONS = 32;
const SECONDS = Number(process.env.BENCH_SECONDS ?? 5);
const ROUNDS = 3;

function startChild(args: string[]): Promise<{ child: ChildProcess; port: number }> {
  const child = spawn(process.execPath, ["--import", "tsx", join(import.meta.dirname, "lookup-server.ts"), ...args], { stdio: ["ignore", "pipe", "inherit"] });
  return new Promise((resolve, reject) => {
    createInterface({ input: child.stdout! }).once("line", (line) => resolve({ child, port: Number(line) }));
    child.once("exit", (code) => reject(new Error(`server exited with ${code}`)));
  });
}

function load(url: string, headers: Record<string, string>) {
  return autocannon({ url, connections: CONNECTIONS, duration: SECONDS, headers });
}

export async function runLookupBench(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), "baton-bench-"));
  const path = join(dir, "baton.db");
  try {
    const db = await openDb(path);
    const config = loadConfig({ BATON_DB: path, BATON_ADMIN_TOKEN: TOKEN });
    const org = orgFileSchema.parse(benchOrg(250, 8));
    await importOrg({ db, clock: fixedClock("2027-01-01T00:00:00Z"), config, actor: { kind: "admin" }, changed: () => {} }, org);
    await db.transact(async (tx) => {
            for (const team of org.teams) {
              const rotation = team.rotations[0]!;
              const weeks = weeksFrom(handoffClock(team, rotation), "2027-01-01", 52);
              await storeAssignments(
                          { tx, actor: { kind: "admin" }, at: "2027-01-01T00:00:00Z" },
                          team.id,
                          weeks.map((w, i) => ({ team: team.id, rotation: rotation.id, weekStart: w.start, weekEnd: w.end, member: rotation.members[i % rotation.members.length]!, reason: "bench" })),
                        );
            }
          });
    sqliteClient(db).close();

    const baton = await startChild(["baton", path, NOW]);
    const headers = { authorization: `Bearer ${TOKEN}` };
    const lookupUrl = `http://127.0.0.1:${baton.port}/api/v1/oncall?team=team-7`;
    const body = await (await fetch(lookupUrl, { headers })).text();
    const logged = await startChild(["baton-logged", path, NOW]);
    const loggedUrl = `http://127.0.0.1:${logged.port}/api/v1/oncall?team=team-7`;
    const bare = await startChild(["bare", body]);
    const bareUrl = `http://127.0.0.1:${bare.port}/api/v1/oncall?team=team-7`;

    const wholeOrg: number[] = [];
    for (let i = 0; i < 30; i++) {
      const started = performance.now();
      const res = await fetch(`http://127.0.0.1:${baton.port}/api/v1/oncall`, { headers });
      await res.arrayBuffer();
      wholeOrg.push(performance.now() - started);
    }
    wholeOrg.sort((a, b) => a - b);

    // Interleaved rounds, so that whatever else the machine does weighs on both alike; the median round counts.
    await load(lookupUrl, headers);
    await load(loggedUrl, headers);
    await load(bareUrl, headers);
    const lookups: autocannon.Result[] = [];
    const loggedLookups: autocannon.Result[] = [];
    const baselines: autocannon.Result[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      lookups.push(await load(lookupUrl, headers));
      loggedLookups.push(await load(loggedUrl, headers));
      baselines.push(await load(bareUrl, headers));
    }
    baton.child.kill();
    logged.child.kill();
    bare.child.kill();

    const median = (results: autocannon.Result[]) => [...results].sort((a, b) => a.requests.average - b.requests.average)[results.length >> 1]!;
    const lookup = median(lookups);
    const baseline = median(baselines);
    const ratio = lookup.requests.average / baseline.requests.average;
    const withLogs = median(loggedLookups);
    const loggedRatio = withLogs.requests.average / baseline.requests.average;
    const errors = lookups.reduce((n, r) => n + r.errors + r.non2xx, 0);
    console.log(`lookup: one team, ${CONNECTIONS} connections, ${ROUNDS} interleaved rounds of ${SECONDS}s, ${body.length} bytes`);
    console.log(`  baton  ${lookups.map((r) => r.requests.average.toFixed(0)).join(" / ")} req/s; median round p50 ${lookup.latency.p50} ms, p99 ${lookup.latency.p99} ms; errors ${errors}`);
    console.log(`  logged ${loggedLookups.map((r) => r.requests.average.toFixed(0)).join(" / ")} req/s; median round p50 ${withLogs.latency.p50} ms, p99 ${withLogs.latency.p99} ms (request log at info, to /dev/null)`);
    console.log(`  bare   ${baselines.map((r) => r.requests.average.toFixed(0)).join(" / ")} req/s; median round p50 ${baseline.latency.p50} ms, p99 ${baseline.latency.p99} ms`);
    console.log(`  ratio  ${ratio.toFixed(2)} of medians with logs silenced (target >= 0.6); p99 ${lookup.latency.p99} ms (target < 10 ms)`);
    console.log(`  ratio  ${loggedRatio.toFixed(2)} of medians logging at info (target >= 0.8)`);
    console.log(
      `lookup: whole org of 250 teams: median ${wholeOrg[15]!.toFixed(1)} ms, p90 ${wholeOrg[27]!.toFixed(1)} ms, first ${wholeOrg[0]!.toFixed(1)} ms-min (target < 50 ms)`,
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
