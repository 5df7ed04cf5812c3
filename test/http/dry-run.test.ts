import { describe, expect, it } from "vitest";
import { everyRow } from "../helpers/database";
import { createTestApp, type TestApp } from "../helpers/app";
import { member, smallOrg, team } from "../helpers/factories";

const NOW = "2027-01-12T12:00:00Z";

/** Every row of every table Baton writes, so "stores nothing" is checked on all of them. */
const everything = (t: TestApp) => everyRow(t.db);

async function hookApp() {
  const events: any[] = [];
  const t = await createTestApp({
      now: NOW,
      env: { BATON_WEBHOOK_URL: "https://hooks.test/baton" },
      fetch: async (_url, init) => {
        events.push(JSON.parse(String(init?.body)));
        return new Response("ok");
      },
    });
  return { t, events };
}

/** The small org after ben leaves alpha and the org, a rotation is added and bravo's handoff moves. */
function changedOrg() {
  const org = smallOrg();
  org.members = org.members.filter((m) => m.id !== "ben");
  org.teams[0]!.rotations[0]!.members = ["ana", "cat", "dan"];
  org.teams[1]!.handoff = { weekday: "wednesday", time: "09:00" };
  org.members.push(member("ivy"), member("jon"));
  org.teams.push(team("charlie", ["ivy", "jon"]));
  org.timeOff = [{ member: "cat", start: "2027-03-01", end: "2027-03-02" }];
  return org;
}

const dryRun = (t: TestApp, org: unknown, query = "dryRun=true") => t.request("PUT", `/api/v1/org?${query}`, { body: org });

describe("PUT /api/v1/org?dryRun=true", () => {
  it("stores nothing and tells nobody, however much the import would change", async () => {
    const { t, events } = await hookApp();
    await t.importOrg(smallOrg());
    await t.request("POST", "/api/v1/members/ana/time-off", { body: { start: "2027-04-01", end: "2027-04-02" } });
    await t.app.webhook.idle();
    events.length = 0;
    const before = (await everything(t));
    const lookupBefore = await (await t.request("GET", "/api/v1/oncall")).json();
    const res = await dryRun(t, changedOrg());
    expect(res.status).toBe(200);
    const preview = await res.json();
    expect(preview).toMatchObject({ dryRun: true, changes: true });
    expect((await everything(t))).toEqual(before);
    expect(await (await t.request("GET", "/api/v1/oncall")).json()).toEqual(lookupBefore);
    await t.app.webhook.idle();
    expect(events).toEqual([]);
  });

  it("answers exactly what the import then does: the same members, teams, rotations, time off and every week changing hands", async () => {
    const { t } = await hookApp();
    await t.importOrg(smallOrg());
    const { dryRun: _flag, changes, ...preview } = await (await dryRun(t, changedOrg())).json();
    expect(changes).toBe(true);
    const imported = await t.importOrg(changedOrg());
    expect(preview).toEqual(imported);

    // Those after ben move up a place in the file, and the file's order is kept.
    expect(preview.members).toEqual({ created: ["ivy", "jon"], updated: ["cat", "dan", "eve", "fay", "gil", "hal"], retired: ["ben"] });
    expect(preview.teams).toEqual({ created: ["charlie"], updated: ["alpha", "bravo"], retired: [] });
    expect(preview.rotations).toEqual({ created: ["charlie/primary"], updated: ["alpha/primary"], retired: [] });
    expect(preview.planned).toEqual([{ team: "charlie", weeks: 12 }]);
    const bens = preview.handovers.filter((h: { from: string | null }) => h.from === "ben");
    expect(bens.length).toBeGreaterThan(0);
    for (const h of bens) {
      expect(h).toEqual({ team: "alpha", rotation: "primary", start: expect.any(String), end: expect.any(String), from: "ben", to: expect.any(String), source: "schedule", why: expect.any(String) });
      expect(h.to).not.toBe("ben");
      // The week in progress is not rewritten before now: ben's part of it stays his.
      expect(h.start >= NOW).toBe(true);
    }
    expect(preview.handovers.some((h: { team: string; from: string | null }) => h.team === "charlie" && h.from === null)).toBe(true);
    expect(preview.handovers.some((h: { team: string }) => h.team === "bravo")).toBe(true);
  });

  it("says which time off an import adds, removes and keeps; the export marks what came from the API", async () => {
    const { t } = await hookApp();
    await t.importOrg(smallOrg());
    await t.request("POST", "/api/v1/members/dan/time-off", { body: { start: "2027-05-03", end: "2027-05-04", note: "dentist" } });
    const exported = await (await t.request("GET", "/api/v1/org")).json();
    expect(exported.timeOff).toEqual([
      { member: "ana", start: "2027-02-01", end: "2027-02-05" },
      { member: "eve", start: "2027-01-01", rrule: "FREQ=MONTHLY;BYMONTHDAY=15" },
      { member: "dan", start: "2027-05-03", end: "2027-05-04", note: "dentist", source: "api" },
    ]);
    const preview = await (await dryRun(t, changedOrg())).json();
    expect(preview.timeOff).toEqual({ added: 1, updated: 0, removed: 2 });
    expect(preview.timeOffEntries).toEqual({
      added: [{ member: "cat", start: "2027-03-01", end: "2027-03-02" }],
      removed: [
        { member: "ana", start: "2027-02-01", end: "2027-02-05" },
        { member: "eve", start: "2027-01-01", rrule: "FREQ=MONTHLY;BYMONTHDAY=15" },
      ],
      kept: [{ member: "dan", start: "2027-05-03", end: "2027-05-04", note: "dentist", source: "api" }],
    });
    // The export re-imports unchanged, marks and all.
    const again = await (await dryRun(t, exported)).json();
    expect(again.changes).toBe(false);
  });

  it("finds nothing to change when the database already matches the file", async () => {
    const { t } = await hookApp();
    await t.importOrg(smallOrg());
    const preview = await (await dryRun(t, smallOrg())).json();
    expect(preview).toMatchObject({ changes: false, handovers: [], planned: [], replanned: [] });
  });

  it("is admin-only and validates the file like the import", async () => {
    const { t } = await hookApp();
    await t.importOrg(smallOrg());
    expect((await t.request("PUT", "/api/v1/org?dryRun=true", { body: smallOrg(), token: await t.memberToken("ana") })).status).toBe(403);
    const bad = await dryRun(t, { ...smallOrg(), version: 2 });
    expect(bad.status).toBe(400);
    expect((await bad.json()).errors[0].path).toBe("version");
    const badFlag = await dryRun(t, smallOrg(), "dryRun=yes");
    expect(badFlag.status).toBe(400);
    expect((await badFlag.json()).errors[0]).toEqual({ path: "dryRun", message: "must be true or false" });
  });
});

