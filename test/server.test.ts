import { sqliteClient } from "../src/db/open";
import { describe, expect, it } from "vitest";
import { loadConfig } from "../src/config";
import { startServer } from "../src/server";
import { selfCheck } from "../src/services/health";
import { tempDb } from "./helpers/app";

describe("start-up", () => {
  it("on an empty database seeds the demo org, serves it, and prints where to look", async () => {
    const { path } = await tempDb();
    let banner = "";
    const logs: string[] = [];
    const config = loadConfig({ BATON_DB: path, PORT: "0" });
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
    }
    let again = "";
    const restarted = await startServer(config, { logs: { write: () => {} }, stderr: (s) => (again += s) });
    restarted.server.close();
    expect(again).not.toMatch(/bt_[ap]_/);
    expect(again).toContain("npx baton token --admin");
  });

  it("baton serve on an empty database starts empty: no demo people in the history or on call", async () => {
    const { path } = await tempDb();
    let banner = "";
    const started = await startServer(loadConfig({ BATON_DB: path, PORT: "0", BATON_LOG_LEVEL: "silent" }), { stderr: (s) => (banner += s) });
    started.server.close();
    expect(banner).toContain("the database is empty: import your org");
    const counts = sqliteClient(started.db).prepare("SELECT (SELECT count(*) FROM members) AS members, (SELECT count(*) FROM assignments) AS weeks").get();
    expect(counts).toEqual({ members: 0, weeks: 0 });
  });

  it("the self-check fails when migrations are not at head", async () => {
    const { db } = await tempDb();
    expect(await selfCheck(db)).toEqual({ ok: true, failures: [] });
    sqliteClient(db).exec("DELETE FROM __drizzle_migrations");
    expect((await selfCheck(db)).failures).toEqual([expect.stringMatching(/^migrations not at head/)]);
  });
});
