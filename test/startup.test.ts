import { closeSync, mkdirSync, openSync, writeFileSync, writeSync } from "node:fs";
import { join } from "node:path";
import pg from "pg";
import { describe, expect, it } from "vitest";
import { runCli } from "../src/cli/main";
import { sqliteClient } from "../src/db/open";
import { createTestApp } from "./helpers/app";
import { backendEnv, onPostgres, postgresUrl, tempDatabase, tempDir } from "./helpers/database";
import { smallOrg } from "./helpers/factories";

const workspace = () => tempDir("start");

/** `baton serve` on a database: the exit code and what it printed. */
async function serve(path: string) {
  let stderr = "";
  const code = await Promise.race([
    runCli(["serve", "--port", "0"], { env: { BATON_DB: path, BATON_LOG_LEVEL: "silent", ...backendEnv }, stdout: () => {}, stderr: (s) => (stderr += s) }),
    new Promise<"serving">((resolve) => setTimeout(() => resolve("serving"), 10_000)),
  ]);
  return { code, stderr };
}

/** One line naming BATON_DB, no stack trace. */
function expectOneLine(stderr: string, path: string, what: RegExp) {
  expect(stderr.split("\n").filter(Boolean)).toHaveLength(1);
  expect(stderr).toContain(`BATON_DB=${path}`);
  expect(stderr).toMatch(what);
  expect(stderr).not.toMatch(/\n\s+at /);
}

describe("the start-up self-test", () => {
  // The file checks are SQLite's: a PostgreSQL database is no file Baton could find damaged, empty or
  // misplaced; what it can get wrong there (an unreachable server, a missing database) is checked below.
  it.skipIf(onPostgres)("refuses a database with a damaged page, in one line", async () => {
    const dir = workspace();
    const path = join(dir, "baton.db");
    const t = await createTestApp({ path });
    await t.importOrg(smallOrg());
    const pages = sqliteClient(t.db).prepare("SELECT pageno FROM dbstat WHERE name = 'members' AND pagetype = 'leaf'").pluck().all() as number[];
    const pageSize = sqliteClient(t.db).pragma("page_size", { simple: true }) as number;
    sqliteClient(t.db).pragma("wal_checkpoint(TRUNCATE)");
    sqliteClient(t.db).close();
    const fd = openSync(path, "r+");
    writeSync(fd, Buffer.alloc(pageSize, 0xa5), 0, pageSize, (pages[0]! - 1) * pageSize);
    closeSync(fd);
    const { code, stderr } = await serve(path);
    expect(code).toBe(1);
    expectOneLine(stderr, path, /failed the start-up self-test: the database is damaged \(PRAGMA quick_check: .+\); restore it from a backup$/m);
  });

  it.skipIf(onPostgres)("refuses a 0-byte file instead of starting afresh over it", async () => {
    const path = join(workspace(), "baton.db");
    writeFileSync(path, "");
    const { code, stderr } = await serve(path);
    expect(code).toBe(1);
    expectOneLine(stderr, path, /empty file \(0 bytes\)/);
  });

  it.skipIf(onPostgres)("refuses a file that is not a database", async () => {
    const path = join(workspace(), "baton.db");
    writeFileSync(path, "this is not a database, it is a shopping list\n".repeat(200));
    const { code, stderr } = await serve(path);
    expect(code).toBe(1);
    expectOneLine(stderr, path, /not a database/);
  });

  it.skipIf(onPostgres)("refuses a path it cannot reach", async () => {
    const dir = workspace();
    writeFileSync(join(dir, "file"), "x");
    const path = join(dir, "file", "baton.db");
    const { code, stderr } = await serve(path);
    expect(code).toBe(1);
    expectOneLine(stderr, path, /cannot/);
  });

  it.skipIf(onPostgres)("refuses a directory", async () => {
    const path = join(workspace(), "adir");
    mkdirSync(path);
    const { code, stderr } = await serve(path);
    expect(code).toBe(1);
    expectOneLine(stderr, path, /cannot|directory/);
  });

  it.skipIf(onPostgres)("/healthz fails when the database can no longer be written", async () => {
    const t = await createTestApp();
    await t.importOrg(smallOrg());
    expect((await t.app.request("/healthz")).status).toBe(200);
    sqliteClient(t.db).pragma("query_only = ON");
    const res = await t.app.request("/healthz");
    expect(res.status).toBe(503);
    expect(((await res.json()) as { database: { writable: boolean } }).database.writable).toBe(false);
  });

  it.runIf(onPostgres)("/healthz fails when the PostgreSQL database can no longer be written", async () => {
    const t = await createTestApp();
    await t.importOrg(smallOrg());
    expect((await t.app.request("/healthz")).status).toBe(200);
    // The database turned read-only, and the server's connections made again (as after a failover to a standby).
    const name = new URL(t.path).pathname.slice(1);
    const admin = new pg.Client({ connectionString: postgresUrl });
    await admin.connect();
    try {
      await admin.query(`ALTER DATABASE ${name} SET default_transaction_read_only = on`);
      await admin.query("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1", [name]);
    } finally {
      await admin.end();
    }
    const res = await t.app.request("/healthz");
    expect(res.status).toBe(503);
    expect(((await res.json()) as { database: { reachable: boolean; writable: boolean } }).database).toMatchObject({ reachable: true, writable: false });
  });

  it.runIf(onPostgres)("refuses a PostgreSQL server it cannot reach, in one line that does not show the password", async () => {
    const { code, stderr } = await serve("postgres://baton:hunter2-secret@127.0.0.1:1/baton");
    expect(code).toBe(1);
    expectOneLine(stderr, "postgres://baton:***@127.0.0.1:1/baton", /cannot be opened: .*ECONNREFUSED/);
    expect(stderr).not.toContain("hunter2");
  });

  it.runIf(onPostgres)("refuses a PostgreSQL database that does not exist, in one line", async () => {
    const url = new URL(postgresUrl);
    url.pathname = "/baton_no_such_database";
    const { code, stderr } = await serve(url.toString());
    expect(code).toBe(1);
    expectOneLine(stderr, url.toString(), /cannot be opened: .*does not exist/);
  });

  it("a busy port is one line naming PORT", async () => {
    const { env } = await tempDatabase();
    let first = "";
    const io = (sink: (s: string) => void) => ({ env: { ...env, BATON_LOG_LEVEL: "silent" }, stdout: () => {}, stderr: sink });
    const { startServer } = await import("../src/server");
    const { loadConfig } = await import("../src/config");
    const running = await startServer(loadConfig({ ...env, PORT: "0", BATON_LOG_LEVEL: "silent" }), { stderr: (s) => (first += s) });
    try {
      let stderr = "";
      const code = await runCli(["serve", "--port", String(running.port)], io((s) => (stderr += s)));
      expect(code).toBe(1);
      expect(stderr.split("\n").filter(Boolean)).toEqual([`baton: port ${running.port} is already in use (PORT): stop the other server or choose another port`]);
    } finally {
      running.server.close();
      await running.db.close();
    }
  });
});
