import { closeSync, mkdirSync, mkdtempSync, openSync, rmSync, writeFileSync, writeSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { runCli } from "../src/cli/main";
import { openDb, sqliteClient } from "../src/db/open";
import { createTestApp } from "./helpers/app";
import { smallOrg } from "./helpers/factories";

function workspace() {
  const dir = mkdtempSync(join(tmpdir(), "baton-start-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** `baton serve` on a database: the exit code and what it printed. */
async function serve(path: string) {
  let stderr = "";
  const code = await Promise.race([
    runCli(["serve", "--port", "0"], { env: { BATON_DB: path, BATON_LOG_LEVEL: "silent" }, stdout: () => {}, stderr: (s) => (stderr += s) }),
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
  it("refuses a database with a damaged page, in one line", async () => {
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

  it("refuses a 0-byte file instead of starting afresh over it", async () => {
    const path = join(workspace(), "baton.db");
    writeFileSync(path, "");
    const { code, stderr } = await serve(path);
    expect(code).toBe(1);
    expectOneLine(stderr, path, /empty file \(0 bytes\)/);
  });

  it("refuses a file that is not a database", async () => {
    const path = join(workspace(), "baton.db");
    writeFileSync(path, "this is not a database, it is a shopping list\n".repeat(200));
    const { code, stderr } = await serve(path);
    expect(code).toBe(1);
    expectOneLine(stderr, path, /not a database/);
  });

  it("refuses a path it cannot reach", async () => {
    const dir = workspace();
    writeFileSync(join(dir, "file"), "x");
    const path = join(dir, "file", "baton.db");
    const { code, stderr } = await serve(path);
    expect(code).toBe(1);
    expectOneLine(stderr, path, /cannot/);
  });

  it("refuses a directory", async () => {
    const path = join(workspace(), "adir");
    mkdirSync(path);
    const { code, stderr } = await serve(path);
    expect(code).toBe(1);
    expectOneLine(stderr, path, /cannot|directory/);
  });

  it("/healthz fails when the database can no longer be written", async () => {
    const t = await createTestApp();
    await t.importOrg(smallOrg());
    expect((await t.app.request("/healthz")).status).toBe(200);
    sqliteClient(t.db).pragma("query_only = ON");
    const res = await t.app.request("/healthz");
    expect(res.status).toBe(503);
    expect(((await res.json()) as { database: { writable: boolean } }).database.writable).toBe(false);
  });

  it("a busy port is one line naming PORT", async () => {
    const dir = workspace();
    const path = join(dir, "baton.db");
    await (await openDb(path)).close();
    let first = "";
    const io = (sink: (s: string) => void) => ({ env: { BATON_DB: path, BATON_LOG_LEVEL: "silent" }, stdout: () => {}, stderr: sink });
    const { startServer } = await import("../src/server");
    const { loadConfig } = await import("../src/config");
    const running = await startServer(loadConfig({ BATON_DB: path, PORT: "0", BATON_LOG_LEVEL: "silent" }), { stderr: (s) => (first += s) });
    try {
      let stderr = "";
      const code = await runCli(["serve", "--port", String(running.port)], io((s) => (stderr += s)));
      expect(code).toBe(1);
      expect(stderr.split("\n").filter(Boolean)).toEqual([`baton: port ${running.port} is already in use (PORT): stop the other server or choose another port`]);
    } finally {
      running.server.close();
    }
  });
});
