import { describe, expect, it } from "vitest";
import { query } from "../helpers/database";
import { tablesOf } from "../../src/db/open";
import { createTestApp } from "../helpers/app";
import { smallOrg } from "../helpers/factories";

type Org = ReturnType<typeof smallOrg> & Record<string, unknown>;
const mutate = (change: (org: any) => void) => {
  const org = structuredClone(smallOrg()) as Org;
  change(org);
  return org;
};

const BAD_ORGS: [string, Org, string, RegExp][] = [
  ["an unknown IANA zone", mutate((o) => (o.members[1].timeZone = "Europe/Lundon")), "members[1].timeZone", /IANA time zone/],
  ["an unknown country", mutate((o) => (o.members[0].country = "XX")), "members[0].country", /no public holiday data for country XX/],
  ["a subdivision the country lacks", mutate((o) => (o.members[2].subdivision = "ZZ")), "members[2].subdivision", /ZZ is not a subdivision of GB/],
  ["a duplicate member id", mutate((o) => (o.members[3].id = "ana")), "members[3].id", /duplicate member id ana/],
  ["a duplicate team id", mutate((o) => (o.teams[1].id = "alpha")), "teams[1].id", /duplicate team id alpha/],
  ["a rotation member that does not exist", mutate((o) => o.teams[0].rotations[0].members.push("zed")), "teams[0].rotations[0].members[4]", /unknown member zed/],
  ["an escalation to an unknown member", mutate((o) => o.teams[1].escalation.levels.push({ afterMinutes: 5, targets: [{ type: "member", member: "nobody" }] })), "teams[1].escalation.levels[1].targets[0].member", /unknown member nobody/],
  ["an escalation to an unknown team", mutate((o) => (o.teams[0].escalation.levels[1].targets[0].team = "charlie")), "teams[0].escalation.levels[1].targets[0].team", /unknown team charlie/],
  ["time off for an unknown member", mutate((o) => (o.timeOff[0].member = "ghost")), "timeOff[0].member", /unknown member ghost/],
  ["a window time that is not HH:mm", mutate((o) => (o.teams[0].rotations[0].window = { start: "8:00", end: "16:00" })), "teams[0].rotations[0].window.start", /HH:mm/],
  ["a window hour past 23", mutate((o) => (o.teams[0].rotations[0].window = { start: "08:00", end: "24:00" })), "teams[0].rotations[0].window.end", /HH:mm/],
  ["time off ending before it starts", mutate((o) => (o.timeOff[0].end = "2027-01-20")), "timeOff[0].end", /on or after start/],
  ["an RRULE that does not parse", mutate((o) => (o.timeOff[1].rrule = "FREQ=WEEKLY;BYDAY=XX")), "timeOff[1].rrule", /not a valid RRULE/],
  ["an hourly RRULE", mutate((o) => (o.timeOff[1].rrule = "FREQ=HOURLY")), "timeOff[1].rrule", /FREQ must be DAILY/],
  ["an unknown key on a member", mutate((o) => (o.members[0].pager = "123")), "members[0].pager", /unknown key/],
  ["an unknown top-level key", mutate((o) => (o.extra = true)), "extra", /unknown key/],
  ["a wrong version", mutate((o) => (o.version = 2)), "version", /1/],
  ["a calendar date that does not exist", mutate((o) => (o.timeOff[0].start = "2027-02-30")), "timeOff[0].start", /calendar date/],
  ["an invalid email", mutate((o) => (o.members[0].email = "not-an-email")), "members[0].email", /email/i],
  ["a member in a rotation twice", mutate((o) => o.teams[0].rotations[0].members.push("ana")), "teams[0].rotations[0].members[4]", /listed twice/],
  ["a team escalating to itself", mutate((o) => (o.teams[0].escalation.levels[1].targets[0].team = "alpha")), "teams[0].escalation.levels[1].targets[0].team", /itself/],
  ["an unknown holiday policy", mutate((o) => (o.teams[0].holidays = { policy: "sometimes" })), "teams[0].holidays.policy", /avoid/],
  ["a handoff on no weekday", mutate((o) => (o.teams[0].handoff = { weekday: "funday", time: "10:00" })), "teams[0].handoff.weekday", /tuesday/],
  ["an end date before the start date", mutate((o) => Object.assign(o.members[0], { startDate: "2027-03-01", endDate: "2027-02-01" })), "members[0].endDate", /on or after startDate/],
  ["a rotation with no members", mutate((o) => (o.teams[1].rotations[0].members = [])), "teams[1].rotations[0].members", /at least one member/],
  ["escalation levels out of order", mutate((o) => o.teams[0].escalation.levels.push({ afterMinutes: 5, targets: [{ type: "oncall" }] })), "teams[0].escalation.levels[2].afterMinutes", /in order/],
];

describe("PUT /api/v1/org refuses a bad org file", () => {
  it.each(BAD_ORGS)("with %s, naming the path and storing nothing", async (_, org, path, message) => {
    const t = await createTestApp();
    const res = await t.request("PUT", "/api/v1/org", { body: org });
    expect(res.status).toBe(400);
    expect(res.headers.get("content-type")).toBe("application/problem+json");
    const problem = await res.json();
    const error = problem.errors.find((e: { path: string }) => e.path === path);
    expect(error, `errors were ${JSON.stringify(problem.errors)}`).toBeDefined();
    expect(error.message).toMatch(message);
    const exported = await (await t.request("GET", "/api/v1/org")).json();
    expect(exported).toEqual({ version: 1, members: [], teams: [], timeOff: [] });
    expect((await t.db.select().from(tablesOf(t.db).auditLog))).toEqual([]);
  });

  it("leaves a stored org untouched when a later import is bad", async () => {
    const t = await createTestApp();
    await t.importOrg(smallOrg());
    const before = await (await t.request("GET", "/api/v1/org")).text();
    const res = await t.request("PUT", "/api/v1/org", { body: BAD_ORGS[5]![1] });
    expect(res.status).toBe(400);
    expect(await (await t.request("GET", "/api/v1/org")).text()).toBe(before);
  });
});

