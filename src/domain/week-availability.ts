import { unavailableDates } from "./availability";
import { holidaysBetween } from "./holidays";
import type { Member, Rotation, Team, TimeOff } from "./org-file";
import { rotationZone } from "./org-file";
import type { Range } from "./ranges";
import { intersect } from "./ranges";
import { DAY_MS, MINUTE_MS, localToInstantMs, utcDate, zoneOffsetMinutes } from "./time";
import { windowOccurrences } from "./weeks";

/**
 * When a rotation week is actually on call: the whole week, or for a windowed
 * rotation each daily window that starts inside it (the windows the shift
 * expansion gives to the week's holder).
 */
export function onCallSpans(team: Team, rotation: Rotation, week: Range): Range[] {
  return onCallSpansByWeek(team, rotation, [week])[0]!;
}

/** `onCallSpans` of consecutive weeks, with the windows worked out once for the whole stretch. */
export function onCallSpansByWeek(team: Team, rotation: Rotation, weeks: readonly Range[]): Range[][] {
  if (!rotation.window || weeks.length === 0) return weeks.map((week) => [{ start: week.start, end: week.end }]);
  const spans = weeks.map((): Range[] => []);
  const stretch = { start: weeks[0]!.start, end: weeks.at(-1)!.end };
  let w = 0;
  for (const { start, end } of windowOccurrences(rotation.window, rotationZone(team, rotation), stretch)) {
    while (w < weeks.length && weeks[w]!.end <= start) w++;
    if (w < weeks.length && weeks[w]!.start <= start) spans[w]!.push({ start, end });
  }
  return spans;
}

export function spanMinutes(spans: readonly Range[]): number {
  let ms = 0;
  for (const s of spans) ms += s.end - s.start;
  return ms / MINUTE_MS;
}

/** Why a member cannot be on call over some spans: the first such local date. */
export type Unavailable =
  | { kind: "not-started" | "left" | "time-off"; date: string }
  | { kind: "holiday"; date: string; holiday: string };

type MemberDays = {
  member: Member;
  /** Local day numbers (days since 1970-01-01) of employment, time off and public holidays. */
  firstDay: number;
  lastDay: number;
  timeOff: Set<number>;
  holidays: Map<number, string>;
};

const dayOf = (date: string) => Date.parse(`${date}T00:00:00Z`) / DAY_MS;
const dateOf = (day: number) => utcDate(day * DAY_MS);

/**
 * What a team's members can do over a stretch of time, worked out once and
 * cached: a plan asks about every member for every week, and each question
 * comes down to the member's local dates that the on-call time touches. A
 * date counts as soon as any minute of on-call time falls on it, because a
 * holiday or a day off is a whole day in the member's own zone. Dates are
 * handled as day numbers, so the hot path builds no strings.
 */
export class TeamAvailability {
  private readonly members: Map<string, Member>;
  private readonly days = new Map<string, MemberDays>();
  private readonly daysBySpans = new WeakMap<readonly Range[], Map<string, number[]>>();
  private readonly firstDate: string;
  private readonly lastDate: string;

  constructor(
    private readonly team: Team,
    members: readonly Member[],
    private readonly timeOff: readonly TimeOff[],
    /** Every span asked about lies inside this one. */
    span: Range,
  ) {
    this.members = new Map(members.map((m) => [m.id, m]));
    // A local date is within a day of the UTC date in every zone.
    this.firstDate = utcDate(span.start - DAY_MS);
    this.lastDate = utcDate(span.end + DAY_MS);
  }

  member(id: string): Member | undefined {
    return this.members.get(id);
  }

  name(id: string): string {
    return this.members.get(id)?.name ?? id;
  }

