import { describe, expect, it } from "vitest";
import { createTestApp, settableClock } from "../helpers/app";
import { smallOrg } from "../helpers/factories";

/** A small incident's worth of history: an import, time off and its re-plan, an admin override, each at its own time. */
async function history() {
  const clock = settableClock("2027-01-12T12:00:00Z");
  const t = await createTestApp({ clock });
  await t.importOrg(smallOrg());
  clock.set("2027-01-13T09:00:00Z");
  const week2 = (await (await t.request("GET", "/api/v1/teams/alpha/shifts?from=2027-01-20T00:00:00Z&to=2027-01-20T01:00:00Z")).json()).shifts[0].member;
  const timeOff = await t.request("POST", `/api/v1/members/${week2}/time-off`, { body: { start: "2027-01-21", end: "2027-01-21" }, token: await t.memberToken(week2) });
  expect(timeOff.status).toBe(201);
  clock.set("2027-01-13T10:00:00Z");
  const override = await (await t.request("POST", "/api/v1/teams/alpha/overrides", {
    body: { rotation: "primary", member: "dan", start: "2027-01-13T11:00:00Z", end: "2027-01-13T15:00:00Z", note: "pager | handover" },
  })).json();
  clock.set("2027-01-13T18:00:00Z");
  return { t, clock, week2, override };
}

describe("GET /api/v1/teams/:team/timeline", () => {
  it("lists every on-call interval in the window per rotation and every change recorded in it, with actor and time", async () => {
    const { t, week2, override } = await history();
    const res = await t.request("GET", "/api/v1/teams/alpha/timeline?from=2027-01-13T08:00:00Z&to=2027-01-13T16:00:00Z", { token: await t.memberToken("ben") });
    expect(res.status).toBe(200);
    const timeline = await res.json();
    expect(timeline).toMatchObject({ team: "alpha", from: "2027-01-13T08:00:00Z", to: "2027-01-13T16:00:00Z" });
    const holder = override.replacedMember;
    expect(timeline.rotations).toEqual([
      {
        rotation: "primary",
        name: "Primary",
        oncall: [
          { member: holder, memberName: expect.any(String), start: "2027-01-13T08:00:00Z", end: "2027-01-13T11:00:00Z", source: "schedule" },
          { member: "dan", memberName: "Dan", start: "2027-01-13T11:00:00Z", end: "2027-01-13T15:00:00Z", source: "override" },
          { member: holder, memberName: expect.any(String), start: "2027-01-13T15:00:00Z", end: "2027-01-13T16:00:00Z", source: "schedule" },
        ],
      },
    ]);
    expect(timeline.changes.map((c: any) => [c.at, c.actor, c.action])).toEqual([
      ["2027-01-13T09:00:00Z", `member:${week2}`, "time-off.create"],
      ["2027-01-13T09:00:00Z", `member:${week2}`, "schedule.apply"],
      ["2027-01-13T10:00:00Z", "admin", "override.create"],
    ]);
    // The import happened before the window: it is not in it.
    const whole = await (await t.request("GET", "/api/v1/teams/alpha/timeline?from=2027-01-12&to=2027-01-14")).json();
    expect(whole.changes[0]).toMatchObject({ at: "2027-01-12T12:00:00Z", actor: "admin", action: "team.create", entity: "team", entityId: "alpha" });
    expect(whole.changes.some((c: any) => c.entityId === "bravo")).toBe(false);
  });

  it("answers Markdown tables to paste into a postmortem with Accept: text/markdown", async () => {
    const { t } = await history();
    const res = await t.request("GET", "/api/v1/teams/alpha/timeline?from=2027-01-13T08:00:00Z&to=2027-01-13T16:00:00Z", { headers: { accept: "text/markdown" } });
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("text/markdown; charset=utf-8");
    const md = await res.text();
    expect(md).toContain("## On call for alpha, 2027-01-13T08:00:00Z – 2027-01-13T16:00:00Z\n\n| rotation | member | start (UTC) | end (UTC) | source |\n| --- | --- | --- | --- | --- |\n");
    expect(md).toContain("| Primary | Dan | 2027-01-13T11:00:00Z | 2027-01-13T15:00:00Z | override |\n");
    expect(md).toMatch(/\| 2027-01-13T10:00:00Z \| admin \| override.create \| override \d+ \| override dan 2027-01-13T11:00:00Z – 2027-01-13T15:00:00Z \|\n/);
    expect(md.split("\n").filter((line) => line.startsWith("|")).every((line) => line.split(/(?<!\\)\|/).length === line.split(/(?<!\\)\|/).length)).toBe(true);
  });

  it("refuses a bad window naming the field, and an unknown team with 404", async () => {
    const { t } = await history();
    const bad = await t.request("GET", "/api/v1/teams/alpha/timeline?from=2027-01-14&to=2027-01-13");
    expect(bad.status).toBe(400);
    expect((await bad.json()).errors[0].path).toBe("to");
    expect((await t.request("GET", "/api/v1/teams/alpha/timeline?from=yesterday")).status).toBe(400);
    expect((await t.request("GET", "/api/v1/teams/ghost/timeline")).status).toBe(404);
    expect((await t.request("GET", "/api/v1/teams/alpha/timeline", { token: null })).status).toBe(401);
  });
});

