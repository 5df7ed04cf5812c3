import { ensureFeedTokens } from "../../src/services/tokens";
import { copyFileSync, existsSync, statSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { openDb, sqliteClient } from "../../src/db/open";
import { createTestApp, settableClock, type TestApp } from "../helpers/app";
import { onPostgres, query, tempDir } from "../helpers/database";
import { smallOrg } from "../helpers/factories";

const ORIGIN = "http://localhost";

async function scenario(): Promise<TestApp> {
  const t = await createTestApp();
  await t.importOrg(smallOrg());
  return t;
}

async function signIn(t: TestApp, token: string): Promise<string> {
  const res = await t.app.request(`/login/${token}`);
  expect(res.status).toBe(303);
  return res.headers.get("set-cookie")!.split(";")[0]!;
}

const page = (t: TestApp, cookie: string, path: string) => t.app.request(path, { headers: { cookie } });

async function feedToken(t: TestApp, member: string): Promise<string> {
  const links = await (await t.request("GET", `/api/v1/members/${member}/calendar`)).json();
  return /\/calendars\/(bt_c_[A-Za-z0-9_-]+)\.ics$/.exec(links.https)![1]!;
}

const feed = (t: TestApp, token: string) => t.app.request(`/calendars/${token}.ics`);

function withoutMember(org: ReturnType<typeof smallOrg>, id: string) {
  return {
    ...org,
    members: org.members.filter((m) => m.id !== id),
    teams: org.teams.map((team) => ({ ...team, rotations: team.rotations.map((r) => ({ ...r, members: r.members.filter((m) => m !== id) })) })),
    timeOff: (org.timeOff ?? []).filter((t) => t.member !== id),
  };
}

describe("access that ends", () => {
  it("retiring a member ends their sign-in link, their API token, their sessions and their feed at once", async () => {
    const t = await scenario();
    const token = await t.memberToken("ben");
    const cookie = await signIn(t, token);
    const calendar = await feedToken(t, "ben");
    expect((await feed(t, calendar)).status).toBe(200);
    await t.importOrg(withoutMember(smallOrg(), "ben"));
    expect((await t.request("GET", "/api/v1/teams", { token })).status).toBe(401);
    expect((await t.app.request(`/login/${token}`)).status).toBe(404);
    expect((await page(t, cookie, "/me")).status).toBe(401);
    expect((await feed(t, calendar)).status).toBe(404);
  });

  it("retiring a team ends its feed", async () => {
    const t = await scenario();
    const links = await (await t.request("GET", "/api/v1/teams/bravo/calendar")).json();
    const token = /\/calendars\/(bt_t_[A-Za-z0-9_-]+)\.ics$/.exec(links.https)![1]!;
    expect((await feed(t, token)).status).toBe(200);
    const org = smallOrg();
    org.teams = org.teams.filter((x) => x.id !== "bravo").map((x) => ({ ...x, escalation: { repeat: 0, levels: [{ afterMinutes: 0, targets: [{ type: "oncall" as const }] }] } }));
    await t.importOrg(org);
    expect((await feed(t, token)).status).toBe(404);
  });

  it("a retired member who comes back gets new tokens; the old ones stay dead", async () => {
    const t = await scenario();
    const token = await t.memberToken("ben");
    const calendar = await feedToken(t, "ben");
    await t.importOrg(withoutMember(smallOrg(), "ben"));
    await t.importOrg(smallOrg());
    const again = await t.memberToken("ben");
    expect(again).not.toBe(token);
    expect((await t.request("GET", "/api/v1/teams", { token })).status).toBe(401);
    expect((await t.request("GET", "/api/v1/teams", { token: again })).status).toBe(200);
    const newCalendar = await feedToken(t, "ben");
    expect(newCalendar).not.toBe(calendar);
    expect((await feed(t, calendar)).status).toBe(404);
    expect((await feed(t, newCalendar)).status).toBe(200);
  });

  it("POST /members/:member/token/rotate reissues the sign-in link and ends the old one and its sessions", async () => {
    const t = await scenario();
    const token = await t.memberToken("ben");
    const cookie = await signIn(t, token);
    const res = await t.request("POST", "/api/v1/members/ben/token/rotate");
    expect(res.status).toBe(200);
    const body = await res.json();
    expect(body.member).toBe("ben");
    const fresh = /\/login\/(bt_p_[A-Za-z0-9_-]+)$/.exec(body.login)![1]!;
    expect(body.login).toBe(`https://baton.test/login/${fresh}`);
    expect(fresh).not.toBe(token);
    expect((await t.request("GET", "/api/v1/teams", { token })).status).toBe(401);
    expect((await t.app.request(`/login/${token}`)).status).toBe(404);
    expect((await page(t, cookie, "/me")).status).toBe(401);
    expect((await t.request("GET", "/api/v1/teams", { token: fresh })).status).toBe(200);
    expect(await t.memberToken("ben")).toBe(fresh);
  });

  it("a member may rotate their own sign-in token, not someone else's; an unknown member is 404", async () => {
    const t = await scenario();
    const ben = await t.memberToken("ben");
    expect((await t.request("POST", "/api/v1/members/ana/token/rotate", { token: ben })).status).toBe(403);
    expect((await t.request("POST", "/api/v1/members/nobody/token/rotate")).status).toBe(404);
    const own = await t.request("POST", "/api/v1/members/ben/token/rotate", { token: ben });
    expect(own.status).toBe(200);
    expect((await t.request("GET", "/api/v1/teams", { token: ben })).status).toBe(401);
  });

  it("signing out ends the session on the server: the old cookie no longer opens /me", async () => {
    const t = await scenario();
    const cookie = await signIn(t, await t.memberToken("ben"));
    const html = await (await page(t, cookie, "/logout")).text();
    const csrf = /name="_csrf" value="([^"]+)"/.exec(html)![1]!;
    const out = await t.app.request("/logout", {
      method: "POST",
      headers: { cookie, origin: ORIGIN, "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ _csrf: csrf }).toString(),
    });
    expect(out.status).toBe(200);
    expect((await page(t, cookie, "/me")).status).toBe(401);
  });

  it("signing out on one device leaves another sign-in of the same member open", async () => {
    const t = await scenario();
    const token = await t.memberToken("ben");
    const laptop = await signIn(t, token);
    const phone = await signIn(t, token);
    const html = await (await page(t, laptop, "/logout")).text();
    const csrf = /name="_csrf" value="([^"]+)"/.exec(html)![1]!;
    await t.app.request("/logout", {
      method: "POST",
      headers: { cookie: laptop, origin: ORIGIN, "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ _csrf: csrf }).toString(),
    });
    expect((await page(t, laptop, "/me")).status).toBe(401);
    expect((await page(t, phone, "/me")).status).toBe(200);
  });
});

