import { describe, expect, it } from "vitest";
import { restrictionOf as opsgenieRestriction } from "../../src/domain/migrate/opsgenie";
import { restrictionOf as pagerDutyRestriction } from "../../src/domain/migrate/pagerduty";
import { countryForZone, planMigration } from "../../src/domain/migrate/plan";
import type { VendorLayer, VendorSchedule, VendorSnapshot } from "../../src/domain/migrate/snapshot";
import { orgFileSchema } from "../../src/domain/org-file";

const daily = (start_time_of_day: string, hours: number) => ({ type: "daily_restriction", start_time_of_day, duration_seconds: hours * 3600 });
const weekly = (day: number, start_time_of_day: string, hours: number) => ({ type: "weekly_restriction", start_day_of_week: day, start_time_of_day, duration_seconds: hours * 3600 });
const everyDay = (start: string, hours: number) => [1, 2, 3, 4, 5, 6, 7].map((d) => weekly(d, start, hours));

describe("PagerDuty layer restrictions in Baton's terms", () => {
  it.each([
    ["none", [], { kind: "none" }],
    ["one daily", [daily("09:00:00", 8)], { kind: "daily", start: "09:00", end: "17:00" }],
    ["one daily overnight", [daily("22:30:00", 9)], { kind: "daily", start: "22:30", end: "07:30" }],
    ["a whole day", [daily("00:00:00", 24)], { kind: "none" }],
    ["the same weekly restriction on all seven days", everyDay("08:00:00", 8), { kind: "daily", start: "08:00", end: "16:00" }],
    ["a whole week", [weekly(1, "00:00:00", 168)], { kind: "none" }],
  ])("%s", (_, restrictions, expected) => {
    expect(pagerDutyRestriction(restrictions)).toEqual(expected);
  });

  it.each([
    ["weekdays only", [1, 2, 3, 4, 5].map((d) => weekly(d, "09:00:00", 8)), /restricted by weekday .*Monday 09:00 for 8 h/],
    ["two windows a day", [daily("08:00:00", 4), daily("14:00:00", 4)], /several times a day/],
    ["seven days, different hours", [...everyDay("08:00:00", 8).slice(0, 6), weekly(7, "10:00:00", 8)], /restricted by weekday/],
    ["seconds in the start", [daily("08:00:30", 8)], /not in whole minutes/],
  ])("not representable: %s", (_, restrictions, reason) => {
    const result = pagerDutyRestriction(restrictions);
    expect(result.kind).toBe("unsupported");
    expect(result.kind === "unsupported" && result.reason).toMatch(reason);
  });
});

const DAYS = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"];
const dayTime = (startHour: number, endHour: number) => ({ startHour, startMin: 0, endHour, endMin: 0 });
const onDays = (days: number[], startHour: number, endHour: number, nextDay: boolean) =>
  days.map((d) => ({ startDay: DAYS[d]!, endDay: DAYS[(d + (nextDay ? 1 : 0)) % 7]!, ...dayTime(startHour, endHour) }));

describe("Opsgenie time restrictions in Baton's terms", () => {
  it.each([
    ["none", null, { kind: "none" }],
    ["time-of-day", { type: "time-of-day", restriction: dayTime(9, 17) }, { kind: "daily", start: "09:00", end: "17:00" }],
    ["time-of-day overnight", { type: "time-of-day", restriction: dayTime(19, 7) }, { kind: "daily", start: "19:00", end: "07:00" }],
    ["every weekday the same, on its own day", { type: "weekday-and-time-of-day", restrictions: onDays([6, 0, 1, 2, 3, 4, 5], 9, 17, false) }, { kind: "daily", start: "09:00", end: "17:00" }],
    ["every night, wrapping past Sunday", { type: "weekday-and-time-of-day", restrictions: onDays([0, 1, 2, 3, 4, 5, 6], 18, 10, true) }, { kind: "daily", start: "18:00", end: "10:00" }],
  ])("%s", (_, restriction, expected) => {
    expect(opsgenieRestriction(restriction)).toEqual(expected);
  });

  it.each([
    ["weekdays only", { type: "weekday-and-time-of-day", restrictions: onDays([0, 1, 2, 3, 4], 10, 18, false) }],
    // The out-of-hours shape from a recorded real schedule: Friday evening to Monday morning is one restriction.
    ["out of hours with a weekend", { type: "weekday-and-time-of-day", restrictions: [...onDays([0, 1, 2, 3], 18, 10, true), { startDay: "friday", endDay: "monday", ...dayTime(18, 10) }] }],
  ])("not representable: %s", (_, restriction) => {
    expect(opsgenieRestriction(restriction)).toMatchObject({ kind: "unsupported", reason: expect.stringMatching(/^weekday restrictions/) });
  });
});

