/**
 * An independent account of what a plan must satisfy, for the property tests:
 * eligibility worked out with luxon directly (not the planner's day-number
 * caches), and a textbook min-cost flow (successive shortest paths with
 * Bellman–Ford over the full slot/member network, not the planner's collapsed
 * member graph) to decide what the best possible plan achieves.
 */
import { DateTime } from "luxon";
import { publicHolidays } from "../../src/domain/holidays";
import type { Member, Rotation, Team, TimeOff } from "../../src/domain/org-file";
import { rotationZone } from "../../src/domain/org-file";
import { localToInstant } from "../../src/domain/time";
import type { Week } from "../../src/domain/weeks";

type Interval = { start: DateTime; end: DateTime };

/** The whole week, or each day's window starting on the week's seven local dates. */
export function onCallIntervals(team: Team, rotation: Rotation, week: Week): Interval[] {
  const start = DateTime.fromISO(week.start);
  const end = DateTime.fromISO(week.end);
  if (!rotation.window) return [{ start, end }];
  const zone = rotationZone(team, rotation);
  const { start: from, end: to } = rotation.window;
  return Array.from({ length: 7 }, (_, i) => {
    const day = DateTime.fromISO(week.startDate, { zone: "utc" }).plus({ days: i });
    const endDay = to < from ? day.plus({ days: 1 }) : day;
    return { start: localToInstant(day.toISODate()!, from, zone), end: localToInstant(endDay.toISODate()!, to, zone) };
  });
}

/** Every local date in `zone` that an interval touches. */
export function localDates(intervals: Interval[], zone: string): string[] {
  const dates = new Set<string>();
  for (const { start, end } of intervals) {
    const last = end.minus({ milliseconds: 1 }).setZone(zone).toISODate()!;
    for (let d = start.setZone(zone).startOf("day"); d.toISODate()! <= last; d = d.plus({ days: 1 })) dates.add(d.toISODate()!);
  }
  return [...dates].sort();
}

export function isHoliday(team: Team, member: Member, date: string): boolean {
  return publicHolidays(member, Number(date.slice(0, 4)), team.holidays.countBank).some((h) => h.date === date);
}

/**
 * Who may hold a rotation week: those who may serve it, or under `block`, when
 * holidays alone keep everyone from it, those who may serve it but for their
 * holidays (the holiday covers then hand the blocked days on).
 */
export function eligibleForWeek(team: Team, pool: Member[], timeOff: TimeOff[], intervals: Interval[]): Member[] {
  const strict = pool.filter((m) => mayServe(team, m, timeOff, intervals));
  if (strict.length > 0 || team.holidays.policy !== "block") return strict;
  const avoiding = { ...team, holidays: { ...team.holidays, policy: "avoid" as const } };
  return pool.filter((m) => mayServe(avoiding, m, timeOff, intervals));
}

/** Whether a member may hold the on-call intervals: employed, not off, and under `block` not on a holiday. */
export function mayServe(team: Team, member: Member, timeOff: TimeOff[], intervals: Interval[]): boolean {
  return localDates(intervals, member.timeZone).every(
    (date) =>
      (!member.startDate || date >= member.startDate) &&
      (!member.endDate || date <= member.endDate) &&
      !timeOff.some((t) => t.member === member.id && date >= t.start && date <= t.end!) &&
      !(team.holidays.policy === "block" && isHoliday(team, member, date)),
  );
}
