import { databaseReachable, databaseWritable } from "../db/health";
import { migrationStatus, type Db } from "../db/open";
import { holidayDataLoads } from "../domain/holidays";

export type SelfCheck = { ok: boolean; failures: string[] };

/** What start-up insists on before serving: migrations applied, a writable database, holiday data. */
export function selfCheck(db: Db): SelfCheck {
  const failures: string[] = [];
  if (!databaseReachable(db)) failures.push("database is not reachable");
  else {
    const migrations = migrationStatus(db);
    if (!migrations.atHead) failures.push(`migrations not at head (${migrations.applied} of ${migrations.expected} applied)`);
    if (!databaseWritable(db)) failures.push("database is not writable");
  }
  try {
    if (!holidayDataLoads()) failures.push("holiday data did not load");
  } catch (error) {
    failures.push(`holiday data did not load: ${(error as Error).message}`);
  }
  return { ok: failures.length === 0, failures };
}

export function healthReport(db: Db, version: string) {
  const reachable = databaseReachable(db);
  const migrations = reachable ? migrationStatus(db) : null;
  const ok = reachable && migrations?.atHead === true;
  return {
    status: ok ? "ok" : "fail",
    version,
    database: { reachable, migrations: migrations && { atHead: migrations.atHead, head: migrations.head } },
  };
}
