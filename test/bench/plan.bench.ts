import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { loadConfig } from "../../src/config";
import { openDb, sqliteClient } from "../../src/db/open";
import { currentAssignments } from "../../src/db/schedule-store";
import { orgFileSchema } from "../../src/domain/org-file";
import { fixedClock } from "../../src/domain/time";
import type { ServiceContext } from "../../src/services/context";
import { importOrg } from "../../src/services/org";
import { applySchedule } from "../../src/services/schedule";
import { benchOrg } from "./bench-org";

const TEAMS = 250;
const SIZE = 8;
const WEEKS = 52;

/** Plans and applies a year for 250 teams of 8, and inserts the same rows with a bare prepared statement. */
export async function runPlanBench(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), "baton-bench-plan-"));
  try {
    const path = join(dir, "baton.db");
    const db = await openDb(path);
    const config = loadConfig({ BATON_DB: path, BATON_ADMIN_TOKEN: "bench-admin-token-0123456789" });
    const input = benchOrg(TEAMS, SIZE);
    input.timeOff = input.members.filter((_, i) => i % 5 === 0).map((m, i) => ({ member: m.id, start: `2027-0${1 + (i % 9)}-0${1 + (i % 7)}`, end: `2027-0${1 + (i % 9)}-1${i % 7}` }));
    const org = orgFileSchema.parse(input);
    const ctx: ServiceContext = { db, clock: fixedClock("2026-12-28T00:00:00Z"), config, actor: { kind: "admin" }, changed: () => {} };
    await importOrg(ctx, org);

    let peakRss = process.memoryUsage().rss;
    const started = performance.now();
    for (const team of org.teams) {
      await applySchedule(ctx, team.id, { weeks: WEEKS, from: "2027-01-01" });
      peakRss = Math.max(peakRss, process.memoryUsage().rss);
    }
    const seconds = (performance.now() - started) / 1000;
    const teamWeeks = TEAMS * WEEKS;
    const rows = (await Promise.all(org.teams.map((team) => currentAssignments(db, team.id)))).flat();

    const bare = await openDb(join(dir, "bare.db"));
    const insert = sqliteClient(bare).prepare(
      "INSERT INTO assignments (team_id, rotation_id, week_start, week_end, member_id, reason, sequence, recorded_at) VALUES (?, ?, ?, ?, NULL, ?, 0, ?)",
    );
    const bareStarted = performance.now();
    sqliteClient(bare).transaction(() => {
      for (const r of rows) insert.run(r.team, r.rotation, r.weekStart, r.weekEnd, r.reason, r.recordedAt);
    })();
    const bareSeconds = (performance.now() - bareStarted) / 1000;

    console.log(`plan+apply: ${TEAMS} teams x ${SIZE} members x ${WEEKS} weeks across 12 countries`);
    console.log(`  ${teamWeeks} team-weeks in ${seconds.toFixed(2)} s = ${(teamWeeks / seconds).toFixed(0)} team-weeks/s (target >= 1000)`);
    console.log(`  peak RSS ${(peakRss / 1024 / 1024).toFixed(0)} MiB`);
    console.log(`  bare prepared INSERT of the same ${rows.length} rows: ${(bareSeconds * 1000).toFixed(1)} ms = ${(rows.length / bareSeconds).toFixed(0)} rows/s`);
    console.log(`  ratio baton / bare insert time: ${(seconds / bareSeconds).toFixed(1)}x`);
    sqliteClient(db).close();
    sqliteClient(bare).close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
