import { describe, expect, it } from "vitest";
import { createTestApp } from "../helpers/app";
import { commitCounter } from "../helpers/data-version";
import { member, smallOrg, team } from "../helpers/factories";

/** Each bad input answers 400 naming its path, and commits nothing. */
describe("dates and ids at the edge", async () => {
  const t = await createTestApp();
  await t.importOrg(smallOrg());
  const ana = await t.memberToken("ana");
  const commits = await commitCounter(t.path);
  const added = await (await t.request("POST", "/api/v1/members/ana/time-off", { body: { start: "2027-03-01", end: "2027-03-02" } })).json();

  const cases: [string, string, string, unknown, string][] = [
    ["plan from the last day of 9999", "POST", "/api/v1/teams/alpha/schedule/plan", { from: "9999-12-31", weeks: 1 }, "weeks"],
    ["plan running past 9999", "POST", "/api/v1/teams/alpha/schedule/plan", { from: "9999-11-01", weeks: 10 }, "weeks"],
    ["apply running past 9999", "POST", "/api/v1/teams/alpha/schedule/apply", { from: "9999-12-20", weeks: 2 }, "weeks"],
    ["plan before 1970", "POST", "/api/v1/teams/alpha/schedule/plan", { from: "1969-12-30", weeks: 1 }, "from"],
    ["coverage from late 9999", "GET", "/api/v1/teams/alpha/coverage?from=9999-12-10", undefined, "from"],
    ["shifts from late 9999", "GET", "/api/v1/teams/alpha/shifts?from=9999-12-10", undefined, "from"],
    ["fairness from late 9999", "GET", "/api/v1/teams/alpha/fairness?from=9999-12-10", undefined, "from"],
    ["coverage to the end of 9999", "GET", "/api/v1/teams/alpha/coverage?from=9999-12-01&to=9999-12-31T23:59:59Z", undefined, "to"],
    ["an offset of 99 hours", "GET", "/api/v1/oncall?at=2027-01-01T00:00:00%2B99:00", undefined, "at"],
    ["an offset past +14:00", "GET", "/api/v1/oncall?team=alpha&at=2027-01-01T00:00:00%2B14:01", undefined, "at"],
    ["an offset past -14:00", "GET", "/api/v1/teams/alpha/escalation?at=2027-01-01T00:00:00-14:30", undefined, "at"],
    ["an instant in year 10000", "GET", "/api/v1/oncall?at=%2B010000-01-01T00:00:00Z", undefined, "at"],
    ["a range bound with a bad offset", "GET", "/api/v1/teams/alpha/shifts?from=2027-01-01T00:00:00%2B15:00", undefined, "from"],
    ["a hex time-off id", "DELETE", `/api/v1/members/ana/time-off/0x${Number(added.id).toString(16)}`, undefined, "id"],
    ["an exponent time-off id", "DELETE", "/api/v1/members/ana/time-off/1e0", undefined, "id"],
    ["a time-off id with a point", "DELETE", `/api/v1/members/ana/time-off/${added.id}.0`, undefined, "id"],
    ["a hex swap id", "GET", "/api/v1/swaps/0x1", undefined, "id"],
    ["a swap id with spaces", "POST", "/api/v1/swaps/%201/cancel", {}, "id"],
    ["time off in year 10000", "POST", "/api/v1/members/ana/time-off", { start: "2027-01-01", end: "10000-01-01" }, "end"],
    ["a time-off note with a NUL", "POST", "/api/v1/members/ana/time-off", { start: "2027-05-01", end: "2027-05-02", note: "a\u0000b" }, "note"],
  ];

  it.each(cases)("%s is refused with its path", async (_name, method, path, body, field) => {
    const seen = (await commits());
    const res = await t.request(method, path, { body, token: method === "GET" ? ana : undefined });
    expect(res.status).toBe(400);
    const problem = await res.json();
    expect(problem.errors.map((e: { path: string }) => e.path)).toContain(field);
    expect((await commits())).toBe(seen);
  });

  it("the extreme offsets themselves are accepted", async () => {
    for (const at of ["2027-01-01T00:00:00%2B14:00", "2027-01-01T00:00:00-12:00", "2027-01-01T00:00:00.5Z"]) {
      expect((await t.request("GET", `/api/v1/oncall?team=alpha&at=${at}`, { token: ana })).status).toBe(200);
    }
  });

  it("the time off a hex id pointed at is still there", async () => {
    const list = await (await t.request("GET", "/api/v1/members/ana/time-off")).json();
    expect(list.timeOff.map((e: { id: number }) => e.id)).toContain(added.id);
  });
});

