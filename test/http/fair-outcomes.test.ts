/**
 * Issue 10's "what must be shown", judged on the final shifts through the public
 * API: a year planned for every team of the demo org and of a second realistic
 * org breaks none of the rota rules; a restart and an idempotent import move no
 * shift; a swap's taker who becomes unavailable hands the time on at once; a
 * cover taken is paid back within the year.
 */
import { readFileSync } from "node:fs";
import { DateTime } from "luxon";
import { beforeAll, describe, expect, it } from "vitest";
import type { OrgFileInput } from "../../src/domain/org-file";
import { createTestApp, settableClock, type TestApp } from "../helpers/app";
import { member, team } from "../helpers/factories";
import { allShifts, applyAll, fairnessOf, firstShiftStart, movedShifts, readSpan } from "../helpers/outcomes";
import {
  checkCovered,
  checkFairnessReport,
  checkHardRules,
  checkRest,
  checkUnbroken,
  Rota,
  type FinalShift,
  type Violation,
} from "../helpers/rota-rules";

const NOW = "2026-12-01T09:00:00Z";
const SPAN = readSpan(NOW);
const YEAR_MS = 120_000;

const readOrg = (file: string): OrgFileInput => JSON.parse(readFileSync(new URL(`../../fixtures/${file}`, import.meta.url), "utf8"));
const lines = (violations: readonly Violation[]) => violations.map((v) => `${v.team}/${v.rotation} ${v.rule} ${v.member ?? "-"} ${v.start}: ${v.detail}`);

describe.each(["demo-org.json", "realistic-org.json"])("%s planned 52 weeks for every team", (file) => {
  const org = readOrg(file);
  let t: TestApp;
  let shifts: FinalShift[];
  let rota: Rota;

  beforeAll(async () => {
    t = await createTestApp({ now: NOW });
    await t.importOrg(org);
    await applyAll(t, org);
    shifts = await allShifts(t, org, SPAN);
    // Judged from now on: before now the org did not exist, whatever the week in progress reaches back to.
    rota = new Rota(org, shifts, { from: NOW });
  }, YEAR_MS);

  const perTeam = (check: (teamId: string) => Violation[]) => org.teams.flatMap((x) => check(x.id));

  it("imports cleanly and plans a shift in every team", () => {
    for (const x of org.teams) expect(shifts.some((s) => s.team === x.id), x.id).toBe(true);
  });

  it("gives nobody consecutive weeks of a rotation while a rested colleague was free, and nobody three in a row", () => {
    expect(lines(perTeam((id) => checkRest(rota, id)))).toEqual([]);
  });

  it("keeps nobody on call more than 16 h unbroken in follow-the-sun where a teammate could take part", () => {
    expect(lines(perTeam((id) => checkUnbroken(rota, id)))).toEqual([]);
  });

  it("puts nobody on call on time off, outside employment, on a block holiday, or in two places at once while someone else could serve", () => {
    expect(lines(perTeam((id) => checkHardRules(rota, id)))).toEqual([]);
  });

  it("leaves no instant of the planned horizon unheld while someone could hold it", () => {
    expect(lines(perTeam((id) => checkCovered(rota, id)))).toEqual([]);
  });

  it("reports each member's weeks as the shifts hold them, and equal fair shares for equal availability", async () => {
    const violations: Violation[] = [];
    for (const x of org.teams) {
      violations.push(...checkFairnessReport(rota, x.id, await fairnessOf(t, x.id, { from: firstShiftStart(shifts, x.id), to: SPAN.to })));
    }
    expect(lines(violations)).toEqual([]);
  });

  it("moves no shift on a restart (the start-up roll-forward, then the same request again)", async () => {
    const first = await createTestApp({ now: NOW });
    await first.importOrg(org);
    await applyAll(first, org);
    const before = await allShifts(first, org, SPAN);
    const restarted = await createTestApp({ now: NOW, path: first.path });
    await restarted.app.planAhead();
    await applyAll(restarted, org);
    expect(movedShifts(before, await allShifts(restarted, org, SPAN))).toEqual({ gone: [], came: [] });
  }, YEAR_MS);

  it("moves no planned shift when the hourly roll-forward runs later and the same request is applied again", async () => {
    const clock = settableClock(NOW);
    const first = await createTestApp({ clock });
    await first.importOrg(org);
    await applyAll(first, org);
    const before = await allShifts(first, org, SPAN);
    for (const later of [plusHours(NOW, 1), plusHours(NOW, 25)]) {
      clock.set(later);
      await first.app.planAhead();
      await applyAll(first, org);
      // Only what the later horizon adds at the far end may be new. That starts where the first of a team's
      // rotations runs out: until its next week is planned, a neighbouring region holds its window as a gap.
      const plannedEnd = new Map(
        org.teams.map((x) => {
          const ends = x.rotations.map((r) => before.filter((s) => s.team === x.id && s.rotation === r.id).reduce((max, s) => (s.end > max ? s.end : max), ""));
          return [x.id, ends.sort()[0]!];
        }),
      );
      const upToPlannedEnd = (shifts: FinalShift[]) =>
        shifts.flatMap((s) => (s.start < plannedEnd.get(s.team)! ? [{ ...s, end: s.end < plannedEnd.get(s.team)! ? s.end : plannedEnd.get(s.team)! }] : []));
      const after = await allShifts(first, org, SPAN);
      expect(movedShifts(upToPlannedEnd(before), upToPlannedEnd(after)), later).toEqual({ gone: [], came: [] });
    }
  }, YEAR_MS);

  it("moves no shift on an idempotent re-import of the same file", async () => {
    const first = await createTestApp({ now: NOW });
    await first.importOrg(org);
    await applyAll(first, org);
    const before = await allShifts(first, org, SPAN);
    await first.importOrg(org);
    expect(movedShifts(before, await allShifts(first, org, SPAN))).toEqual({ gone: [], came: [] });
  }, YEAR_MS);
});

