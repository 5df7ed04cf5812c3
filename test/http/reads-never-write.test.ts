import { describe, expect, it } from "vitest";
import { createTestApp, settableClock, type TestApp } from "../helpers/app";
import { commitCounter } from "../helpers/data-version";
import { everyRow } from "../helpers/database";
import { smallOrg } from "../helpers/factories";

/** Every row of every table, to show that a read changed none. */
const everything = (t: TestApp) => everyRow(t.db);

describe("GET requests never write", () => {
  it("calendar links, swaps, the timeline, the audit log and the lookup read what the import and the write paths stored", async () => {
    const t = await createTestApp({ now: "2027-01-12T12:00:00Z" });
    await t.importOrg(smallOrg());
    const ana = await t.memberToken("ana");
    const before = await everything(t);
    for (const path of [
      "/api/v1/members/ana/calendar",
      "/api/v1/teams/alpha/calendar",
      "/api/v1/swaps",
      "/api/v1/swaps?status=open",
      "/api/v1/teams/alpha/timeline",
      "/api/v1/audit",
      "/api/v1/oncall",
      "/api/v1/teams/alpha/overrides",
      "/api/v1/org",
    ]) {
      const res = await t.request("GET", path, path.includes("/members/ana") ? { token: ana } : {});
      expect(res.status, path).toBe(200);
    }
    expect((await everything(t))).toEqual(before);
  });

  it("an import issues every new member's and team's feed link, so the read finds it", async () => {
    const t = await createTestApp({ now: "2027-01-12T12:00:00Z" });
    await t.importOrg(smallOrg());
    const first = await (await t.request("GET", "/api/v1/members/ben/calendar", { token: await t.memberToken("ben") })).json();
    const again = await (await t.request("GET", "/api/v1/members/ben/calendar", { token: await t.memberToken("ben") })).json();
    expect(first.https).toMatch(/^https:\/\/baton\.test\/calendars\/bt_c_/);
    expect(again.https).toBe(first.https);
    expect((await t.app.request(new URL(first.https).pathname)).status).toBe(200);
  });

  it("no GET of the API, the feeds or the pages writes, for an admin, a member or nobody, now, after a swap's shift began and weeks later", async () => {
    const clock = settableClock("2027-01-12T12:00:00Z");
    const t = await createTestApp({ clock });
    await t.importOrg(smallOrg());
    const ana = await t.memberToken("ana");
    const alpha = (await (await t.request("GET", "/api/v1/teams/alpha/shifts?from=2027-01-12T12:00:00Z&to=2027-02-12T00:00:00Z")).json()).shifts;
    const bensWeek = alpha.find((s: { member: string }) => s.member === "ben");
    const asked = await t.request("POST", "/api/v1/swaps", {
      token: await t.memberToken("ben"),
      body: { shift: { team: "alpha", rotation: "primary", start: bensWeek.start, end: bensWeek.end }, type: "cover" },
    });
    expect(asked.status, await asked.clone().text()).toBe(201);
    const swap = (await asked.json()).id;
    const override = await t.request("POST", "/api/v1/teams/bravo/overrides", {
      body: { rotation: "primary", member: "eve", start: "2027-01-20T09:00:00Z", end: "2027-01-20T17:00:00Z", note: "cover a launch" },
    });
    expect(override.status, await override.clone().text()).toBe(201);
    await t.request("POST", "/api/v1/members/ben/calendar/reminder", { body: { minutesBefore: 30 } });
    // Following a sign-in link opens a session: the contract's one GET that stores something, so it comes first.
    const signedIn = await t.app.request(`/login/${ana}`);
    expect(signedIn.status).toBe(303);
    const cookie = signedIn.headers.get("set-cookie")!.split(";")[0]!;
    const feeds = await Promise.all(
      ["/api/v1/members/ana/calendar", "/api/v1/members/ben/calendar", "/api/v1/teams/alpha/calendar", "/api/v1/teams/bravo/calendar"].map(
        async (path) => new URL((await (await t.request("GET", path)).json()).https).pathname,
      ),
    );
    const openapi = await (await t.request("GET", "/api/v1/openapi.json")).json();
    const apiPaths = Object.entries(openapi.paths as Record<string, Record<string, unknown>>)
      .filter(([, methods]) => "get" in methods)
      .map(([path]) => `${path.replace("{team}", "alpha").replace("{member}", "ana").replace("{id}", String(swap))}`);
    expect(apiPaths.length).toBeGreaterThan(15);
    expect(apiPaths.every((path) => !/[{:]/.test(path)), apiPaths.join(" ")).toBe(true);
    const pages = ["/", "/login", "/logout", "/me", "/members/ana", "/members/eve", "/teams/alpha", "/teams/bravo", `/swaps/${swap}`, "/swaps/new", "/healthz", "/metrics", "/api/v1/openapi.json"];

    // SQLite counts other connections' commits; on PostgreSQL the dump of every table says the same.
    const commits = await commitCounter(t.path);
    const before = await everything(t);
    const committedBefore = (await commits());
    const statuses = new Map<string, number>();
    for (const now of ["2027-01-12T12:00:00Z", new Date(Date.parse(bensWeek.start) + 3_600_000).toISOString(), "2027-02-23T08:00:00Z"]) {
      clock.set(now);
      for (const path of [...apiPaths, `/api/v1/swaps/${swap}`, "/api/v1/swaps?status=open", "/api/v1/swaps?status=expired"]) {
        for (const [who, token] of [["admin", undefined], ["member", ana], ["nobody", null]] as const) {
          const res = await t.request("GET", path, token === undefined ? {} : { token });
          statuses.set(`${who} ${path}`, res.status);
          expect(res.status, `${who} GET ${path} at ${now}: ${await res.text()}`).toBeLessThan(500);
        }
      }
      for (const path of pages) {
        for (const headers of [{ cookie }, {}] as Record<string, string>[]) {
          const res = await t.app.request(path, { headers });
          expect(res.status, `GET ${path} at ${now}`).toBeLessThan(500);
        }
      }
      for (const path of feeds) {
        const res = await t.app.request(path);
        expect(res.status).toBe(200);
        const again = await t.app.request(path, { headers: { "if-none-match": res.headers.get("etag")! } });
        expect(again.status).toBe(304);
      }
    }
    // The swap's shift has begun: it reads as expired although nothing recorded that yet.
    expect((await (await t.request("GET", `/api/v1/swaps/${swap}`)).json()).status).toBe("expired");
    expect(statuses.get(`admin /api/v1/swaps/${swap}`)).toBe(200);
    // Every route was really read, not turned away at the door.
    expect([...statuses].filter(([key, status]) => key.startsWith("admin") && status !== 200)).toEqual([]);

    expect((await commits())).toBe(committedBefore);
    expect((await everything(t))).toEqual(before);
  });
});
