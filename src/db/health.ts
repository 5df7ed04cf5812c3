import type { Db } from "./open";

export function databaseReachable(db: Db): boolean {
  try {
    return (db.$client.prepare("SELECT 1 AS ok").get() as { ok: number }).ok === 1;
  } catch {
    return false;
  }
}

/** What PRAGMA quick_check finds wrong (its first few lines), or null when every page reads back. */
export function databaseDamage(db: Db): string | null {
  try {
    const lines = db.$client.prepare("PRAGMA quick_check(3)").pluck().all() as string[];
    return lines.length === 1 && lines[0] === "ok" ? null : lines.join("; ");
  } catch (error) {
    return (error as Error).message;
  }
}

/** Writes and removes a row in a transaction that is rolled back: proves the file is writable. */
export function databaseWritable(db: Db): boolean {
  try {
    const client = db.$client;
    client.exec("BEGIN IMMEDIATE");
    client.prepare("INSERT INTO settings (key, value) VALUES ('self-check', 'ok') ON CONFLICT(key) DO UPDATE SET value = 'ok'").run();
    client.exec("ROLLBACK");
    return true;
  } catch {
    if (db.$client.inTransaction) db.$client.exec("ROLLBACK");
    return false;
  }
}
