import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pg from "pg";
import { sql, type SQL } from "drizzle-orm";
import { afterAll } from "vitest";
import { openDb, type Db } from "../../src/db/open";

/**
 * Which database the suite runs on: SQLite files by default; PostgreSQL when
 * BATON_TEST_BACKEND=postgres, on the server at BATON_TEST_POSTGRES_URL
 * (`.ci/postgres` starts a private one). `npm test` runs the suite once on each.
 */
export const onPostgres = process.env.BATON_TEST_BACKEND === "postgres";
export const postgresUrl = process.env.BATON_TEST_POSTGRES_URL ?? "postgres://postgres@127.0.0.1:55432/postgres";
/** Every instance on one PostgreSQL database shares its secret; the tests use this one. */
export const TEST_SECRET = "test-secret-shared-by-every-instance-0123456789";

/** What a test's database is opened with: a PostgreSQL database needs the shared secret. */
export const openOptions = (target: string) => (/^postgres/.test(target) ? { secret: TEST_SECRET } : {});

/** Opens a database the way the tests do (the same secret for every instance on PostgreSQL). */
export const openTestDb = (target: string): Promise<Db> => openDb(target, openOptions(target));

const TEMPLATE = "baton_test_template";

function databaseUrl(name: string): string {
  const url = new URL(postgresUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

let templateReady: Promise<void> | null = null;

/**
 * A database migrated once per run, copied for each test: CREATE DATABASE
 * from a template costs a fraction of running the migrations again. Workers
 * race to make it; an advisory lock lets one of them.
 */
async function ensureTemplate(admin: pg.Client): Promise<void> {
  await admin.query("SELECT pg_advisory_lock(4242)");
  try {
    const exists = await admin.query("SELECT 1 FROM pg_database WHERE datname = $1", [TEMPLATE]);
    if (exists.rowCount === 0) {
      await admin.query(`CREATE DATABASE ${TEMPLATE}`);
      const db = await openTestDb(databaseUrl(TEMPLATE));
      await db.close();
    }
  } finally {
    await admin.query("SELECT pg_advisory_unlock(4242)");
  }
}

/** A new, empty PostgreSQL database at the latest migration, dropped when the file's tests end. */
export async function freshPostgresDatabase(): Promise<string> {
  const admin = new pg.Client({ connectionString: postgresUrl });
  await admin.connect();
  try {
    templateReady ??= ensureTemplate(admin);
    await templateReady;
    const name = `baton_t_${process.pid}_${Math.random().toString(36).slice(2, 10)}`;
    // Two copies of one template at once are refused ("being accessed by other users"): take turns.
    await admin.query("SELECT pg_advisory_lock(4243)");
    try {
      await admin.query(`CREATE DATABASE ${name} TEMPLATE ${TEMPLATE}`);
    } finally {
      await admin.query("SELECT pg_advisory_unlock(4243)");
    }
    afterAll(async () => {
      const dropper = new pg.Client({ connectionString: postgresUrl });
      await dropper.connect();
      await dropper.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`).catch(() => {});
      await dropper.end();
    });
    return databaseUrl(name);
  } finally {
    await admin.end();
  }
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

/** Whether a PostgreSQL server answers at BATON_TEST_POSTGRES_URL. */
export async function postgresAvailable(): Promise<boolean> {
  const client = new pg.Client({ connectionString: postgresUrl, connectionTimeoutMillis: 2_000 });
  try {
    await client.connect();
    await client.end();
    return true;
  } catch {
    return false;
  }
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