describe("GET /api/v1/audit", () => {
  it("answers who, what, when, before and after, filtered by time, team and actor (admin only)", async () => {
    const { t, week2 } = await history();
    const renamed = smallOrg();
    renamed.members[0]!.name = "Ana Renamed";
    await t.importOrg(renamed);
    const all = await (await t.request("GET", "/api/v1/audit")).json();
    expect(all.truncated).toBe(false);
    const rename = all.entries.find((e: any) => e.action === "member.update");
    expect(rename).toMatchObject({ at: "2027-01-13T18:00:00Z", actor: "admin", entity: "member", entityId: "ana", before: { name: "Ana" }, after: { name: "Ana Renamed" } });

    const byActor = await (await t.request("GET", `/api/v1/audit?actor=member:${week2}`)).json();
    expect(byActor.entries.map((e: any) => e.action)).toEqual(["time-off.create", "schedule.apply"]);
    const replan = byActor.entries[1];
    expect(replan.after.changes.length).toBeGreaterThan(0);

    const window = await (await t.request("GET", "/api/v1/audit?from=2027-01-13T10:00:00Z&to=2027-01-13T11:00:00Z")).json();
    expect(window.entries).toEqual([expect.objectContaining({ action: "override.create", after: expect.objectContaining({ team: "alpha", member: "dan" }) })]);

    const bravo = await (await t.request("GET", "/api/v1/audit?team=bravo")).json();
    expect(bravo.entries.length).toBeGreaterThan(0);
    expect(bravo.entries.every((e: any) => e.entityId === "bravo" || e.after?.team === "bravo" || ["eve", "fay", "gil", "hal"].includes(e.after?.member))).toBe(true);
    expect(bravo.entries.some((e: any) => e.action === "override.create")).toBe(false);

    const limited = await (await t.request("GET", "/api/v1/audit?limit=2")).json();
    expect(limited).toMatchObject({ truncated: true, entries: [expect.anything(), expect.anything()] });
  });

  it("is admin-only and refuses bad filters naming them", async () => {
    const { t } = await history();
    expect((await t.request("GET", "/api/v1/audit", { token: await t.memberToken("ana") })).status).toBe(403);
    expect((await t.request("GET", "/api/v1/audit", { token: null })).status).toBe(401);
    for (const [query, path] of [
      ["from=soon", "from"],
      ["from=2027-01-14&to=2027-01-13", "to"],
      ["limit=0", "limit"],
      ["colour=red", "colour"],
    ]) {
      const res = await t.request("GET", `/api/v1/audit?${query}`);
      expect(res.status, query).toBe(400);
      expect((await res.json()).errors[0].path).toBe(path);
    }
  });
});
