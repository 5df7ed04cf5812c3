import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { WEEKDAYS } from "../../src/domain/time";
import { createTestApp, settableClock, type TestApp } from "../helpers/app";
import { smallOrg } from "../helpers/factories";

const IMPORTED = "2027-01-12T12:00:00Z";
const QUARTER_HOUR = 15 * 60_000;
// The first week the import planned: from here on every instant is held.
const FIRST_WEEK = "2027-01-12T10:00:00Z";

type Shift = { member: string | null; start: string; end: string; rotation: string };

const shiftsOf = async (t: TestApp, from: string, to: string): Promise<Shift[]> =>
  (await (await t.request("GET", `/api/v1/teams/alpha/shifts?from=${from}&to=${to}`)).json()).shifts;

/** Every quarter hour of [from, to) held by exactly one shift, and the shifts meeting end to start. */
function expectNoHoleNoOverlap(shifts: Shift[], from: string, to: string) {
  const sorted = [...shifts].sort((a, b) => a.start.localeCompare(b.start));
  for (let i = 1; i < sorted.length; i++) expect(sorted[i]!.start, JSON.stringify(sorted.slice(i - 1, i + 1))).toBe(sorted[i - 1]!.end);
  for (let t = Date.parse(from); t < Date.parse(to); t += QUARTER_HOUR) {
    const at = new Date(t).toISOString().replace(".000", "");
    const holding = sorted.filter((s) => s.start <= at && at < s.end && s.member !== null);
    expect(holding.length, `held at ${at}`).toBe(1);
  }
}

async function changeAt(now: string, change: (org: ReturnType<typeof smallOrg>, holder: string) => void) {
  const clock = settableClock(IMPORTED);
  const t = await createTestApp({ clock });
  await t.importOrg(smallOrg());
  clock.set(now);
  const from = new Date(Date.parse(now) - 8 * 86_400_000).toISOString().replace(".000", "");
  const to = new Date(Date.parse(now) + 8 * 7 * 86_400_000).toISOString().replace(".000", "");
  const before = await shiftsOf(t, from, to);
  const holder = before.find((s) => s.start <= now && now < s.end)!.member!;
  const org = smallOrg();
  change(org, holder);
  const summary = await t.importOrg(org);
  const after = await shiftsOf(t, from, to);
  return { t, now, from, to, before, after, holder, summary };
}

/** What was in force before now is as it was: the same members over the same instants. */
function expectHistoryKept(before: Shift[], after: Shift[], from: string, now: string) {
  const upToNow = (shifts: Shift[]) =>
    shifts.filter((s) => s.start < now).map((s) => ({ member: s.member, start: s.start < from ? from : s.start, end: s.end > now ? now : s.end }));
  expect(upToNow(after)).toEqual(upToNow(before));
}

describe("a change never leaves a hole", () => {
  it("a handoff moved earlier cuts the week in progress at the new handoff; the holder keeps it until then", async () => {
    const r = await changeAt("2027-01-14T12:00:00Z", (org) => (org.teams[0]!.handoff = { weekday: "monday", time: "09:00" }));
    expectNoHoleNoOverlap(r.after, FIRST_WEEK, r.to);
    expectHistoryKept(r.before, r.after, r.from, r.now);
    const running = r.after.find((s) => s.start <= r.now && r.now < s.end)!;
    expect(running).toMatchObject({ member: r.holder, start: "2027-01-12T10:00:00Z", end: "2027-01-18T09:00:00Z" });
  });

  it("a handoff moved later extends the week in progress to it", async () => {
    const r = await changeAt("2027-01-14T12:00:00Z", (org) => (org.teams[0]!.handoff = { weekday: "wednesday", time: "14:30" }));
    expectNoHoleNoOverlap(r.after, FIRST_WEEK, r.to);
    expectHistoryKept(r.before, r.after, r.from, r.now);
    expect(r.after.find((s) => s.start <= r.now && r.now < s.end)).toMatchObject({ member: r.holder, end: "2027-01-20T14:30:00Z" });
  });

  it("a move to another zone with an earlier handoff leaves no gap before the first new week", async () => {
    const r = await changeAt("2027-01-14T12:00:00Z", (org) => {
      org.teams[0]!.timeZone = "Asia/Tokyo";
      org.teams[0]!.handoff = { weekday: "tuesday", time: "09:00" };
    });
    expectNoHoleNoOverlap(r.after, FIRST_WEEK, r.to);
    expectHistoryKept(r.before, r.after, r.from, r.now);
    // Tuesday 09:00 in Tokyo is Tuesday 00:00Z: 10 hours before the old handoff.
    expect(r.after.find((s) => s.start <= r.now && r.now < s.end)).toMatchObject({ member: r.holder, end: "2027-01-19T00:00:00Z" });
  });

  it("the member on call leaving the rotation and the org is replaced from now on; their part of the week stays theirs", async () => {
    const r = await changeAt("2027-01-14T12:00:00Z", (org, holder) => {
      org.members = org.members.filter((m) => m.id !== holder);
      org.teams[0]!.rotations[0]!.members = org.teams[0]!.rotations[0]!.members.filter((m) => m !== holder);
      org.timeOff = org.timeOff!.filter((t) => t.member !== holder);
    });
    expect(r.summary.members.retired).toEqual([r.holder]);
    expectNoHoleNoOverlap(r.after, FIRST_WEEK, r.to);
    expectHistoryKept(r.before, r.after, r.from, r.now);
    const next = r.after.find((s) => s.start <= r.now && r.now < s.end)!;
    expect(next.start).toBe(r.now);
    expect(next.member).not.toBe(r.holder);
    expect(r.after.filter((s) => s.end > r.now).map((s) => s.member)).not.toContain(r.holder);
    const lookup = await (await r.t.request("GET", `/api/v1/oncall?team=alpha&at=2027-01-13T12:00:00Z`)).json();
    expect(lookup.oncall[0].member.id).toBe(r.holder);
    expect(r.summary.handovers).toContainEqual(expect.objectContaining({ start: r.now, from: r.holder, to: next.member }));
  });

  it("holds for any handoff, zone and moment of the week, with or without the holder leaving (property)", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...WEEKDAYS),
        fc.integer({ min: 0, max: 95 }),
        fc.constantFrom("Europe/London", "America/Los_Angeles", "Asia/Kolkata", "Australia/Lord_Howe", "Pacific/Auckland"),
        fc.integer({ min: 0, max: 7 * 96 - 1 }),
        fc.boolean(),
        async (weekday, quarter, zone, offset, leaves) => {
          const now = new Date(Date.parse("2027-01-12T10:00:00Z") + offset * QUARTER_HOUR + 60_000).toISOString().replace(".000", "");
          const time = `${String(Math.floor(quarter / 4)).padStart(2, "0")}:${String((quarter % 4) * 15).padStart(2, "0")}`;
          const r = await changeAt(now, (org, holder) => {
            org.teams[0]!.timeZone = zone;
            org.teams[0]!.handoff = { weekday, time };
            if (leaves) org.teams[0]!.rotations[0]!.members = org.teams[0]!.rotations[0]!.members.filter((m) => m !== holder);
          });
          expectNoHoleNoOverlap(r.after, r.now, r.to);
          expectHistoryKept(r.before, r.after, r.from, r.now);
          if (leaves) expect(r.after.filter((s) => s.end > r.now).map((s) => s.member)).not.toContain(r.holder);
        },
      ),
      { numRuns: 25, seed: 11 },
    );
  }, 120_000);
});