describe("a member's country from their zone", () => {
  it.each([
    ["Europe/London", "GB"],
    ["Europe/Berlin", "DE"],
    ["Asia/Singapore", "SG"],
    ["America/Sao_Paulo", "BR"],
    ["Asia/Kolkata", "IN"],
    ["Australia/Sydney", "AU"],
    ["Etc/UTC", null],
  ])("%s → %s", (zone, country) => {
    expect(countryForZone(zone)).toBe(country);
  });
});

describe("planMigration, pure", () => {
  const layer = (vendorId: string, name: string, extra: Partial<VendorLayer> = {}): VendorLayer => ({
    vendorId,
    name,
    turnStart: "2027-01-05T10:00:00Z",
    end: null,
    turn: { kind: "weekly" },
    restriction: { kind: "none" },
    users: ["U1", "U2"],
    otherParticipants: [],
    ...extra,
  });
  const schedule = (vendorId: string, name: string, layers: VendorLayer[]): VendorSchedule => ({
    vendorId,
    name,
    timeZone: "Europe/London",
    teamVendorId: "T1",
    enabled: true,
    layering: "top-wins",
    layers,
    rendered: [],
    history: [],
    overrides: 0,
  });
  const snapshot = (schedules: VendorSchedule[], escalations: VendorSnapshot["escalations"] = []): VendorSnapshot => ({
    vendor: "pagerduty",
    users: [
      { vendorId: "U1", email: "una@v.test", name: "Una", timeZone: "Europe/Paris", phone: null },
      { vendorId: "U2", email: "vic@v.test", name: "Vic", timeZone: null, phone: "+33 1 23 45 67 89" },
    ],
    teams: [{ vendorId: "T1", name: "Core Ops" }],
    schedules,
    escalations,
    unsupported: [],
  });
  const empty = orgFileSchema.parse({ version: 1, members: [], teams: [] });
  const run = (snap: VendorSnapshot, existing = empty) =>
    planMigration({ snapshot: snap, existing, historyFrom: "2026-12-16T12:00:00Z", now: "2027-03-16T12:00:00Z", keepUntil: "2027-04-13T12:00:00Z" });

  it("skips a PagerDuty layer that a higher layer overlaps, naming the layer that wins", () => {
    const plan = run(snapshot([schedule("S1", "Main", [layer("L1", "Top"), layer("L2", "Below"), layer("L3", "Nights", { restriction: { kind: "daily", start: "20:00", end: "08:00" } })])]));
    expect(plan.teams[0]!.rotations.map((r) => r.id)).toEqual(["top"]);
    expect(plan.skipped).toEqual([
      { what: "layer", name: "Main / Below", reason: "overlaps the higher layer Top, which wins there; Baton does not layer rotations" },
      { what: "layer", name: "Main / Nights", reason: "overlaps the higher layer Top, which wins there; Baton does not layer rotations" },
    ]);
  });

  it("escalates to the rotations of one schedule when the team has several, and takes a user's zone or the schedule's", () => {
    const plan = run(
      snapshot(
        [schedule("S1", "Primary", [layer("L1", "Layer 1")]), schedule("S2", "Secondary", [layer("L2", "Layer 1", { users: ["U2", "U1"] })])],
        [{ vendorId: "E1", name: "Core", teamVendorId: "T1", repeat: 12, levels: [{ afterMinutes: 0, targets: [{ kind: "schedule", vendorId: "S2", next: false }] }] }],
      ),
    );
    const team = plan.teams[0]!;
    expect(team.id).toBe("pd-core-ops");
    expect(team.rotations.map((r) => r.id)).toEqual(["primary-layer-1", "secondary-layer-1"]);
    expect(team.escalation).toEqual({ repeat: 10, levels: [{ afterMinutes: 0, targets: [{ type: "oncall", rotation: "secondary-layer-1" }] }] });
    expect(plan.skipped).toContainEqual({ what: "escalation repeat", name: "Core", reason: "repeats 12 times; Baton repeats at most 10" });
    expect(plan.members).toEqual([
      { id: "una", email: "una@v.test", name: "Una", timeZone: "Europe/Paris", country: "FR", countryFrom: "inferred from Europe/Paris", existing: false },
      { id: "vic", email: "vic@v.test", name: "Vic", timeZone: "Europe/London", country: "GB", countryFrom: "inferred from Europe/London", existing: false },
    ]);
  });

  it("keeps what an admin tuned in Baton when migrating again, and everything it did not bring", () => {
    const first = orgFileSchema.parse(run(snapshot([schedule("S1", "Main", [layer("L1", "Top")])])).org);
    const tuned = { ...first, teams: first.teams.map((t) => ({ ...t, freezeWeeks: 6 })), members: [...first.members, { id: "zoe", name: "Zoe", email: "zoe@x.test", timeZone: "Europe/Rome", country: "IT" }] };
    const again = orgFileSchema.parse(run(snapshot([schedule("S1", "Main", [layer("L1", "Top")])]), orgFileSchema.parse(tuned)).org);
    expect(again).toEqual(orgFileSchema.parse(tuned));
  });
});
