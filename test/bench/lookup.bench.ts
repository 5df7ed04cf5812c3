import autocannon from "autocannon";
import { spawnSync, type ChildProcess } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { availableParallelism, tmpdir } from "node:os";
import { join } from "node:path";
import { BENCH_TOKEN, LOOKUP_NOW, median, seedLookup, startLookupServer } from "./lookup-fixture";

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

function load(url: string, headers: Record<string, string>) {
  return autocannon({ url, connections: CONNECTIONS, duration: SECONDS, headers });
}

const CLOCK_TICKS_PER_SECOND = Number(spawnSync("getconf", ["CLK_TCK"], { encoding: "utf8" }).stdout) || 100;

/** The CPU seconds a process has used, user and system, from Linux's /proc; null elsewhere. */
function cpuSeconds(pid: number): number | null {
  try {
    // The fields after the command's closing parenthesis start at the third, the state; utime and stime are the 14th and 15th.
    const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]!.split(" ");
    return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS_PER_SECOND;
  } catch {
    return null;
  }
}

/** A round against one server: its throughput, and the share of the round its CPU was busy. */
type Round = { perSecond: number; busy: number | null; cpuPerRequestUs: number | null; result: autocannon.Result };

async function round(url: string, headers: Record<string, string>, server: ChildProcess): Promise<Round> {
  const before = cpuSeconds(server.pid!);
  const started = performance.now();
  const result = await load(url, headers);
  const after = cpuSeconds(server.pid!);
  const used = before === null || after === null ? null : after - before;
  return {
    perSecond: result.requests.average,
    busy: used === null ? null : used / ((performance.now() - started) / 1000),
    cpuPerRequestUs: used === null ? null : (used * 1e6) / result.requests.total,
    result,
  };
}

/**
 * A round measures the server only if its CPU was busy nearly all of it:
 * when the host runs fast, the load generator (one process on the other
 * CPU) is the limit instead, all three servers answer alike and the ratio
 * reads 1 whatever the code costs.
 */
const SATURATED = 0.9;

export async function runLookupBench(): Promise<void> {
  const pinned = pinTo("0");
  const dir = mkdtempSync(join(tmpdir(), "baton-bench-"));
  const path = join(dir, "baton.db");
  try {
    await seedLookup(path);

    const baton = await startLookupServer(["baton", path, LOOKUP_NOW], pinned);
    const headers = { authorization: `Bearer ${BENCH_TOKEN}` };
    const lookupUrl = `http://127.0.0.1:${baton.port}/api/v1/oncall?team=team-7`;
    const body = await (await fetch(lookupUrl, { headers })).text();
    const logged = await startLookupServer(["baton-logged", path, LOOKUP_NOW], pinned);
    const loggedUrl = `http://127.0.0.1:${logged.port}/api/v1/oncall?team=team-7`;
    const bare = await startLookupServer(["bare", body], pinned);
    const bareUrl = `http://127.0.0.1:${bare.port}/api/v1/oncall?team=team-7`;

    const wholeOrg: number[] = [];
    for (let i = 0; i < 30; i++) {
      const started = performance.now();
      const res = await fetch(`http://127.0.0.1:${baton.port}/api/v1/oncall`, { headers });
      await res.arrayBuffer();
      wholeOrg.push(performance.now() - started);
    }
    wholeOrg.sort((a, b) => a - b);

    // Interleaved rounds, so that whatever else the machine does weighs on all three alike; the median round counts.
    await load(lookupUrl, headers);
    await load(loggedUrl, headers);
    await load(bareUrl, headers);
    const rounds: { baton: Round; logged: Round; bare: Round }[] = [];
    for (let n = 0; n < ROUNDS; n++) {
      rounds.push({ baton: await round(lookupUrl, headers, baton.child), logged: await round(loggedUrl, headers, logged.child), bare: await round(bareUrl, headers, bare.child) });
    }
    baton.child.kill();
    logged.child.kill();
    bare.child.kill();

    const measured = rounds[0]!.bare.busy !== null;
    const saturated = rounds.filter((r) => [r.baton, r.logged, r.bare].every((server) => (server.busy ?? 1) >= SATURATED));
    // Each round's ratio to the bare route of the same round, and the median of those, over the rounds that measured the servers.
    const counted = saturated.length >= 3 ? saturated : rounds;
    const ratioOf = (mode: "baton" | "logged") => median(counted.map((r) => r[mode].perSecond / r.bare.perSecond));
    // What each request cost the server's CPU, bare against Baton: the same figure, read from inside, in every round.
    const costRatioOf = (mode: "baton" | "logged") => median(rounds.map((r) => r.bare.cpuPerRequestUs! / r[mode].cpuPerRequestUs!));
    const medianOf = (mode: "baton" | "logged" | "bare") => rounds.map((r) => r[mode].result).sort((a, b) => a.requests.average - b.requests.average)[rounds.length >> 1]!;
    const describe = (mode: "baton" | "logged" | "bare") => {
      const middleRound = medianOf(mode);
      const cpu = measured ? `; server busy ${rounds.map((r) => `${Math.round(r[mode].busy! * 100)}%`).join(" ")}; ${median(rounds.map((r) => r[mode].cpuPerRequestUs!)).toFixed(1)} µs CPU a request` : "";
      return `${rounds.map((r) => r[mode].perSecond.toFixed(0)).join(" / ")} req/s; median round p50 ${middleRound.latency.p50} ms, p99 ${middleRound.latency.p99} ms${cpu}`;
    };
    const errors = rounds.reduce((n, r) => n + r.baton.result.errors + r.baton.result.non2xx + r.logged.result.errors + r.logged.result.non2xx, 0);
    const lookup = medianOf("baton");
    const which = !measured
      ? "over all rounds (no /proc: whether the servers were saturated is not known)"
      : counted === saturated
        ? `over the ${saturated.length} rounds in which every server's CPU was busy >= ${SATURATED * 100}%`
        : `over all rounds: only ${saturated.length} saturated every server, so these read nearer 1 than the code is`;
    console.log(`lookup: one team, ${CONNECTIONS} connections, ${ROUNDS} interleaved rounds of ${SECONDS}s, ${body.length} bytes; ${pinned ? "servers on CPU 1, load generator on CPU 0" : "not pinned to CPUs (no taskset or one CPU)"}`);
    console.log(`  baton  ${describe("baton")}; errors ${errors}`);
    console.log(`  logged ${describe("logged")} (request log at info, to /dev/null)`);
    console.log(`  bare   ${describe("bare")}`);
    console.log(`  ratio  ${ratioOf("baton").toFixed(2)} with logs silenced, median of the rounds' ratios ${which} (target >= 0.6); p99 ${lookup.latency.p99} ms (target < 10 ms)`);
    console.log(`  ratio  ${ratioOf("logged").toFixed(2)} logging at info, the same way (target >= 0.8)`);
    if (measured) console.log(`  cost   bare's CPU a request over Baton's, median of all rounds: ${costRatioOf("baton").toFixed(2)} silenced, ${costRatioOf("logged").toFixed(2)} logging at info`);
    console.log(
      `lookup: whole org of 250 teams: median ${wholeOrg[15]!.toFixed(1)} ms, p90 ${wholeOrg[27]!.toFixed(1)} ms, first ${wholeOrg[0]!.toFixed(1)} ms-min (target < 50 ms)`,
    );
  } finally {
    if (pinned) pinTo(`0-${availableParallelism() - 1}`);
    rmSync(dir, { recursive: true, force: true });
  }
}
