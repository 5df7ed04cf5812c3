import { describe, expect, it } from "vitest";
import { backendEnv } from "../helpers/database";
import { tablesOf } from "../../src/db/open";
import { runCli } from "../../src/cli/main";
import { createTestApp, settableClock } from "../helpers/app";
import { member, smallOrg, team } from "../helpers/factories";

/** An org imported long ago, whose plan from that import has run out by `now`: the plans below start afresh. */
async function setup(now = "2027-01-12T12:00:00Z") {
  const clock = settableClock(now);
  const t = await createTestApp({ clock });
  await t.importOrgLongAgo(smallOrg());
  return { t, clock };
}

const appliedSince = async (t: Awaited<ReturnType<typeof setup>>["t"], at: string) =>
  (await t.db.select().from(tablesOf(t.db).auditLog)).filter((a) => a.action === "schedule.apply" && a.at >= at);

const plan = (t: Awaited<ReturnType<typeof setup>>["t"], body: unknown, verb: "plan" | "apply" = "plan", team = "alpha") =>
  t.request("POST", `/api/v1/teams/${team}/schedule/${verb}`, { body });

describe("plan and apply", () => {
  it("plan answers the proposed weeks with reasons and changes nothing", async () => {
    const { t } = await setup();
    const res = await plan(t, { weeks: 6 });
    expect(res.status).toBe(200);
    const body = await res.json();
    expect(body.from).toBe("2027-01-12");
    expect(body.assignments).toHaveLength(6);
    expect(body.assignments[0]).toMatchObject({ rotation: "primary", weekStart: "2027-01-12T10:00:00Z", weekEnd: "2027-01-19T10:00:00Z" });
    for (const a of body.assignments) expect(a.reason).toEqual(expect.any(String));
    expect(body.changes).toHaveLength(6);
    expect(body.changes[0].before).toBeUndefined();
    const shifts = await (await t.request("GET", "/api/v1/teams/alpha/shifts")).json();
    expect(shifts.shifts).toEqual([]);
    expect(await appliedSince(t, "2027-01-12T12:00:00Z")).toEqual([]);
  });

  it("apply stores the plan with an audit entry; applying again changes nothing", async () => {
    const { t } = await setup();
    const proposed = await (await plan(t, { weeks: 6 })).json();
    const applied = await (await plan(t, { weeks: 6 }, "apply")).json();
    expect(applied.changes.map((c: { after: string }) => c.after)).toEqual(proposed.assignments.map((a: { member: string }) => a.member));
    const again = await (await plan(t, { weeks: 6 }, "apply")).json();
    expect(again.changes).toEqual([]);
    expect(await appliedSince(t, "2027-01-12T12:00:00Z")).toHaveLength(1);
    const shifts = await (await t.request("GET", "/api/v1/teams/alpha/shifts?from=2027-01-12&to=2027-02-23")).json();
    expect(shifts.shifts.map((s: { member: string }) => s.member)).toEqual(proposed.assignments.map((a: { member: string }) => a.member));
    expect(shifts.shifts[0]).toMatchObject({ rotation: "primary", start: "2027-01-12T10:00:00Z", end: "2027-01-19T10:00:00Z", source: "schedule" });
    expect((await (await plan(t, { weeks: 6 })).json()).changes).toEqual([]);
  });

  it("apply is admin-only; a member may look at a plan", async () => {
    const { t } = await setup();
    expect((await t.request("POST", "/api/v1/teams/alpha/schedule/apply", { body: { weeks: 2 }, token: await t.memberToken("ana") })).status).toBe(403);
    expect((await t.request("POST", "/api/v1/teams/alpha/schedule/plan", { body: { weeks: 2 }, token: await t.memberToken("ana") })).status).toBe(200);
  });

  it("refuses bad plan requests naming the field, storing nothing", async () => {
    const { t } = await setup();
    for (const [body, path] of [
      [{ weeks: 0 }, "weeks"],
      [{ weeks: 500 }, "weeks"],
      [{ weeks: "six" }, "weeks"],
      [{ weeks: 4, from: "2027-02-30" }, "from"],
      [{ weeks: 4, extra: 1 }, "extra"],
      [{}, "weeks"],
    ] as const) {
      const res = await plan(t, body, "apply");
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect((await res.json()).errors[0].path).toBe(path);
    }
    expect((await plan(t, { weeks: 2 }, "apply", "ghost")).status).toBe(404);
    expect((await (await t.request("GET", "/api/v1/teams/alpha/shifts")).json()).shifts).toEqual([]);
  });

  it("never rewrites the past, and follows time off in a frozen week at once, reporting the conflict", async () => {
    const { t, clock } = await setup();
    const first = await (await plan(t, { weeks: 8 }, "apply")).json();
    const thirdWeek = first.changes[2];
    clock.set("2027-01-20T12:00:00Z");
    const added = await t.request("POST", `/api/v1/members/${thirdWeek.after}/time-off`, {
      body: { start: "2027-01-27", end: "2027-01-28" },
      token: await t.memberToken(thirdWeek.after),
    });
    expect(added.status).toBe(201);
    const { replanned } = await added.json();
    expect(replanned).toHaveLength(1);
    expect(replanned[0].conflicts).toEqual([expect.objectContaining({ rotation: "primary", weekStart: thirdWeek.weekStart, member: thirdWeek.after })]);
    expect(replanned[0].changes.some((c: { weekStart: string }) => c.weekStart < "2027-01-20T12:00:00Z")).toBe(false);
    const moved = replanned[0].changes.find((c: { weekStart: string }) => c.weekStart === thirdWeek.weekStart);
    expect(moved).toMatchObject({ before: thirdWeek.after });
    expect(moved.after).not.toBe(thirdWeek.after);
    const lookup = await (await t.request("GET", "/api/v1/oncall?team=alpha&at=2027-01-27T12:00:00Z")).json();
    expect(lookup.oncall[0].member.id).toBe(moved.after);
    const past = await (await t.request("GET", "/api/v1/teams/alpha/shifts?from=2027-01-12&to=2027-01-19T10:00:00Z")).json();
    expect(past.shifts[0].member).toBe(first.changes[0].after);
  });

  it("takes a member who leaves the org off their future weeks on import", async () => {
    const { t } = await setup();
    await plan(t, { weeks: 8 }, "apply");
    const without = smallOrg();
    without.members = without.members.filter((m) => m.id !== "ben");
    without.teams[0]!.rotations[0]!.members = ["ana", "cat", "dan"];
    const summary = await t.importOrg(without);
    expect(summary.members.retired).toEqual(["ben"]);
    expect(summary.replanned.map((r: { team: string }) => r.team)).toEqual(["alpha"]);
    const shifts = await (await t.request("GET", "/api/v1/teams/alpha/shifts?from=2027-01-19T10:00:00Z&to=2027-03-09T10:00:00Z")).json();
    expect(shifts.shifts.map((s: { member: string }) => s.member)).not.toContain("ben");
  });

  it("reports fairness per member with health flags", async () => {
    const { t } = await setup();
    await plan(t, { weeks: 8 }, "apply");
    const res = await t.request("GET", "/api/v1/teams/alpha/fairness?from=2027-01-12T10:00:00Z&to=2027-03-09T10:00:00Z");
    expect(res.status).toBe(200);
    const report = await res.json();
    expect(report.members.map((m: { member: string }) => m.member).sort()).toEqual(["ana", "ben", "cat", "dan"]);
    expect(report.members.map((m: { weeks: number }) => m.weeks)).toEqual([2, 2, 2, 2]);
    for (const m of report.members) expect(m).toMatchObject({ onCallHours: 336, coveredHours: 0, givenAwayHours: 0 });
    expect(report.flags).toEqual([]);
  });

  it("flags a pool below four members", async () => {
    const t = await createTestApp({ now: "2027-01-12T12:00:00Z" });
    await t.importOrg({ version: 1, members: [member("ana"), member("ben")], teams: [team("duo", ["ana", "ben"])] });
    await plan(t, { weeks: 4 }, "apply", "duo");
    const report = await (await t.request("GET", "/api/v1/teams/duo/fairness")).json();
    expect(report.flags).toEqual([expect.objectContaining({ kind: "pool-too-small", poolSize: 2 })]);
  });
});

