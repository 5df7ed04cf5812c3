import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { loadConfig } from "../src/config";
import { sqliteClient } from "../src/db/open";
import { startServer } from "../src/server";
import { selfCheck } from "../src/services/health";
import { tempDb } from "./helpers/app";
import { backendEnv, everyRow, onPostgres, query, tempDatabase } from "./helpers/database";

describe("start-up", () => {
  it("on an empty database seeds the demo org, serves it, and prints where to look", async () => {
    const { path } = await tempDb();
    let banner = "";
    const logs: string[] = [];
    const config = loadConfig({ BATON_DB: path, PORT: "0", ...backendEnv });
    const started = await startServer(config, { logs: { write: (s) => logs.push(s) }, stderr: (s) => (banner += s) }, { seedDemo: true });
    try {
      const base = `http://localhost:${started.port}`;
      expect(banner).toContain(`Baton is serving on ${base}`);
      const adminToken = banner.match(/admin token: +(bt_a_\S+)/)![1]!;
      expect(banner).toMatch(/signs in at http:\/\/localhost:\d+\/login\/bt_p_/);
      const health = await fetch(`${base}/healthz`);
      expect(health.status).toBe(200);
      const teams: any = await (await fetch(`${base}/api/v1/teams`, { headers: { authorization: `Bearer ${adminToken}` } })).json();
      expect(teams.teams.map((t: { id: string }) => t.id)).toEqual(["platform", "payments", "data"]);
      const line = JSON.parse(logs.at(-1)!);
      expect(line).toMatchObject({ level: "info", msg: "request", requestId: expect.any(String), time: expect.any(String) });
    } finally {
      started.server.close();
      await started.db.close();
    }
    let again = "";
    const restarted = await startServer(config, { logs: { write: () => {} }, stderr: (s) => (again += s) });
    restarted.server.close();
    await restarted.db.close();
    expect(again).not.toMatch(/bt_[ap]_/);
    expect(again).toContain("npx baton token --admin");
  });

  it("baton serve on an empty database starts empty: no demo people in the history or on call", async () => {
    const { path } = await tempDb();
    let banner = "";
    const started = await startServer(loadConfig({ BATON_DB: path, PORT: "0", BATON_LOG_LEVEL: "silent", ...backendEnv }), { stderr: (s) => (banner += s) });
    started.server.close();
    expect(banner).toContain("the database is empty: import your org");
    const counts = await query(started.db, "SELECT (SELECT count(*) FROM members) AS members, (SELECT count(*) FROM assignments) AS weeks");
    await started.db.close();
    expect(counts.map((row) => ({ members: Number(row.members), weeks: Number(row.weeks) }))).toEqual([{ members: 0, weeks: 0 }]);
  });

  it("on a database no migration has run on, the first start migrates it and a second start changes nothing", async () => {
    const { env } = await tempDatabase({ empty: true });
    // A fixed public URL: otherwise each start records the port it happened to get.
    const config = loadConfig({ ...env, PORT: "0", BATON_LOG_LEVEL: "silent", BATON_PUBLIC_URL: "https://baton.test" });
    const start = async () => {
      const started = await startServer(config, { stderr: () => {} });
      started.server.close();
      try {
        return { migrations: await started.db.migrationStatus(), rows: await everyRow(started.db) };
      } finally {
        await started.db.close();
      }
    };
    const first = await start();
    expect(first.migrations).toMatchObject({ atHead: true, applied: first.migrations.expected });
    expect(first.migrations.expected).toBeGreaterThan(0);
    expect(await start()).toEqual(first);
  });

  it("the self-check fails when migrations are not at head", async () => {
    const { db } = await tempDb();
    expect(await selfCheck(db)).toEqual({ ok: true, failures: [] });
    // drizzle keeps its journal in a schema of its own on PostgreSQL.
    if (onPostgres) await db.rows(sql`DELETE FROM drizzle.__drizzle_migrations`);
    else sqliteClient(db).exec("DELETE FROM __drizzle_migrations");
    expect((await selfCheck(db)).failures).toEqual([expect.stringMatching(/^migrations not at head/)]);
  });
});
