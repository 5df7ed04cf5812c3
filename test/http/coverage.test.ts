import { describe, expect, it } from "vitest";
import type { OrgFileInput } from "../../src/domain/org-file";
import { createTestApp } from "../helpers/app";
import { member, team } from "../helpers/factories";

function sunOrg(cover: "other-rotations" | "same-rotation"): OrgFileInput {
  return {
    version: 1,
    members: [
      member("sia", { timeZone: "Asia/Singapore", country: "SG", subdivision: undefined }),
      member("lea"),
      member("amy", { timeZone: "America/Los_Angeles", country: "US", subdivision: "CA" }),
    ],
    teams: [
      {
        id: "sun",
        name: "Sun",
        timeZone: "Europe/London",
        holidays: { policy: "avoid", cover },
        rotations: [
          { id: "apac", name: "APAC", timeZone: "Asia/Singapore", window: { start: "08:00", end: "16:00" }, members: ["sia"] },
          { id: "emea", name: "EMEA", window: { start: "08:00", end: "16:00" }, members: ["lea"] },
          { id: "amer", name: "Americas", timeZone: "America/Los_Angeles", window: { start: "08:00", end: "16:00" }, members: ["amy"] },
        ],
        escalation: { repeat: 0, levels: [{ afterMinutes: 0, targets: [{ type: "oncall" }] }] },
      },
    ],
  };
}

describe("GET /api/v1/teams/:team/coverage", () => {
  it("lists each day's gaps and overlaps in UTC with minutes and how they are resolved", async () => {
    const t = await createTestApp({ now: "2027-03-01T00:00:00Z" });
    await t.importOrg(sunOrg("same-rotation"));
    // 2027-03-15: Los Angeles is on summer time since the 14th; London and Singapore never or not yet.
    const res = await t.request("GET", "/api/v1/teams/sun/coverage?from=2027-03-15&to=2027-03-15");
    expect(res.status).toBe(200);
    const body = await res.json();
    expect(body.overlaps).toEqual([
      {
        date: "2027-03-15",
        start: "2027-03-15T15:00:00Z",
        end: "2027-03-15T16:00:00Z",
        minutes: 60,
        rotations: ["emea", "amer"],
        resolution: "both on call, ordered by rotation: emea, amer",
      },
    ]);
    expect(body.gaps).toEqual([
      { date: "2027-03-15", start: "2027-03-15T23:00:00Z", end: "2027-03-16T00:00:00Z", minutes: 60, heldBy: ["amer"], resolution: "held by amer (window extended)" },
    ]);
    const winter = await (await t.request("GET", "/api/v1/teams/sun/coverage?from=2027-01-11&to=2027-01-17")).json();
    expect(winter.gaps).toEqual([]);
    expect(winter.overlaps).toEqual([]);
  });

  it("refuses an unparseable bound naming it", async () => {
    const t = await createTestApp();
    await t.importOrg(sunOrg("same-rotation"));
    const res = await t.request("GET", "/api/v1/teams/sun/coverage?from=soon");
    expect(res.status).toBe(400);
    expect((await res.json()).errors[0].path).toBe("from");
  });
});

describe("holiday hand-over", () => {
  it("hands a UK bank holiday of the London region to the other regions as holiday-cover shifts, counted in fairness", async () => {
    const t = await createTestApp({ now: "2027-04-20T12:00:00Z" });
    await t.importOrgLongAgo(sunOrg("other-rotations"));
    const applied = await (await t.request("POST", "/api/v1/teams/sun/schedule/apply", { body: { weeks: 3 } })).json();
    expect(applied.holidayCovers).toBeGreaterThan(0);
    // Early May bank holiday, Monday 3 May 2027: London's window is 07:00–15:00Z.
    const shifts = (await (await t.request("GET", "/api/v1/teams/sun/shifts?from=2027-05-03T07:00:00Z&to=2027-05-03T15:00:00Z")).json()).shifts;
    const emea = shifts.filter((s: { rotation: string }) => s.rotation === "emea");
    expect(emea).toEqual([
      // Sia is on call for Singapore until 08:00 and Amy would be 17 h unbroken with her evening: Amy takes the
      // hour Sia cannot, Sia the rest (15 h unbroken with her own window).
      { team: "sun", rotation: "emea", member: "amy", start: "2027-05-03T07:00:00Z", end: "2027-05-03T08:00:00Z", source: "holiday-cover" },
      { team: "sun", rotation: "emea", member: "sia", start: "2027-05-03T08:00:00Z", end: "2027-05-03T15:00:00Z", source: "holiday-cover" },
    ]);
    const lookup = await (await t.request("GET", "/api/v1/oncall?team=sun&at=2027-05-03T09:00:00Z")).json();
    expect(lookup.oncall.map((o: { member: { id: string }; rotation: string; source: string }) => [o.member.id, o.rotation, o.source])).toEqual([["sia", "emea", "holiday-cover"]]);
    const fairness = await (await t.request("GET", "/api/v1/teams/sun/fairness?from=2027-05-03T00:00:00Z&to=2027-05-04T00:00:00Z")).json();
    const byId = Object.fromEntries(fairness.members.map((m: { member: string }) => [m.member, m]));
    expect(byId.sia.coveredHours).toBe(7);
    expect(byId.amy.coveredHours).toBe(1);
    expect(byId.lea.givenAwayHours).toBe(8);
  });
});

describe("health warnings", () => {
  it("reports teams with an instant nobody holds in their planned horizon", async () => {
    const t = await createTestApp({ now: "2027-01-12T12:00:00Z" });
    await t.importOrgLongAgo({
      version: 1,
      members: [member("solo")],
      teams: [team("lonely", ["solo"])],
      timeOff: [{ member: "solo", start: "2027-01-20", end: "2027-01-27" }],
    });
    await t.request("POST", "/api/v1/teams/lonely/schedule/apply", { body: { weeks: 3, from: "2027-01-12" } });
    const health = await (await t.request("GET", "/healthz", { token: null })).json();
    expect(health.status).toBe("degraded");
    expect(health.teams).toEqual([expect.objectContaining({ team: "lonely", plannedUntil: "2027-02-02T10:00:00Z", weeksAhead: 2 })]);
    expect(health.warnings).toEqual(["lonely: nobody on call 2027-01-19T10:00:00Z – 2027-02-02T10:00:00Z"]);
    const metrics = await (await t.request("GET", "/metrics", { token: null })).text();
    expect(metrics).toContain('baton_planned_weeks_ahead{team="lonely"} 2');
  });
});