  /**
   * The first reason the member cannot hold these spans, or null. Leaving or
   * not having started outranks time off, which outranks a holiday; holidays
   * are a reason only under the `block` policy.
   */
  unavailable(id: string, spans: readonly Range[]): Unavailable | null {
    const days = this.memberDays(id);
    const blockHolidays = this.team.holidays.policy === "block";
    let timeOff = -1;
    let holiday = -1;
    for (const day of this.localDays(days.member.timeZone, spans)) {
      if (day < days.firstDay) return { kind: "not-started", date: dateOf(day) };
      if (day > days.lastDay) return { kind: "left", date: dateOf(day) };
      if (timeOff < 0 && days.timeOff.has(day)) timeOff = day;
      if (blockHolidays && holiday < 0 && days.holidays.has(day)) holiday = day;
    }
    if (timeOff >= 0) return { kind: "time-off", date: dateOf(timeOff) };
    if (holiday >= 0) return { kind: "holiday", date: dateOf(holiday), holiday: days.holidays.get(holiday)! };
    return null;
  }

  /**
   * Each local date (in the member's zone) that the spans touch, in order, with
   * what stands in the way on it: employment, time off, and the member's public
   * holiday whatever the team's policy (`unavailable` counts a holiday only
   * under `block`). The same day rule as `unavailable`, for answers that name every date.
   */
  dayByDay(id: string, spans: readonly Range[]): { date: string; employed: boolean; timeOff: boolean; holiday: string | null }[] {
    const days = this.memberDays(id);
    return this.localDays(days.member.timeZone, spans).map((day) => ({
      date: dateOf(day),
      employed: day >= days.firstDay && day <= days.lastDay,
      timeOff: days.timeOff.has(day),
      holiday: days.holidays.get(day) ?? null,
    }));
  }

  /** Minutes of the spans that fall on the member's own public holidays, midnight to midnight in their zone. */
  holidayMinutes(id: string, spans: readonly Range[]): number {
    let ms = 0;
    for (const part of this.holidayParts(id, spans)) ms += part.end - part.start;
    return ms / MINUTE_MS;
  }

  /** The parts of the spans that fall on the member's own public holidays (midnight to midnight in their zone), in order, with the holiday's name. */
  holidayParts(id: string, spans: readonly Range[]): (Range & { holiday: string })[] {
    const days = this.memberDays(id);
    const parts: (Range & { holiday: string })[] = [];
    if (days.holidays.size === 0) return parts;
    const zone = days.member.timeZone;
    for (const day of this.localDays(zone, spans)) {
      const holiday = days.holidays.get(day);
      if (holiday === undefined) continue;
      const whole = { start: localToInstantMs(dateOf(day), "00:00", zone), end: localToInstantMs(dateOf(day + 1), "00:00", zone) };
      for (const span of spans) {
        const part = intersect(span, whole);
        if (part) parts.push({ ...part, holiday });
      }
    }
    return parts;
  }

  private memberDays(id: string): MemberDays {
    let days = this.days.get(id);
    if (!days) {
      const member = this.members.get(id);
      if (!member) throw new Error(`member ${id} is not among the members given`);
      const holidays = new Map<number, string>();
      for (const [date, name] of holidaysBetween(member, this.firstDate, this.lastDate, this.team.holidays.countBank)) holidays.set(dayOf(date), name);
      days = {
        member,
        firstDay: member.startDate ? dayOf(member.startDate) : -Infinity,
        lastDay: member.endDate ? dayOf(member.endDate) : Infinity,
        timeOff: new Set([...unavailableDates(member, this.timeOff, this.firstDate, this.lastDate)].map(dayOf)),
        holidays,
      };
      this.days.set(id, days);
    }
    return days;
  }

  /** The local day numbers in `zone` that the spans touch, in order; cached per spans array. */
  private localDays(zone: string, spans: readonly Range[]): number[] {
    let byZone = this.daysBySpans.get(spans);
    if (!byZone) this.daysBySpans.set(spans, (byZone = new Map()));
    let days = byZone.get(zone);
    if (!days) {
      days = [];
      for (const span of spans) {
        const last = localDayNumber(span.end - 1, zone);
        for (let day = Math.max(localDayNumber(span.start, zone), (days.at(-1) ?? -Infinity) + 1); day <= last; day++) days.push(day);
      }
      byZone.set(zone, days);
    }
    return days;
  }
}

function localDayNumber(ms: number, zone: string): number {
  return Math.floor((ms + zoneOffsetMinutes(zone, ms) * MINUTE_MS) / DAY_MS);
}
