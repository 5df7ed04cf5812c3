import type { DateTime } from "luxon";
import { analyseCoverage, uncoveredWhilePlanned, type CoverageGap, type CoverageOverlap } from "../domain/coverage";
import { notFound } from "../domain/errors";
import type { Team } from "../domain/org-file";
import { addDays, localDate, localToInstant, toIsoZ } from "../domain/time";
import type { Shift, ShiftSource } from "../domain/types";
import { teamCalendar, type CalendarLinks } from "./calendar";
import type { ServiceContext } from "./context";
import { escalationForTeam, oncallForTeam, personOf, type OncallAnswer, type Person } from "./oncall";
import type { OncallIndex } from "./oncall-index";
import { teamFairness } from "./team-views";

/** How many weeks ahead the calendar and the week list reach (at most; less when less is planned). */
export const CALENDAR_WEEKS = 12;
/** How many days the coverage warnings and the follow-the-sun band look ahead. */
export const COVERAGE_DAYS = 28;

/** One stretch of a week held by one member: after covers, swaps and holiday covers. */
export type Holding = { member: Person | null; start: string; end: string; source: ShiftSource };

export type PlannedWeek = {
  rotation: string;
  rotationName: string;
  weekStart: string;
  weekEnd: string;
  /** Who the plan gave the week to, and why. */
  planned: Person | null;
  reason: string;
  /** Who really holds which part of it, in order. */
  holdings: Holding[];
};

/** One calendar day in the team's zone: who holds each rotation at some point that day. */
export type CalendarDay = { date: string; holders: { rotation: string; rotationName: string; people: { name: string; source: ShiftSource }[] }[] };

/** One member's load, with the fields the fairness report may add later read when present. */
export type FairnessBar = {
  member: string;
  name: string;
  onCallHours: number;
  holidayHours: number;
  coveredHours: number;
  givenAwayHours: number;
  fairShare: number;
  balance: number;
  why: string | null;
};

/** A day of the follow-the-sun band: each region's shifts that day, the holes and the overlaps. */
export type BandDay = {
  date: string;
  start: string;
  end: string;
  lanes: { rotation: string; shifts: { start: string; end: string; member: string; source: ShiftSource }[] }[];
  uncovered: { start: string; end: string }[];
  overlaps: { start: string; end: string }[];
  gaps: { start: string; end: string }[];
};

export type TeamPageData = {
  team: Team;
  now: string;
  oncall: OncallAnswer;
  chain: { level: number; afterMinutes: number; members: Person[] }[];
  repeat: number;
  weeks: PlannedWeek[];
  calendar: { from: string; to: string; days: CalendarDay[] };
  coverage: { days: number; gaps: CoverageGap[]; overlaps: CoverageOverlap[]; uncovered: { start: string; end: string }[] };
  fairness: { from: string; to: string; bars: FairnessBar[] };
  /** Only for teams of several windowed rotations (follow-the-sun). */
  band: { regions: { id: string; name: string; timeZone: string }[]; days: BandDay[] } | null;
  feed: CalendarLinks;
};

const byStart = <T extends { start: string }>(a: T, b: T) => (a.start < b.start ? -1 : a.start > b.start ? 1 : 0);

/** Consecutive shifts of one member from one source, joined: a windowed rotation's days read as one stretch. */
function holdingsOf(shifts: readonly Shift[], members: Parameters<typeof personOf>[0]): Holding[] {
  const joined: { member: string | null; start: string; end: string; source: ShiftSource }[] = [];
  for (const s of [...shifts].sort(byStart)) {
    const last = joined.at(-1);
    if (last && last.member === s.member && last.source === s.source) last.end = s.end;
    else joined.push({ member: s.member, start: s.start, end: s.end, source: s.source });
  }
  return joined.map((h) => ({ ...h, member: h.member === null ? null : personOf(members, h.member) }));
}

/** A fairness report row, read through the fields it has today and those it is gaining (fairShare, balance, why). */
type ReportRow = { member: string; name: string; onCallHours: number; holidayHours: number; coveredHours: number; givenAwayHours: number; fairHours?: number; balanceHours?: number; fairShare?: number; balance?: number; why?: string };

export function fairnessBar(row: ReportRow): FairnessBar {
  const fairShare = row.fairShare ?? row.fairHours ?? 0;
  return {
    member: row.member,
    name: row.name,
    onCallHours: row.onCallHours,
    holidayHours: row.holidayHours,
    coveredHours: row.coveredHours,
    givenAwayHours: row.givenAwayHours,
    fairShare,
    balance: row.balance ?? row.balanceHours ?? row.onCallHours - fairShare,
    why: row.why ?? null,
  };
}

