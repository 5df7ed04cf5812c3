import Database from "better-sqlite3";
import { drizzle, type BetterSQLite3Database } from "drizzle-orm/better-sqlite3";
import type { BaseSQLiteDatabase } from "drizzle-orm/sqlite-core";
import { migrate } from "drizzle-orm/better-sqlite3/migrator";
import { mkdirSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import * as schema from "./schema";
import { loadServerSecret, type ServerSecret } from "./secret";

/** The database, and the secret kept beside it (never in it). */
export type Db = BetterSQLite3Database<typeof schema> & { $client: Database.Database; secret: ServerSecret };
/** The database or a transaction on it: what queries run against. */
export type Queryable = BaseSQLiteDatabase<"sync", Database.RunResult, typeof schema>;

export const migrationsFolder = join(dirname(fileURLToPath(import.meta.url)), "..", "..", "drizzle");

/** Opens (creating if needed) a database and brings it to the latest migration; `secret` is BATON_SECRET. */
export function openDb(path: string, options: { secret?: string | undefined } = {}): Db {
  if (path !== ":memory:") mkdirSync(dirname(path), { recursive: true });
  const secret = loadServerSecret(path, options.secret);
  const client = new Database(path);
  client.pragma("journal_mode = WAL");
  client.pragma("foreign_keys = ON");
  client.pragma("busy_timeout = 5000");
  client.pragma("synchronous = NORMAL");
  const db = Object.assign(drizzle(client, { schema }), { secret }) as Db;
  migrate(db, { migrationsFolder });
  return db;
}

type Journal = { entries: { tag: string; when: number }[] };

/** Whether every committed migration has been applied, and the latest one's tag. */
export function migrationStatus(db: Db): { atHead: boolean; head: string; applied: number; expected: number } {
  const journal = JSON.parse(readFileSync(join(migrationsFolder, "meta", "_journal.json"), "utf8")) as Journal;
  const applied = db.$client.prepare("SELECT count(*) AS n FROM __drizzle_migrations").get() as { n: number };
  const last = journal.entries.at(-1);
  return { atHead: applied.n === journal.entries.length, head: last?.tag ?? "", applied: applied.n, expected: journal.entries.length };
}

/** How stale a server may be about a write made by another process. */
export const OUTSIDE_WRITE_CHECK_MS = 100;

/**
 * A check that answers true when another connection (the CLI, a second
 * server) has committed to the database since it last looked: SQLite bumps
 * `data_version` for commits by other connections only. It looks at most
 * every OUTSIDE_WRITE_CHECK_MS: asking SQLite on every request would cost
 * the on-call lookup a third of its throughput.
 */
export function outsideWriteWatcher(db: Db): () => boolean {
  const read = db.$client.prepare("PRAGMA data_version").pluck();
  let seen = read.get() as number;
  let lookedAt = performance.now();
  return () => {
    const now = performance.now();
    if (now - lookedAt < OUTSIDE_WRITE_CHECK_MS) return false;
    lookedAt = now;
    const version = read.get() as number;
    if (version === seen) return false;
    seen = version;
    return true;
  };
}