describe("unknown query parameters on write routes", () => {
  it.each([
    ["PUT", "/api/v1/org?dryrun=true", "dryrun"],
    ["PUT", "/api/v1/org?dryRun=true&force=1", "force"],
    ["POST", "/api/v1/teams/alpha/schedule/apply?weeks=3", "weeks"],
    ["POST", "/api/v1/members/ana/time-off?member=ben", "member"],
  ])("%s %s is refused with 400 naming %s, and changes nothing", async (method, path, name) => {
    const { t } = await hookApp();
    await t.importOrg(smallOrg());
    const before = (await everything(t));
    const body = path.startsWith("/api/v1/org") ? changedOrg() : path.includes("time-off") ? { start: "2027-06-01", end: "2027-06-02" } : { weeks: 2 };
    const res = await t.request(method, path, { body });
    expect(res.status).toBe(400);
    const problem = await res.json();
    expect(problem.errors).toEqual([expect.objectContaining({ path: name, message: expect.stringMatching(/^unknown query parameter/) })]);
    expect((await everything(t))).toEqual(before);
  });
});

describe("a team added by an import", () => {
  it("is planned to the configured horizon at once, and the answer says so", async () => {
    const t = await createTestApp({ now: NOW, env: { BATON_PLAN_WEEKS: "6" } });
    const summary = await t.importOrg(smallOrg());
    expect(summary.planned).toEqual([
      { team: "alpha", weeks: 6 },
      { team: "bravo", weeks: 6 },
    ]);
    const health = await (await t.request("GET", "/healthz", { token: null })).json();
    expect(health.status).toBe("ok");
    expect(health.teams.map((x: { weeksAhead: number }) => x.weeksAhead)).toEqual([5, 5]);
    const lookup = await (await t.request("GET", "/api/v1/oncall?team=alpha")).json();
    expect(lookup.oncall).toHaveLength(1);
  });
});