describe("secrets outside the database", () => {
  it("tokens are random: two databases with the same content issue different tokens of 128 bits or more", async () => {
    const a = await scenario();
    const b = await scenario();
    const ta = await a.memberToken("ben");
    expect(ta).not.toBe(await b.memberToken("ben"));
    expect(ta).toMatch(/^bt_p_[A-Za-z0-9_-]{22,}$/);
    expect(await feedToken(a, "ben")).not.toBe(await feedToken(b, "ben"));
  });

  // The key file and the copied file are SQLite's; on PostgreSQL the secret is BATON_SECRET, always.
  it.skipIf(onPostgres)("the signing key is a 0600 file beside the database, never a row in it", async () => {
    const t = await scenario();
    await t.memberToken("ben");
    await signIn(t, await t.memberToken("ben"));
    const key = `${t.path}.key`;
    expect(existsSync(key)).toBe(true);
    expect(statSync(key).mode & 0o777).toBe(0o600);
    const settings = sqliteClient(t.db).prepare("SELECT key FROM settings").pluck().all();
    expect(settings).not.toContain("secret");
  });

  // The key file and the copied file are SQLite's; on PostgreSQL the secret is BATON_SECRET, always.
  it.skipIf(onPostgres)("with BATON_SECRET set, no key file is written", async () => {
    const dir = tempDir("secret");
    const path = join(dir, "baton.db");
    const db = await openDb(path, { secret: "a-secret-of-at-least-thirty-two-characters" });
    sqliteClient(db).close();
    expect(existsSync(`${path}.key`)).toBe(false);
  });

  // The key file and the copied file are SQLite's; on PostgreSQL the secret is BATON_SECRET, always.
  it.skipIf(onPostgres)("a copied database yields no working credential: no value stored in it opens anything", async () => {
    const t = await scenario();
    const ben = await t.memberToken("ben");
    await signIn(t, ben);
    await feedToken(t, "ben");
    await t.request("GET", "/api/v1/teams/alpha/calendar");
    const dir = tempDir("copy");
    sqliteClient(t.db).pragma("wal_checkpoint(TRUNCATE)");
    copyFileSync(t.path, join(dir, "copy.db"));
    const copy = await openDb(join(dir, "copy.db"));
    const values = new Set<string>();
    const tables = sqliteClient(copy).prepare("SELECT name FROM sqlite_master WHERE type = 'table'").pluck().all() as string[];
    for (const table of tables) {
      for (const row of sqliteClient(copy).prepare(`SELECT * FROM "${table}"`).all() as Record<string, unknown>[]) {
        for (const value of Object.values(row)) if (typeof value === "string" && value.length >= 16) values.add(value);
      }
    }
    expect(values.size).toBeGreaterThan(0);
    expect([...values].some((v) => v.includes(ben))).toBe(false);
    for (const value of values) {
      expect((await t.request("GET", "/api/v1/teams", { token: value })).status).toBe(401);
      expect((await feed(t, value)).status).toBe(404);
      const login = await t.app.request(`/login/${encodeURIComponent(value)}`);
      expect(login.status).not.toBe(303);
    }
    sqliteClient(copy).close();
    // Baton itself, run on the copy (it makes its own key), hands out nothing the original accepts.
    const thief = await createTestApp({ path: join(dir, "copy.db") });
    expect((await t.request("GET", "/api/v1/teams", { token: await thief.memberToken("ben") })).status).toBe(401);
    // Its links are issued on its write paths (an import, its start), as it would at its own start.
    await ensureFeedTokens({ tx: thief.db, secret: thief.db.secret }, ["ben"], []);
    expect((await feed(t, await feedToken(thief, "ben"))).status).toBe(404);
  });
});

describe("sessions on the server", () => {
  it("a sign-in forgets sessions that have expired", async () => {
    const clock = settableClock("2027-01-12T12:00:00Z");
    const t = await createTestApp({ clock });
    await t.importOrg(smallOrg());
    const old = await signIn(t, await t.memberToken("ben"));
    const sessions = async () => (await query(t.db, "SELECT count(*) AS n FROM tokens WHERE kind = 'session'"))[0]?.n;
    expect(await sessions()).toBe(1);
    clock.set("2027-02-20T12:00:00Z");
    expect((await page(t, old, "/me")).status).toBe(401);
    await signIn(t, await t.memberToken("ben"));
    expect(await sessions()).toBe(1);
  });
});