describe("the org file at the edge", async () => {
  const t = await createTestApp();
  await t.importOrg(smallOrg());

  const withMembers = (edit: (members: ReturnType<typeof smallOrg>["members"]) => void) => {
    const org = smallOrg();
    edit(org.members);
    return org;
  };

  const cases: [string, unknown, string][] = [
    ["a NUL in a member's name", withMembers((m) => (m[0]!.name = "Ana\u0000")), "members[0].name"],
    ["a newline in a team's name", { ...smallOrg(), teams: smallOrg().teams.map((x, i) => (i === 1 ? { ...x, name: "Bra\nvo" } : x)) }, "teams[1].name"],
    ["an escape in a time-off note", { ...smallOrg(), timeOff: [{ member: "ana", start: "2027-02-01", end: "2027-02-05", note: "\u001b[31mred" }] }, "timeOff[0].note"],
    ["two members with one email", withMembers((m) => (m[3]!.email = "ANA@example.com")), "members[3].email"],
    ["a start date in year 10000", withMembers((m) => (m[0]!.startDate = "10000-01-01")), "members[0].startDate"],
  ];

  it.each(cases)("%s is refused with its path", async (_name, org, path) => {
    const res = await t.request("PUT", "/api/v1/org", { body: org });
    expect(res.status).toBe(400);
    const problem = await res.json();
    expect(problem.errors.map((e: { path: string }) => e.path)).toContain(path);
  });

  it("teams that only escalate to each other reach nobody: refused, naming the path", async () => {
    const people = ["ana", "ben"].map((id) => member(id));
    const onlyTeam = (other: string) => ({ repeat: 0, levels: [{ afterMinutes: 0, targets: [{ type: "team" as const, team: other }] }] });
    const org = {
      version: 1,
      members: people,
      teams: [
        team("alpha", ["ana"], { escalation: onlyTeam("bravo") }),
        team("bravo", ["ben"], { escalation: onlyTeam("charlie") }),
        team("charlie", ["ben"], { escalation: onlyTeam("alpha") }),
      ],
    };
    const res = await t.request("PUT", "/api/v1/org", { body: org });
    expect(res.status).toBe(400);
    const problem = await res.json();
    expect(problem.errors).toContainEqual({
      path: "teams[0].escalation",
      where: 'teams[0] (id "alpha").escalation',
      message: "reaches no person: alpha → bravo → charlie → alpha",
    });
  });

  it("a team that escalates to a team whose first level pages people is fine", async () => {
    const org = smallOrg();
    const res = await t.request("PUT", "/api/v1/org", { body: org });
    expect(res.status).toBe(200);
  });

  it("a changed time-off note is stored, and the note round-trips through GET /org", async () => {
    const org = smallOrg();
    org.timeOff = [{ member: "ana", start: "2027-02-01", end: "2027-02-05", note: "first" }];
    await t.importOrg(org);
    org.timeOff = [{ member: "ana", start: "2027-02-01", end: "2027-02-05", note: "second" }];
    await t.importOrg(org);
    const exported = await (await t.request("GET", "/api/v1/org")).json();
    expect(exported.timeOff).toEqual([{ member: "ana", start: "2027-02-01", end: "2027-02-05", note: "second" }]);
    const again = await (await t.request("PUT", "/api/v1/org", { body: exported })).json();
    expect(again.timeOff).toEqual({ added: 0, updated: 0, removed: 0 });
  });
});
