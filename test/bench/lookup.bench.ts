import autocannon from "autocannon";
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { availableParallelism, tmpdir } from "node:os";
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
const SECONDS = Number(process.env.BENCH_SECONDS ?? 2);
// Many short rounds: this machine's speed drifts by a half within a minute, and the three servers of one round meet the same drift.
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 11);

/**
 * The servers on one CPU and this process, the load generator, on another,
 * where the machine has two and taskset: otherwise the scheduler moves them
 * about, and one server's round measured up to twice another's for the same code.
 */
function pinTo(cpus: string): boolean {
  return availableParallelism() >= 2 && spawnSync("taskset", ["-cp", cpus, String(process.pid)], { stdio: "ignore" }).status === 0;
}

function startChild(pinned: boolean, args: string[]): Promise<{ child: ChildProcess; port: number }> {
  const command = [process.execPath, "--import", "tsx", join(import.meta.dirname, "lookup-server.ts"), ...args];
  const child = pinned ? spawn("taskset", ["-c", "1", ...command], { stdio: ["ignore", "pipe", "inherit"] }) : spawn(command[0]!, command.slice(1), { stdio: ["ignore", "pipe", "inherit"] });
  return new Promise((resolve, reject) => {
    createInterface({ input: child.stdout! }).once("line", (line) => resolve({ child, port: Number(line) }));
    child.once("exit", (code) => reject(new Error(`server exited with ${code}`)));
  });
}

function load(url: string, headers: Record<string, string>) {
  return autocannon({ url, connections: CONNECTIONS, duration: SECONDS, headers });
}

export async function runLookupBench(): Promise<void> {
  const pinned = pinTo("0");
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

    const baton = await startChild(pinned, ["baton", path, NOW]);
    const headers = { authorization: `Bearer ${TOKEN}` };
    const lookupUrl = `http://127.0.0.1:${baton.port}/api/v1/oncall?team=team-7`;
    const body = await (await fetch(lookupUrl, { headers })).text();
    const logged = await startChild(pinned, ["baton-logged", path, NOW]);
    const loggedUrl = `http://127.0.0.1:${logged.port}/api/v1/oncall?team=team-7`;
    const bare = await startChild(pinned, ["bare", body]);
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
    const withLogs = median(loggedLookups);
    // Each round's ratio to the bare route of the same round, and the median of those.
    const ratioOf = (results: autocannon.Result[]) => {
      const ratios = results.map((r, round) => r.requests.average / baselines[round]!.requests.average).sort((a, b) => a - b);
      return ratios[ratios.length >> 1]!;
    };
    const ratio = ratioOf(lookups);
    const loggedRatio = ratioOf(loggedLookups);
    const errors = lookups.reduce((n, r) => n + r.errors + r.non2xx, 0);
    console.log(`lookup: one team, ${CONNECTIONS} connections, ${ROUNDS} interleaved rounds of ${SECONDS}s, ${body.length} bytes; ${pinned ? "servers on CPU 1, load generator on CPU 0" : "not pinned to CPUs (no taskset or one CPU)"}`);
    console.log(`  baton  ${lookups.map((r) => r.requests.average.toFixed(0)).join(" / ")} req/s; median round p50 ${lookup.latency.p50} ms, p99 ${lookup.latency.p99} ms; errors ${errors}`);
    console.log(`  logged ${loggedLookups.map((r) => r.requests.average.toFixed(0)).join(" / ")} req/s; median round p50 ${withLogs.latency.p50} ms, p99 ${withLogs.latency.p99} ms (request log at info, to /dev/null)`);
    console.log(`  bare   ${baselines.map((r) => r.requests.average.toFixed(0)).join(" / ")} req/s; median round p50 ${baseline.latency.p50} ms, p99 ${baseline.latency.p99} ms`);
    console.log(`  ratio  ${ratio.toFixed(2)} with logs silenced, median of the rounds' ratios (target >= 0.6); p99 ${lookup.latency.p99} ms (target < 10 ms)`);
    console.log(`  ratio  ${loggedRatio.toFixed(2)} logging at info, median of the rounds' ratios (target >= 0.8)`);
    console.log(
      `lookup: whole org of 250 teams: median ${wholeOrg[15]!.toFixed(1)} ms, p90 ${wholeOrg[27]!.toFixed(1)} ms, first ${wholeOrg[0]!.toFixed(1)} ms-min (target < 50 ms)`,
    );
  } finally {
    if (pinned) pinTo(`0-${availableParallelism() - 1}`);
    rmSync(dir, { recursive: true, force: true });
  }
}
