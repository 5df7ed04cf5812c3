import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import pg from "pg";
import { openDb, pgMigrationsFolder, type Db } from "../../src/db/open";

/** The test server (`.ci/postgres` starts a private one); the tests and the benchmarks make their databases on it. */
export const postgresUrl = process.env.BATON_TEST_POSTGRES_URL ?? "postgres://postgres@127.0.0.1:55432/postgres";
/** Every instance on one PostgreSQL database shares its secret; the tests use this one. */
export const TEST_SECRET = "test-secret-shared-by-every-instance-0123456789";

/** What a test's database is opened with: a PostgreSQL database needs the shared secret. */
export const openOptions = (target: string) => (/^postgres/.test(target) ? { secret: TEST_SECRET } : {});

/** Opens a database the way the tests do (the same secret for every instance on PostgreSQL). */
export const openTestDb = (target: string): Promise<Db> => openDb(target, openOptions(target));

/** Named by the migrations it holds: a changed or renumbered migration makes a new template, never reuses a stale one. */
const TEMPLATE = `baton_test_template_${createHash("sha256").update(readFileSync(join(pgMigrationsFolder, "meta", "_journal.json"))).digest("hex").slice(0, 12)}`;

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

/** A new PostgreSQL database at the latest migration (`empty`: with no tables at all), and how to drop it. */
export async function createPostgresDatabase(options: { empty?: boolean } = {}): Promise<{ url: string; drop: () => Promise<void> }> {
  const admin = new pg.Client({ connectionString: postgresUrl });
  await admin.connect();
  try {
    const name = `baton_t_${process.pid}_${Math.random().toString(36).slice(2, 10)}`;
    if (options.empty) {
      await admin.query(`CREATE DATABASE ${name}`);
      return { url: databaseUrl(name), drop: () => dropDatabase(name) };
    }
    templateReady ??= ensureTemplate(admin);
    await templateReady;
    // Two copies of one template at once are refused ("being accessed by other users"): take turns.
    await admin.query("SELECT pg_advisory_lock(4243)");
    try {
      await admin.query(`CREATE DATABASE ${name} TEMPLATE ${TEMPLATE}`);
    } finally {
      await admin.query("SELECT pg_advisory_unlock(4243)");
    }
    return { url: databaseUrl(name), drop: () => dropDatabase(name) };
  } finally {
    await admin.end();
  }
}

async function dropDatabase(name: string): Promise<void> {
  const dropper = new pg.Client({ connectionString: postgresUrl });
  await dropper.connect();
  await dropper.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`).catch(() => {});
  await dropper.end();
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
