import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { sql, type SQL } from "drizzle-orm";
import { afterAll } from "vitest";
import { openDb, type Db } from "../../src/db/open";
import { createPostgresDatabase, openTestDb, TEST_SECRET } from "./postgres";

/**
 * Which database the suite runs on: SQLite files by default; PostgreSQL when
 * BATON_TEST_BACKEND=postgres, on the server at BATON_TEST_POSTGRES_URL
 * (`.ci/postgres` starts a private one). `npm test` runs the suite once on each.
 */
export const onPostgres = process.env.BATON_TEST_BACKEND === "postgres";
export { openOptions, openTestDb, postgresAvailable, postgresUrl, TEST_SECRET } from "./postgres";
/** What a CLI run in a test needs besides BATON_DB: on PostgreSQL, the instances' shared secret. */
export const backendEnv: Record<string, string> = onPostgres ? { BATON_SECRET: TEST_SECRET } : {};
/** A new PostgreSQL database for one test file, dropped when the file's tests end. */
export async function freshPostgresDatabase(): Promise<string> {
  const { url, drop } = await createPostgresDatabase();
  afterAll(drop);
  return url;
}

/** A fresh database for one test file — a SQLite file, or a PostgreSQL database — at the latest migration. */
export async function tempDb(): Promise<{ db: Db; path: string }> {
  if (onPostgres) {
    const path = await freshPostgresDatabase();
    const db = await openTestDb(path);
    afterAll(() => db.close());
    return { db, path };
  }
  const dir = mkdtempSync(join(tmpdir(), "baton-test-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const path = join(dir, "baton.db");
  return { db: await openDb(path), path };
}


/** Rows of a query with `?` placeholders, on either backend (counts come back as numbers on both). */
export async function query<T = Record<string, unknown>>(db: Db, text: string, ...params: unknown[]): Promise<T[]> {
  const chunks = text.split("?");
  let statement: SQL = sql.raw(chunks[0]!);
  chunks.slice(1).forEach((chunk, i) => (statement = sql`${statement}${params[i]}${sql.raw(chunk)}`));
  const rows = await db.rows<Record<string, unknown>>(statement);
  // PostgreSQL's count(*) is a bigint, which its driver hands over as a string.
  return rows.map((row) => Object.fromEntries(Object.entries(row).map(([k, v]) => [k, k === "count" || k === "n" ? Number(v) : v]))) as T[];
}

/** Every row of every table Baton writes, in a stable order: to show that something stored nothing. */
export async function everyRow(db: Db, options: { except?: string[] } = {}): Promise<Record<string, string[]>> {
  const tables = (
    db.backend === "postgres"
      ? await query<{ name: string }>(db, "SELECT table_name AS name FROM information_schema.tables WHERE table_schema = 'public'")
      : await query<{ name: string }>(db, "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name != '__drizzle_migrations'")
  )
    .map((t) => t.name)
    .filter((name) => !options.except?.includes(name))
    .sort();
  const dump: Record<string, string[]> = {};
  for (const name of tables) dump[name] = (await query(db, `SELECT * FROM "${name}"`)).map((row) => JSON.stringify(row)).sort();
  return dump;
}
