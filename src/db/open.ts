import Database from "better-sqlite3";
import { drizzle as drizzleSqlite } from "drizzle-orm/better-sqlite3";
import { migrate as migrateSqlite } from "drizzle-orm/better-sqlite3/migrator";
import { drizzle as drizzlePg, type NodePgDatabase } from "drizzle-orm/node-postgres";
import { migrate as migratePg } from "drizzle-orm/node-postgres/migrator";
import { sql, type SQL } from "drizzle-orm";
import type { BaseSQLiteDatabase } from "drizzle-orm/sqlite-core";
import { AsyncLocalStorage } from "node:async_hooks";
import { randomUUID } from "node:crypto";
import { mkdirSync, readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import pg from "pg";
import * as schema from "./schema";
import * as pgSchema from "./schema-pg";
import { loadServerSecret, SecretError, type ServerSecret } from "./secret";

export type Backend = "sqlite" | "postgres";

/**
 * What queries run against: the database or a transaction on it. It is typed
 * as drizzle's SQLite builder, and on PostgreSQL the same calls go through
 * drizzle's pg dialect over the tables of schema-pg.ts. Stores therefore use
 * only what both dialects share: they `await` a builder (never SQLite's
 * synchronous .all()/.get()/.run()), take rows from `.returning()` rather
 * than a driver's change count, and name tables through `tablesOf`.
 */
export type Queryable = BaseSQLiteDatabase<"sync", Database.RunResult, typeof schema>;

/** The tables of whichever dialect `q` speaks (the same names and columns on both). */
export function tablesOf(q: Queryable): typeof schema {
  return (q as unknown as { _: { fullSchema: typeof schema } })._.fullSchema;
}

/** `quiet`: the write is bookkeeping no cache holds (a job's claim), so other instances are not told of it. */
export type TransactOptions = { quiet?: boolean };

export type MigrationStatus = { atHead: boolean; head: string; applied: number; expected: number };

/** The database, the secret kept beside it (never in it), and what differs between the two backends. */
export type Db = Queryable & {
  readonly backend: Backend;
  readonly secret: ServerSecret;
  /**
   * Runs `body` as one transaction, or as a savepoint when called on the
   * handle a transaction gave. Writers take turns across every process on
   * the database (SQLite's IMMEDIATE lock; an advisory lock on PostgreSQL).
   */
  transact<T>(body: (tx: Db) => Promise<T>, options?: TransactOptions): Promise<T>;
  /** Raw rows of a query written in SQL both dialects accept. */
  rows<T>(query: SQL): Promise<T[]>;
  migrationStatus(): Promise<MigrationStatus>;
  /** True while the database answers and can take a write (rolled back). */
  probe(): Promise<{ reachable: boolean; writable: boolean }>;
  /** What an integrity check finds wrong, or null (SQLite's quick_check reads every page). */
  damage(): Promise<string | null>;
  /**
   * A check that answers true when another process (the CLI, another
   * server) has committed since it last looked, so that caches are dropped.
   */
  outsideWrites(): () => boolean;
  /** Runs `job` unless another process is running the job of that name now; false when skipped. */
  exclusiveJob(name: string, job: () => Promise<void>): Promise<boolean>;
  /** Connection pool figures for /metrics (PostgreSQL only). */
  poolStats(): { total: number; idle: number; waiting: number } | null;
  close(): Promise<void>;
};

const root = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
export const migrationsFolder = join(root, "drizzle");
export const pgMigrationsFolder = join(root, "drizzle", "pg");

export const isPostgresUrl = (target: string) => /^postgres(ql)?:\/\//.test(target);

/** Opens (creating if needed) a database — a SQLite file or a `postgres://` URL — at its latest migration. */
export type OpenOptions = { secret?: string | undefined; /** PostgreSQL connections per instance. */ pool?: number | undefined };

export async function openDb(target: string, options: OpenOptions = {}): Promise<Db> {
  return isPostgresUrl(target) ? await openPostgres(target, options) : openSqlite(target, options);
}

type Journal = { entries: { tag: string; when: number }[] };

function journalOf(folder: string) {
  const journal = JSON.parse(readFileSync(join(folder, "meta", "_journal.json"), "utf8")) as Journal;
  return { expected: journal.entries.length, head: journal.entries.at(-1)?.tag ?? "" };
}

/**
 * The SQLite connection under a database, for what only SQLite has (file
 * checks, pragmas, the crash and corruption tests); an error on PostgreSQL.
 */
export function sqliteClient(db: Db): Database.Database {
  if (db.backend !== "sqlite") throw new Error("this needs a SQLite database");
  return (db as unknown as { $client: Database.Database }).$client;
}

/** How stale a server may be about a write made by another process. */
export const OUTSIDE_WRITE_CHECK_MS = 100;

/**
 * One mutex per SQLite connection: a transaction's body is asynchronous, and
 * without it a second request could issue statements into the first one's
 * open transaction on the shared connection.
 */
class Turns {
  private tail: Promise<void> = Promise.resolve();
  async take<T>(body: () => Promise<T>): Promise<T> {
    const before = this.tail;
    let release!: () => void;
    this.tail = new Promise<void>((resolve) => (release = resolve));
    await before;
    try {
      return await body();
    } finally {
      release();
    }
  }
}

/**
 * Turns are per file, not per connection: two handles on one file in one
 * process (tests do this) would otherwise deadlock, the second one's BEGIN
 * IMMEDIATE blocking the thread that must finish the first one's transaction.
 */
const turnsByFile = new Map<string, Turns>();
const turnsFor = (path: string) => {
  const key = path === ":memory:" ? Symbol.for(`memory:${turnsByFile.size}`).toString() : resolve(path);
  let turns = turnsByFile.get(key);
  if (!turns) turnsByFile.set(key, (turns = new Turns()));
  return turns;
};

function openSqlite(path: string, options: { secret?: string | undefined }): Db {
  if (path !== ":memory:") mkdirSync(dirname(path), { recursive: true });
  const secret = loadServerSecret(path, options.secret);
  const client = new Database(path);
  client.pragma("journal_mode = WAL");
  client.pragma("foreign_keys = ON");
  client.pragma("busy_timeout = 5000");
  client.pragma("synchronous = NORMAL");
  const base = drizzleSqlite(client, { schema });
  migrateSqlite(base, { migrationsFolder });
  const turns = turnsFor(path);
  const open = new AsyncLocalStorage<Db>();
  let savepoints = 0;

  // Inside a transaction every statement is already on the one connection; nesting is a savepoint.
  const savepoint = async <T>(body: (tx: Db) => Promise<T>, tx: Db) => {
    const name = `s${++savepoints}`;
    client.exec(`SAVEPOINT ${name}`);
    try {
      const result = await body(tx);
      client.exec(`RELEASE ${name}`);
      return result;
    } catch (error) {
      client.exec(`ROLLBACK TO ${name}`);
      client.exec(`RELEASE ${name}`);
      throw error;
    }
  };

  const db: Db = Object.assign(base as unknown as Queryable, {
    backend: "sqlite" as const,
    secret,
    transact: <T>(body: (tx: Db) => Promise<T>): Promise<T> => {
      const tx = open.getStore();
      if (tx) return savepoint(body, tx);
      return turns.take(async () => {
        client.exec("BEGIN IMMEDIATE");
        try {
          const result = await open.run(db, () => body(db));
          client.exec("COMMIT");
          return result;
        } catch (error) {
          if (client.inTransaction) client.exec("ROLLBACK");
          throw error;
        }
      });
    },
    rows: async <T>(query: SQL) => base.all(query) as T[],
    migrationStatus: async () => {
      const { expected, head } = journalOf(migrationsFolder);
      const applied = (client.prepare("SELECT count(*) AS n FROM __drizzle_migrations").get() as { n: number }).n;
      return { atHead: applied === expected, head, applied, expected };
    },
    probe: async () => {
      try {
        if ((client.prepare("SELECT 1 AS ok").get() as { ok: number }).ok !== 1) return { reachable: false, writable: false };
      } catch {
        return { reachable: false, writable: false };
      }
      return turns.take(async () => {
        try {
          client.exec("BEGIN IMMEDIATE");
          client.prepare("INSERT INTO settings (key, value) VALUES ('self-check', 'ok') ON CONFLICT(key) DO UPDATE SET value = 'ok'").run();
          client.exec("ROLLBACK");
          return { reachable: true, writable: true };
        } catch {
          if (client.inTransaction) client.exec("ROLLBACK");
          return { reachable: true, writable: false };
        }
      });
    },
    damage: async () => {
      try {
        const lines = client.prepare("PRAGMA quick_check(3)").pluck().all() as string[];
        return lines.length === 1 && lines[0] === "ok" ? null : lines.join("; ");
      } catch (error) {
        return (error as Error).message;
      }
    },
    // SQLite bumps `data_version` for commits by other connections only. It is
    // read at most every OUTSIDE_WRITE_CHECK_MS: asking on every request would
    // cost the on-call lookup a third of its throughput.
    outsideWrites: () => {
      const read = client.prepare("PRAGMA data_version").pluck();
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
    },
    // One server per SQLite file: the job is this process's alone.
    exclusiveJob: async (_name: string, job: () => Promise<void>) => {
      await job();
      return true;
    },
    poolStats: () => null,
    close: async () => {
      client.close();
    },
  });
  return db;
}

/** Every write transaction on PostgreSQL takes this lock first: writers take turns across the cluster, as on SQLite. */
const WRITER_LOCK = 0x6261746f; // "bato"
const MIGRATION_LOCK = WRITER_LOCK + 1;
/** Committed writes are announced on this channel; other instances drop their caches. */
export const CHANGES_CHANNEL = "baton_changes";

/** A stable 32-bit key for a job's advisory lock. */
const jobLockKey = (name: string) => [...name].reduce((h, c) => (Math.imul(h, 31) + c.charCodeAt(0)) | 0, WRITER_LOCK + 2);

async function openPostgres(url: string, options: OpenOptions): Promise<Db> {
  if (options.secret === undefined) {
    throw new SecretError("BATON_SECRET must be set with a PostgreSQL database: every instance signs and seals with the same secret");
  }
  const secret = loadServerSecret(url, options.secret);
  const pool = new pg.Pool({
    connectionString: url,
    max: options.pool ?? 10,
    // Long enough for a busy pool to free a connection; short enough that a dead server is an error, not a hang.
    connectionTimeoutMillis: 30_000,
    keepAlive: true,
    // An instance that stalls inside a transaction must not hold the writer lock for the cluster for ever.
    options: "-c idle_in_transaction_session_timeout=60000 -c lock_timeout=120000",
  });
  // One writer per instance waits for the cluster's writer lock; the rest wait here, without holding a connection.
  const writers = new Turns();
  // A pooled connection that drops (the server restarts) must not take the process down with it: idle ones
  // report to the pool; one checked out between two queries (inside a transaction) has no listener once
  // pg-pool takes its own off at checkout, and an unheard 'error' ends the process. Its next query fails instead.
  pool.on("error", () => {});
  pool.on("connect", (client) => client.on("error", () => {}));
  const base = drizzlePg(pool, { schema: pgSchema });
  const lockClient = await pool.connect();
  try {
    // Two instances starting together: one migrates, the other waits and then finds nothing to do.
    await lockClient.query("SELECT pg_advisory_lock($1)", [MIGRATION_LOCK]);
    await migratePg(base, { migrationsFolder: pgMigrationsFolder });
  } finally {
    await lockClient.query("SELECT pg_advisory_unlock($1)", [MIGRATION_LOCK]).catch(() => {});
    lockClient.release();
  }
  const instance = randomUUID();
  let listener: pg.Client | null = null;
  const listeners = new Set<() => void>();

  const open = new AsyncLocalStorage<Db>();
  type PgQueryable = NodePgDatabase<typeof pgSchema>;
  const rowsOn = async <T>(q: PgQueryable, query: SQL) => (await q.execute(query)).rows as T[];
  // A transaction's handle: its statements and its savepoints go to the transaction's connection.
  const inTransaction = (tx: PgQueryable): Db =>
    Object.assign(Object.create(tx) as Db, extras, {
      transact: <T>(body: (tx: Db) => Promise<T>) => tx.transaction((inner) => run(inTransaction(inner), body)),
      rows: <T>(query: SQL) => rowsOn<T>(tx, query),
    });
  const run = <T>(handle: Db, body: (tx: Db) => Promise<T>) => open.run(handle, () => body(handle));

  const extras = {
    backend: "postgres" as const,
    secret,
    migrationStatus: async () => {
      const { expected, head } = journalOf(pgMigrationsFolder);
      const result = await pool.query<{ n: string }>("SELECT count(*) AS n FROM drizzle.__drizzle_migrations");
      const applied = Number(result.rows[0]!.n);
      return { atHead: applied === expected, head, applied, expected };
    },
    probe: async () => {
      let client: pg.PoolClient;
      try {
        client = await pool.connect();
      } catch {
        return { reachable: false, writable: false };
      }
      try {
        await client.query("BEGIN");
        await client.query("INSERT INTO settings (key, value) VALUES ('self-check', 'ok') ON CONFLICT (key) DO UPDATE SET value = 'ok'");
        await client.query("ROLLBACK");
        return { reachable: true, writable: true };
      } catch {
        await client.query("ROLLBACK").catch(() => {});
        return { reachable: true, writable: false };
      } finally {
        client.release();
      }
    },
    // PostgreSQL checks its own pages (checksums, WAL); there is no cheap whole-database check to run here.
    damage: async () => null,
    // Only a server watches (the CLI opens, writes and exits): the listening connection starts with the first watcher.
    outsideWrites: () => {
      let changed = false;
      listeners.add(() => (changed = true));
      if (!listening) {
        listening = true;
        void listen();
      }
      return () => {
        // While the listener is away nothing is heard, so every look counts as a change.
        if (!changed && listener !== null) return false;
        changed = false;
        return true;
      };
    },
    exclusiveJob: async (name: string, job: () => Promise<void>) => {
      const client = await pool.connect();
      try {
        const key = jobLockKey(name);
        const got = await client.query<{ ok: boolean }>("SELECT pg_try_advisory_lock($1) AS ok", [key]);
        if (!got.rows[0]!.ok) return false;
        try {
          await job();
        } finally {
          await client.query("SELECT pg_advisory_unlock($1)", [key]);
        }
        return true;
      } finally {
        client.release();
      }
    },
    poolStats: () => ({ total: pool.totalCount, idle: pool.idleCount, waiting: pool.waitingCount }),
    close: async () => {
      closed = true;
      await listener?.end().catch(() => {});
      await pool.end();
    },
  };

  const db: Db = Object.assign(base as unknown as Queryable, extras, {
    transact: <T>(body: (tx: Db) => Promise<T>, options: TransactOptions = {}): Promise<T> => {
      // Asked for on the root handle from inside a transaction: a savepoint, not a second connection waiting on the first.
      const current = open.getStore();
      if (current) return current.transact(body);
      return writers.take(() => base.transaction(async (tx) => {
        await tx.execute(sql`SELECT pg_advisory_xact_lock(${WRITER_LOCK})`);
        const result = await run(inTransaction(tx), body);
        if (options.quiet) return result;
        // Delivered on commit only, so nobody drops a cache for a write that rolled back; and only when the
        // transaction wrote (it has a transaction id), so a read in a transaction announces nothing.
        await tx.execute(sql`SELECT pg_notify(${CHANGES_CHANNEL}, ${instance}) WHERE txid_current_if_assigned() IS NOT NULL`);
        return result;
      }));
    },
    rows: <T>(query: SQL) => rowsOn<T>(base, query),
  });

  // One connection per instance listens for the others' commits; lost, it is made again (backing off to
  // 30 s), and once it listens again everything counts as changed, since what came meanwhile was not heard.
  let listening = false;
  let closed = false;
  const heardAll = () => listeners.forEach((heard) => heard());
  const listen = async (attempt = 0): Promise<void> => {
    if (closed) return;
    const client = new pg.Client({ connectionString: url, keepAlive: true });
    const retry = () => {
      if (listener === client) listener = null;
      void client.end().catch(() => {});
      if (!closed) setTimeout(() => void listen(attempt + 1), Math.min(30_000, 500 * 2 ** attempt)).unref();
    };
    client.on("notification", (message) => {
      if (message.payload !== instance) heardAll();
    });
    client.on("error", retry);
    try {
      await client.connect();
      await client.query(`LISTEN ${CHANGES_CHANNEL}`);
    } catch {
      retry();
      return;
    }
    if (closed) return void client.end();
    listener = client;
    heardAll();
  };
  return db;
}