/** Everything the team page shows, as of `now`. */
export async function teamPageData(ctx: ServiceContext, index: OncallIndex, teamId: string, now: DateTime): Promise<TeamPageData> {
  const team = await index.team(teamId);
  if (!team) throw notFound(`team ${teamId}`);
  const at = toIsoZ(now);
  const members = await index.memberMap();
  const timeline = await index.timeline(team, at);
  const rotationName = new Map(team.rotations.map((r) => [r.id, r.name]));
  const allShifts = timeline.rotations.flatMap((r) => r.shifts);

  const weeks: PlannedWeek[] = timeline.rotations.flatMap((rotation) =>
    rotation.weeks
      .filter((w) => w.weekEnd > at)
      .slice(0, CALENDAR_WEEKS)
      .map((w) => ({
        rotation: rotation.id,
        rotationName: rotationName.get(rotation.id) ?? rotation.id,
        weekStart: w.weekStart,
        weekEnd: w.weekEnd,
        planned: w.member ? personOf(members, w.member) : null,
        reason: w.reason,
        holdings: holdingsOf(
          rotation.shifts.filter((s) => s.start < w.weekEnd && s.end > w.weekStart).map((s) => ({ ...s, start: s.start < w.weekStart ? w.weekStart : s.start, end: s.end > w.weekEnd ? w.weekEnd : s.end })),
          members,
        ),
      })),
  );
  weeks.sort((a, b) => (a.weekStart < b.weekStart ? -1 : a.weekStart > b.weekStart ? 1 : a.rotation < b.rotation ? -1 : 1));

  const today = localDate(now, team.timeZone);
  const dayRange = (date: string) => ({ start: toIsoZ(localToInstant(date, "00:00", team.timeZone)), end: toIsoZ(localToInstant(addDays(date, 1), "00:00", team.timeZone)) });
  const plannedEnd = weeks.reduce((max, w) => (w.weekEnd > max ? w.weekEnd : max), at);
  const lastDay = localDate(now.plus({ weeks: CALENDAR_WEEKS }), team.timeZone);
  const calendarDays: CalendarDay[] = [];
  for (let date = today; date <= lastDay && dayRange(date).start < plannedEnd; date = addDays(date, 1)) {
    const { start, end } = dayRange(date);
    calendarDays.push({
      date,
      holders: timeline.rotations.flatMap((rotation) => {
        const people: { name: string; source: ShiftSource }[] = [];
        for (const s of rotation.shifts) {
          if (s.start >= end || s.end <= start || s.member === null) continue;
          const name = personOf(members, s.member).name;
          if (!people.some((p) => p.name === name && p.source === s.source)) people.push({ name, source: s.source });
        }
        // A day the rotation's plan does not reach to its end is not "held by nobody": it is not planned yet.
        const plannedUntil = rotation.weeks.reduce((max, w) => (w.weekEnd > max ? w.weekEnd : max), "");
        if (people.length === 0 && plannedUntil < end) return [];
        return [{ rotation: rotation.id, rotationName: rotationName.get(rotation.id) ?? rotation.id, people }];
      }),
    });
  }

  const coverageEnd = addDays(today, COVERAGE_DAYS - 1);
  const coverage = analyseCoverage(team, today, coverageEnd);
  const until = toIsoZ(now.plus({ days: COVERAGE_DAYS }));
  const uncovered = uncoveredWhilePlanned(allShifts, at, until);

  const windowed = team.rotations.filter((r) => r.window);
  let band: TeamPageData["band"] = null;
  if (team.rotations.length > 1 && windowed.length === team.rotations.length) {
    const days: BandDay[] = [];
    for (let date = today; date <= coverageEnd && dayRange(date).start < plannedEnd; date = addDays(date, 1)) {
      const { start, end } = dayRange(date);
      const within = <T extends { start: string; end: string }>(r: T) => r.start < end && r.end > start;
      days.push({
        date,
        start,
        end,
        lanes: timeline.rotations.map((rotation) => ({
          rotation: rotation.id,
          shifts: rotation.shifts.filter((s) => within(s) && s.member !== null).map((s) => ({ start: s.start, end: s.end, member: personOf(members, s.member!).name, source: s.source })),
        })),
        uncovered: uncoveredWhilePlanned(allShifts, start, end < plannedEnd ? end : plannedEnd),
        overlaps: coverage.overlaps.filter(within).map((o) => ({ start: o.start, end: o.end })),
        gaps: coverage.gaps.filter(within).map((g) => ({ start: g.start, end: g.end })),
      });
    }
    band = { regions: team.rotations.map((r) => ({ id: r.id, name: r.name, timeZone: r.timeZone ?? team.timeZone })), days };
  }

  const report = await teamFairness(index, team.id, now, {});
  const escalation = await escalationForTeam(index, team.id, at);
  return {
    team,
    now: at,
    oncall: await oncallForTeam(index, team.id, at),
    chain: escalation.levels.map((l) => ({ level: l.level, afterMinutes: l.afterMinutes, members: l.members })),
    repeat: escalation.repeat,
    weeks,
    calendar: { from: today, to: calendarDays.at(-1)?.date ?? today, days: calendarDays },
    coverage: { days: COVERAGE_DAYS, gaps: coverage.gaps.filter((g) => g.end > at), overlaps: coverage.overlaps.filter((o) => o.end > at), uncovered },
    fairness: { from: report.from, to: report.to, bars: report.members.map(fairnessBar) },
    band,
    feed: await teamCalendar(ctx, team.id),
  };
}