describe("baton plan and apply", () => {
  it("print a readable table in the team's zone and the diff", async () => {
    const { t } = await setup();
    let out = "";
    const io = { env: { BATON_DB: t.config.BATON_DB, BATON_LOG_LEVEL: "silent", ...backendEnv }, stdout: (s: string) => (out += s), stderr: () => {}, clock: t.clock };
    expect(await runCli(["apply", "--team", "alpha", "--weeks", "3", "--from", "2027-01-12"], io)).toBe(0);
    expect(out).toMatch(/^Alpha \(alpha\)\nweek +from \(Europe\/London\) +to +rotation +member +reason\n1 +Tue 12 Jan 2027 10:00 +Tue 19 Jan 2027 10:00 +primary +\w+ +\S/);
    expect(out).toContain("applied: 3 weeks changed");
    out = "";
    expect(await runCli(["plan", "--team", "alpha", "--weeks", "3", "--from", "2027-01-12"], io)).toBe(0);
    expect(out).toContain("would change: no changes");
    expect(await runCli(["plan", "--team", "alpha", "--weeks", "0"], io)).toBe(1);
    expect(await runCli(["plan", "--weeks", "3"], io)).toBe(2);
  });
});

describe("a moved handoff", () => {
  it("replaces the weeks on the old handoff that have not begun, so the rotation is never double-booked", async () => {
    const { t } = await setup("2027-01-12T12:00:00Z");
    await plan(t, { weeks: 6 }, "apply");
    const moved = smallOrg();
    moved.teams[0]!.handoff = { weekday: "monday", time: "09:00" };
    await t.importOrg(moved);
    await plan(t, { weeks: 6 }, "apply");
    const { shifts } = await (await t.request("GET", "/api/v1/teams/alpha/shifts?from=2027-01-12&to=2027-02-23")).json();
    for (let i = 1; i < shifts.length; i++) expect(shifts[i].start >= shifts[i - 1].end, JSON.stringify(shifts.slice(i - 1, i + 1))).toBe(true);
    // The week in progress is cut at the new handoff nearest its end; the weeks on the new handoff follow whole.
    expect(shifts.slice(0, 3).map((s: { start: string; end: string }) => [s.start, s.end])).toEqual([
      ["2027-01-12T10:00:00Z", "2027-01-18T09:00:00Z"],
      ["2027-01-18T09:00:00Z", "2027-01-25T09:00:00Z"],
      ["2027-01-25T09:00:00Z", "2027-02-01T09:00:00Z"],
    ]);
  });
});
