import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { sql, type SQL } from "drizzle-orm";
import { afterAll, onTestFinished, TestRunner } from "vitest";
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
/** What is still to be cleaned up when the file's tests end, last made first. */
const leftAtFileEnd: (() => unknown)[] = [];
// Registered while the test file imports this module, so on the file's own suite.
afterAll(async () => {
  for (const clean of leftAtFileEnd.splice(0).reverse()) await clean();
});

/**
 * Runs `clean` once the current test ends, or outside a test (describe,
 * beforeAll) once the file's tests end. vitest never runs an afterAll
 * registered inside a test or a hook, so helpers called there must not use it.
 */
export function cleanUp(clean: () => unknown): void {
  if (TestRunner.getCurrentTest()) onTestFinished(async () => void (await clean()));
  else leftAtFileEnd.push(clean);
}

/** A new PostgreSQL database, dropped when the test (or, made outside one, the file's tests) ends. */
export async function freshPostgresDatabase(options: { empty?: boolean } = {}): Promise<string> {
  const { url, drop } = await createPostgresDatabase(options);
  cleanUp(drop);
  return url;
}

/** A folder of its own in the system's temporary folder, removed when the test (or the file) ends. */
export function tempDir(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), `baton-${prefix}-`));
  cleanUp(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/**
 * Where a fresh database is (nothing opened yet), and the environment a
 * Baton process needs for it: a file path in a folder of its own, or the URL
 * of a new PostgreSQL database and the instances' shared secret. `empty`: a
 * database no migration has run on (a file not made yet on SQLite).
 */
export async function tempDatabase(options: { empty?: boolean } = {}): Promise<{ target: string; env: Record<string, string> }> {
  const target = onPostgres ? await freshPostgresDatabase(options) : join(tempDir("db"), "baton.db");
  return { target, env: { BATON_DB: target, ...backendEnv } };
}

/** A fresh database at the latest migration — a SQLite file, or a PostgreSQL database — closed when the test (or the file) ends. */
export async function tempDb(): Promise<{ db: Db; path: string }> {
  const { target: path } = await tempDatabase();
  const db = onPostgres ? await openTestDb(path) : await openDb(path);
  cleanUp(() => db.close());
  return { db, path };
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
