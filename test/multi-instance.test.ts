import type { ChildProcess } from "node:child_process";
import { describe, expect, it } from "vitest";
import { cleanUp, freshPostgresDatabase, onPostgres, TEST_SECRET } from "./helpers/database";
import { smallOrg } from "./helpers/factories";
import { killed, serveProcess } from "./helpers/server-process";

const ADMIN = "multi-instance-admin-token-0123456789";

type Instance = { child: ChildProcess; url: string };

const call = async (instance: Instance, method: string, path: string, options: { token?: string; body?: unknown } = {}) =>
  fetch(`${instance.url}${path}`, {
    method,
    headers: { authorization: `Bearer ${options.token ?? ADMIN}`, ...(options.body ? { "content-type": "application/json" } : {}) },
    body: options.body ? JSON.stringify(options.body) : null,
  });

/** Polls until `check` holds, and answers how long that took (ms). */
async function until(check: () => Promise<boolean>, limitMs = 10_000): Promise<number> {
  const started = performance.now();
  while (!(await check())) {
    if (performance.now() - started > limitMs) throw new Error(`not seen within ${limitMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return performance.now() - started;
}

const holder = async (instance: Instance, at: string) => {
  const res = await call(instance, "GET", `/api/v1/oncall?team=alpha&at=${at}`);
  return res.ok ? ((await res.json()) as { oncall: { member: { id: string } }[] }).oncall.map((o) => o.member.id) : [];
};

// Two `baton serve` processes on one PostgreSQL database, as behind a load balancer.
describe.runIf(onPostgres)("two instances on one PostgreSQL database", () => {
  const instances = async () => {
    const db = await freshPostgresDatabase();
    const env = { BATON_ADMIN_TOKEN: ADMIN, BATON_SECRET: TEST_SECRET, BATON_PLAN_WEEKS: "8" };
    // Started together: the migrations run under a lock, once.
    const [a, b] = await Promise.all([serveProcess(db, env), serveProcess(db, env)]);
    // Before their database is dropped.
    cleanUp(() => Promise.all([killed(a.child), killed(b.child)]));
    return { a, b };
  };

  it("a write on one is seen by the other's lookup, accepts split across them have exactly one winner, and one killed leaves the other answering", async () => {
    const { a, b } = await instances();
    expect((await call(a, "PUT", "/api/v1/org", { body: smallOrg() })).status).toBe(200);
    await until(async () => (await call(b, "GET", "/api/v1/teams/alpha")).status === 200);

    // An override written through A shows in B's lookup, which answers from memory.
    const shifts = (await (await call(b, "GET", "/api/v1/teams/alpha/shifts")).json()) as { shifts: { member: string; start: string; end: string }[] };
    const week = shifts.shifts.find((s) => s.start > new Date().toISOString())!;
    const middle = new Date((Date.parse(week.start) + Date.parse(week.end)) / 2).toISOString();
    const other = ["ana", "ben", "cat", "dan"].find((m) => m !== week.member)!;
    await holder(b, middle);
    const override = await call(a, "POST", "/api/v1/teams/alpha/overrides", {
      body: { rotation: "primary", member: other, start: week.start, end: week.end, note: "seen by the other instance" },
    });
    expect(override.status, await override.clone().text()).toBe(201);
    await until(async () => (await holder(b, middle)).join() === other);

    // Cover requests accepted by two members at once, one through each instance.
    const tokenOf = async (member: string) =>
      ((await (await call(a, "POST", `/api/v1/members/${member}/token/rotate`)).json()) as { login: string }).login.split("/login/")[1]!;
    const tokens = new Map(await Promise.all(["ana", "ben", "cat", "dan"].map(async (m) => [m, await tokenOf(m)] as const)));
    let rounds = 0;
    for (; rounds < 5; rounds++) {
      // Read afresh each time: an accepted cover re-plans the team (its payback), so later weeks may have moved.
      const to = new Date(Date.parse(week.end) + 70 * 86_400_000).toISOString();
      const now = (await (await call(b, "GET", `/api/v1/teams/alpha/shifts?to=${to}`)).json()) as typeof shifts;
      const shift = now.shifts.filter((s) => s.start > week.end && s.member !== null)[rounds];
      if (!shift) break;
      const asked = await call(a, "POST", "/api/v1/swaps", {
        token: tokens.get(shift.member)!,
        body: { shift: { team: "alpha", rotation: "primary", start: shift.start, end: shift.end }, type: "cover" },
      });
      expect(asked.status, await asked.clone().text()).toBe(201);
      const { id } = (await asked.json()) as { id: number };
      const takers = [...tokens.keys()].filter((m) => m !== shift.member).slice(0, 2);
      const answers = await Promise.all(takers.map((m, i) => call(i === 0 ? a : b, "POST", `/api/v1/swaps/${id}/accept`, { token: tokens.get(m)!, body: {} })));
      expect(answers.map((r) => r.status).sort()).toEqual([200, 409]);
      const winner = takers[answers.findIndex((r) => r.status === 200)]!;
      const at = new Date((Date.parse(shift.start) + Date.parse(shift.end)) / 2).toISOString();
      await until(async () => (await holder(a, at)).join() === winner && (await holder(b, at)).join() === winner);
    }
    expect(rounds, "cover requests raced").toBe(5);

    // A killed mid-request: B goes on answering, and nothing half-written shows.
    const inFlight = call(a, "PUT", "/api/v1/org", { body: { ...smallOrg(), members: smallOrg().members.map((m) => ({ ...m, name: `${m.name} (renamed)` })) } }).catch(() => null);
    await killed(a.child);
    await inFlight;
    expect((await call(b, "GET", `/api/v1/oncall?team=alpha`)).status).toBe(200);
    const names = ((await (await call(b, "GET", "/api/v1/org")).json()) as { members: { name: string }[] }).members.map((m) => m.name);
    expect(names.every((n) => n.endsWith("(renamed)")) || names.every((n) => !n.endsWith("(renamed)"))).toBe(true);
    const health = (await (await call(b, "GET", "/healthz")).json()) as { database: { backend: string; migrations: { atHead: boolean; head: string } } };
    expect(health.database).toMatchObject({ backend: "postgres", migrations: { atHead: true } });
  }, 240_000);
});
