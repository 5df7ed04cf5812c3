import type { Db } from "../db/open";
import type { DateTime } from "luxon";
import { uncoveredWhilePlanned } from "../domain/coverage";
import { holidayDataLoads } from "../domain/holidays";
import { DAY_MS, instantMs, toIsoZ } from "../domain/time";
import type { OncallIndex } from "./oncall-index";

export type SelfCheck = { ok: boolean; failures: string[] };

/**
 * What start-up insists on before serving: every page readable (PRAGMA
 * quick_check, `thorough` only: it reads the whole file), migrations applied,
 * a write that can be rolled back, holiday data. /healthz runs the cheap part.
 */
export async function selfCheck(db: Db, options: { thorough: boolean } = { thorough: true }): Promise<SelfCheck> {
  const failures: string[] = [];
  const { reachable, writable } = await db.probe();
  if (!reachable) failures.push("database is not reachable");
  else {
    const damage = options.thorough ? await db.damage() : null;
    if (damage) failures.push(`the database is damaged (PRAGMA quick_check: ${damage}); restore it from a backup`);
    const migrations = await db.migrationStatus();
    if (!migrations.atHead) failures.push(`migrations not at head (${migrations.applied} of ${migrations.expected} applied)`);
    if (!writable) failures.push("database is not writable");
  }
  try {
    if (!holidayDataLoads()) failures.push("holiday data did not load");
  } catch (error) {
    failures.push(`holiday data did not load: ${(error as Error).message}`);
  }
  return { ok: failures.length === 0, failures };
}

export type TeamHealth = { team: string; plannedUntil: string | null; weeksAhead: number; uncovered: { start: string; end: string }[] };

/** Per team: how far ahead it is planned, and any planned instant from now on that nobody holds. */
export async function teamHealth(index: OncallIndex, now: DateTime): Promise<TeamHealth[]> {
  const at = toIsoZ(now);
  const { teams } = await index.currentOrg();
  return Promise.all(teams.map(async (team) => {
    const shifts = (await index.timeline(team, at)).rotations.flatMap((r) => r.shifts).filter((s) => s.end > at);
    const plannedUntil = shifts.reduce<string | null>((max, s) => (max === null || s.end > max ? s.end : max), null);
    return {
      team: team.id,
      plannedUntil,
      weeksAhead: plannedUntil ? Math.floor((instantMs(plannedUntil) - now.toMillis()) / (7 * DAY_MS)) : 0,
      uncovered: uncoveredWhilePlanned(shifts, at),
    };
  }));
}

export async function healthReport(db: Db, version: string, index: OncallIndex, now: DateTime) {
  const { reachable, writable } = await db.probe();
  const migrations = reachable ? await db.migrationStatus() : null;
  const ok = reachable && migrations?.atHead === true && writable;
  const teams = ok ? await teamHealth(index, now) : [];
  const warnings = teams.flatMap((t) => [
    ...(t.plannedUntil === null ? [`${t.team}: nothing planned from now on`] : []),
    ...t.uncovered.map((u) => `${t.team}: nobody on call ${u.start} – ${u.end}`),
  ]);
  return {
    status: ok ? (warnings.length > 0 ? "degraded" : "ok") : "fail",
    version,
    database: { backend: db.backend, reachable, writable, migrations: migrations && { atHead: migrations.atHead, head: migrations.head } },
    teams,
    warnings,
  };
}