// ---------- a swap's taker who becomes unavailable ----------

const LONDON = "Europe/London";
const POOL = ["ana", "ben", "cat", "dan", "eve"];

function swapOrg(pool: string[] = POOL): OrgFileInput {
  return { version: 1, members: pool.map((id) => member(id)), teams: [team("alpha", pool)], timeOff: [] };
}

type Scenario = { t: TestApp & { clock: ReturnType<typeof settableClock> }; org: OrgFileInput; week: FinalShift; giver: string; taker: string };

const shiftsOf = (t: TestApp, org: OrgFileInput) => allShifts(t, org, SPAN);
const oncallAt = async (t: TestApp, at: string): Promise<string[]> => {
  const res = await t.request("GET", `/api/v1/oncall?team=alpha&at=${at}`);
  expect(res.status).toBe(200);
  return (await res.json()).oncall.map((o: { member: { id: string } }) => o.member.id);
};
const plusHours = (iso: string, hours: number) => DateTime.fromISO(iso, { zone: "utc" }).plus({ hours }).toUTC().toISO({ suppressMilliseconds: true })!;

/** Opens a cover of `week` by its holder and has `taker` accept it, through the API. */
async function coverTaken(t: TestApp, week: FinalShift, taker: string) {
  const open = await t.request("POST", "/api/v1/swaps", {
    token: await t.memberToken(week.member!),
    body: { shift: { team: week.team, rotation: week.rotation, start: week.start, end: week.end }, type: "cover" },
  });
  expect(open.status, await open.clone().text()).toBe(201);
  const accept = await t.request("POST", `/api/v1/swaps/${(await open.json()).id}/accept`, { token: await t.memberToken(taker) });
  expect(accept.status, await accept.clone().text()).toBe(200);
}

/**
 * Alpha planned a year from NOW; the holder of the fourth week asks for cover
 * and a colleague who holds neither neighbouring week takes it.
 */
async function takenCover(): Promise<Scenario> {
  const clock = settableClock(NOW);
  const t = { ...await createTestApp({ clock }), clock };
  const org = swapOrg();
  await t.importOrg(org);
  await applyAll(t, org);
  const weeks = (await shiftsOf(t, org)).filter((s) => s.start >= NOW);
  const week = weeks[3]!;
  const neighbours = [weeks[2]!.member, week.member, weeks[4]!.member];
  const taker = POOL.find((id) => !neighbours.includes(id))!;
  await coverTaken(t, week, taker);
  expect(await oncallAt(t, plusHours(week.start, 30))).toEqual([taker]);
  return { t, org, week, giver: week.member!, taker };
}

/** What the lookup and the shifts say for the time before the clock: history that must not change. */
async function historyBefore(t: Scenario["t"], org: OrgFileInput) {
  const now = t.clock.now().toUTC().toISO({ suppressMilliseconds: true })!;
  const instants = [plusHours(NOW, 2), plusHours(NOW, 50), plusHours(now, -1)];
  return {
    oncall: await Promise.all(instants.map((at) => oncallAt(t, at))),
    shifts: (await shiftsOf(t, org)).filter((s) => s.start < now).map((s) => `${s.start} ${s.member} ${s.source}`),
  };
}

/** Every shift piece of [start, end) names someone other than `gone`, someone who may serve it. */
async function expectHandedOn(s: Scenario, org: OrgFileInput, span: { start: string; end: string }, gone: string) {
  const shifts = await shiftsOf(s.t, org);
  const during = shifts.filter((x) => x.team === "alpha" && x.start < span.end && x.end > span.start);
  expect(during.length).toBeGreaterThan(0);
  for (const x of during) expect(x.member, `${x.start}–${x.end} ${x.source}`).not.toBe(gone);
  expect(during.every((x) => x.member !== null)).toBe(true);
  const midway = plusHours(span.start, 12);
  const now = await oncallAt(s.t, midway);
  expect(now).toHaveLength(1);
  expect(now[0]).not.toBe(gone);
  const rota = new Rota(org, shifts, { from: s.t.clock.now().toUTC().toISO()! });
  expect(lines([...checkHardRules(rota, "alpha"), ...checkCovered(rota, "alpha")])).toEqual([]);
  return { midway, holder: now[0]! };
}