describe("org import and export", () => {
  it("round-trips: an export re-imports to an identical export, changing nothing", async () => {
    const t = await createTestApp();
    await t.importOrg(smallOrg());
    const first = await (await t.request("GET", "/api/v1/org")).json();
    const auditRows = (await t.db.select().from(tablesOf(t.db).auditLog)).length;
    const again = await t.importOrg(first);
    expect(again.members).toEqual({ created: [], updated: [], retired: [] });
    expect(again.teams).toEqual({ created: [], updated: [], retired: [] });
    expect(again.timeOff).toEqual({ added: 0, updated: 0, removed: 0 });
    expect(await (await t.request("GET", "/api/v1/org")).json()).toEqual(first);
    expect((await t.db.select().from(tablesOf(t.db).auditLog)).length).toBe(auditRows);
  });

  it("exports defaults explicitly so the file says what Baton does", async () => {
    const t = await createTestApp();
    await t.importOrg(smallOrg());
    const exported = await (await t.request("GET", "/api/v1/org")).json();
    expect(exported.teams[0].handoff).toEqual({ weekday: "tuesday", time: "10:00" });
    expect(exported.teams[0].freezeWeeks).toBe(2);
    expect(exported.teams[0].holidays).toEqual({ policy: "avoid", cover: "same-rotation", countBank: false });
  });

  it("retires members and teams that leave the file and keeps their history", async () => {
    const t = await createTestApp();
    await t.importOrg(smallOrg());
    const smaller = smallOrg();
    smaller.members = smaller.members.filter((m) => !["eve", "fay", "gil", "hal"].includes(m.id));
    smaller.teams = smaller.teams.slice(0, 1);
    smaller.teams[0]!.escalation.levels = smaller.teams[0]!.escalation.levels.slice(0, 1);
    smaller.timeOff = smaller.timeOff!.slice(0, 1);
    const summary = await t.importOrg(smaller);
    expect(summary.members.retired).toEqual(["eve", "fay", "gil", "hal"]);
    expect(summary.teams.retired).toEqual(["bravo"]);
    const exported = await (await t.request("GET", "/api/v1/org")).json();
    expect(exported.members.map((m: { id: string }) => m.id)).toEqual(["ana", "ben", "cat", "dan"]);
    expect((await t.request("GET", "/api/v1/teams/bravo")).status).toBe(404);
    const [stillStored] = await query<{ retired_at: string }>(t.db, "SELECT id, retired_at FROM members WHERE id = 'eve'");
    expect(stillStored!.retired_at).toBe("2027-01-12T12:00:00Z");
    const audit = (await t.db.select().from(tablesOf(t.db).auditLog)).filter((a) => a.action === "member.retire");
    expect(audit.map((a) => a.entityId)).toEqual(["eve", "fay", "gil", "hal"]);

    const revived = await t.importOrg(smallOrg());
    expect(revived.members.updated).toEqual(["eve", "fay", "gil", "hal"]);
    expect(revived.teams.updated).toEqual(["alpha", "bravo"]);
  });

  it("records every change in the audit log with before and after", async () => {
    const t = await createTestApp();
    await t.importOrg(smallOrg());
    const changed = smallOrg();
    changed.members[0]!.name = "Ana Renamed";
    await t.importOrg(changed);
    const entry = (await t.db.select().from(tablesOf(t.db).auditLog)).find((a) => a.action === "member.update")!;
    expect(entry.actor).toBe("admin");
    expect(entry.entityId).toBe("ana");
    expect((entry.before as { name: string }).name).toBe("Ana");
    expect((entry.after as { name: string }).name).toBe("Ana Renamed");
    expect(entry.at).toBe("2027-01-12T12:00:00Z");
  });

  it("keeps time off added through the API when an older file is imported", async () => {
    const t = await createTestApp();
    await t.importOrg(smallOrg());
    const added = await t.request("POST", "/api/v1/members/ben/time-off", { body: { start: "2027-03-01", end: "2027-03-03" } });
    expect(added.status).toBe(201);
    await t.importOrg(smallOrg());
    const list = await (await t.request("GET", "/api/v1/members/ben/time-off")).json();
    expect(list.timeOff).toMatchObject([{ member: "ben", start: "2027-03-01", end: "2027-03-03" }]);
  });

  it("serves the JSON Schema of the org file", async () => {
    const t = await createTestApp();
    const res = await t.request("GET", "/api/v1/org/schema", { token: null });
    expect(res.status).toBe(200);
    const schema = await res.json();
    expect(schema.type).toBe("object");
    expect(schema.required).toEqual(expect.arrayContaining(["version", "members", "teams"]));
    expect(schema.additionalProperties).toBe(false);
  });

  it("lists teams with rotations and escalation", async () => {
    const t = await createTestApp();
    await t.importOrg(smallOrg());
    const { teams } = await (await t.request("GET", "/api/v1/teams")).json();
    expect(teams.map((x: { id: string }) => x.id)).toEqual(["alpha", "bravo"]);
    const alpha = await (await t.request("GET", "/api/v1/teams/alpha")).json();
    expect(alpha.rotations[0].members).toEqual(["ana", "ben", "cat", "dan"]);
    expect(alpha.escalation.levels[1].targets[0]).toEqual({ type: "team", team: "bravo" });
  });
});