describe("a swap's taker who can no longer serve", () => {
  it("books time off over the covered week: that time moves to an eligible member at once, and earlier history stands", async () => {
    const s = await takenCover();
    s.t.clock.set(plusHours(NOW, 24 * 9));
    const history = await historyBefore(s.t, s.org);
    const day = DateTime.fromISO(s.week.start, { zone: LONDON }).plus({ days: 2 }).toISODate()!;
    const res = await s.t.request("POST", `/api/v1/members/${s.taker}/time-off`, { token: await s.t.memberToken(s.taker), body: { start: day, end: day } });
    expect(res.status, await res.clone().text()).toBe(201);
    const org = { ...s.org, timeOff: [{ member: s.taker, start: day, end: day }] };
    const span = {
      start: DateTime.fromISO(day, { zone: LONDON }).toUTC().toISO({ suppressMilliseconds: true })!,
      end: DateTime.fromISO(day, { zone: LONDON }).plus({ days: 1 }).toUTC().toISO({ suppressMilliseconds: true })!,
    };
    const { midway, holder } = await expectHandedOn(s, org, span, s.taker);
    expect(await historyBefore(s.t, org)).toEqual(history);
    // Once that day has passed, the stored history names who was really on call.
    s.t.clock.set(plusHours(s.week.end, 24 * 7));
    expect(await oncallAt(s.t, midway)).toEqual([holder]);
  }, YEAR_MS);

  it("leaves the org: the covered week moves to an eligible member at once, and earlier history stands", async () => {
    const s = await takenCover();
    s.t.clock.set(plusHours(NOW, 24 * 9));
    const history = await historyBefore(s.t, s.org);
    const without = swapOrg(POOL.filter((id) => id !== s.taker));
    await s.t.importOrg(without);
    const { midway, holder } = await expectHandedOn(s, without, s.week, s.taker);
    expect(await historyBefore(s.t, without)).toEqual(history);
    s.t.clock.set(plusHours(s.week.end, 24 * 7));
    expect(await oncallAt(s.t, midway)).toEqual([holder]);
  }, YEAR_MS);
});

describe("covers and trades over a year", () => {
  it("pays a cover back: the taker of two covers ends the plan within one week of their share", async () => {
    const s = await takenCover();
    const weeks = (await shiftsOf(s.t, s.org)).filter((x) => x.start >= NOW);
    const second = weeks.find((w, i) => i > 5 && w.member !== s.taker && weeks[i - 1]!.member !== s.taker && weeks[i + 1]!.member !== s.taker)!;
    await coverTaken(s.t, second, s.taker);
    await applyAll(s.t, s.org);
    const shifts = await shiftsOf(s.t, s.org);
    const report = await fairnessOf(s.t, "alpha", { from: firstShiftStart(shifts, "alpha"), to: SPAN.to });
    const taker = report.members.find((m) => m.member === s.taker)!;
    expect(Math.abs(taker.balanceHours), JSON.stringify(report.members.map((m) => [m.member, m.weeks, m.fairHours, m.balanceHours]))).toBeLessThanOrEqual(168);
    expect(lines(checkFairnessReport(new Rota(s.org, shifts), "alpha", report))).toEqual([]);
  }, YEAR_MS);

  it("plans a cover's payback as it is accepted, so that a restart afterwards moves no shift", async () => {
    const s = await takenCover();
    const before = await shiftsOf(s.t, s.org);
    const restarted = await createTestApp({ clock: s.t.clock, path: s.t.path });
    await restarted.app.planAhead();
    await applyAll(restarted, s.org);
    expect(movedShifts(before, await shiftsOf(restarted, s.org))).toEqual({ gone: [], came: [] });
  }, YEAR_MS);

  it("after a trade and a re-plan, gives nobody the weeks on both sides of the one they took", async () => {
    const s = await takenCover();
    const weeks = (await shiftsOf(s.t, s.org)).filter((x) => x.start >= NOW && x.source === "schedule");
    const mine = weeks.find((w) => w.member === s.giver && w.start > s.week.end)!;
    const theirs = weeks.find((w) => w.member !== s.giver && w.start > mine.end && w.member !== s.taker)!;
    const open = await s.t.request("POST", "/api/v1/swaps", {
      token: await s.t.memberToken(s.giver),
      body: { shift: { team: "alpha", rotation: "primary", start: mine.start, end: mine.end }, type: "trade", offered: { rotation: "primary", start: theirs.start, end: theirs.end } },
    });
    expect(open.status, await open.clone().text()).toBe(201);
    const accept = await s.t.request("POST", `/api/v1/swaps/${(await open.json()).id}/accept`, { token: await s.t.memberToken(theirs.member!) });
    expect(accept.status, await accept.clone().text()).toBe(200);
    await applyAll(s.t, s.org);
    const rota = new Rota(s.org, await shiftsOf(s.t, s.org));
    expect(lines([...checkRest(rota, "alpha"), ...checkHardRules(rota, "alpha"), ...checkCovered(rota, "alpha")])).toEqual([]);
  }, YEAR_MS);
});
