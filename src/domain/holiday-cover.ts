import { isEmployedOn, unavailableDates } from "./availability";
import { holidaysBetween } from "./holidays";
import type { Member, Team, TimeOff } from "./org-file";
import type { Range } from "./ranges";
import type { ShiftRange } from "./shifts";
import { teamShifts } from "./shifts";
import { DAY_MS, HOUR_MS, MINUTE_MS, instantMs, isoFromMs, localDateAt } from "./time";
import type { Assignment, Override } from "./types";
import { WINDOW_RECURRENCE_MS } from "./weeks";

export type HolidayCoverInput = {
  team: Team;
  members: readonly Member[];
  timeOff: readonly TimeOff[];
  assignments: readonly Assignment[];
  /** Shifts starting in [from, to) are handed over. */
  from: string;
  to: string;
  /** Holiday-cover hours each member has already done, so that covers keep spreading across calls. */
  ledgerHint?: Readonly<Record<string, number>>;
};

/**
 * Who is off on which day. A member's day is their local date where the
 * shift starts: a public holiday is a whole day in the member's own zone.
 */
function availability(input: HolidayCoverInput, span: Range) {
  const { team } = input;
  const members = new Map(input.members.map((m) => [m.id, m]));
  // Any zone's local date lies within a day of the UTC date.
  const firstDate = isoFromMs(span.start - DAY_MS).slice(0, 10);
  const lastDate = isoFromMs(span.end + DAY_MS).slice(0, 10);
  const timeOff = new Map<string, Set<string>>();
  const daysOff = (member: Member) => {
    let dates = timeOff.get(member.id);
    if (!dates) timeOff.set(member.id, (dates = unavailableDates(member, input.timeOff, firstDate, lastDate)));
    return dates;
  };
  const holiday = (member: Member, date: string) =>
    holidaysBetween(member, date, date, team.holidays.countBank).has(date);
  return {
    onHoliday(id: string, at: number): boolean {
      const member = members.get(id);
      return member !== undefined && holiday(member, localDateAt(at, member.timeZone));
    },
    working(id: string, at: number): boolean {
      const member = members.get(id);
      if (!member) return false;
      const date = localDateAt(at, member.timeZone);
      return isEmployedOn(member, date) && !daysOff(member).has(date) && !holiday(member, date);
    },
  };
}

/**
 * Overrides that hand a windowed region's day to someone else when the member
 * holding its week has a public holiday that day. The day's shift is its
 * window with any gap it holds. Another member of the same region who is
 * working takes it whole (fewest holiday-cover hours so far, then rotation
 * order). When nobody in the region can and the team's `holidays.cover` is
 * "other-rotations", it is split at its middle minute: the first half to the
 * holder of the shift that started before it in another region, the second
 * half to the holder of the one that starts after it, either taking it all
 * when the other is not working. With "same-rotation" the holder keeps such a
 * day. Policy "ignore" hands nothing over.
 */
export function holidayCovers(input: HolidayCoverInput): Override[] {
  const { team } = input;
  if (team.holidays.policy === "ignore") return [];
  const range = { start: instantMs(input.from), end: instantMs(input.to) };
  const span = { start: range.start - WINDOW_RECURRENCE_MS, end: range.end + WINDOW_RECURRENCE_MS };
  const people = availability(input, span);
  // Held gaps included, so that whoever is on holiday is not left holding one.
  const regionShifts = teamShifts(team, input.assignments, [], span)
    .filter((shift) => team.rotations[shift.rotation]!.window)
    .sort((a, b) => a.start - b.start || a.rotation - b.rotation);
  const hours = new Map(Object.entries(input.ledgerHint ?? {}));
  const covers: Override[] = [];
  const hand = (shift: ShiftRange, part: Range, member: string) => {
    hours.set(member, (hours.get(member) ?? 0) + (part.end - part.start) / HOUR_MS);
    covers.push({
      team: team.id,
      rotation: team.rotations[shift.rotation]!.id,
      start: isoFromMs(part.start),
      end: isoFromMs(part.end),
      member,
      replacedMember: shift.member,
      source: "holiday-cover",
    });
  };
  const workingHolder = (shift: ShiftRange | undefined, at: number) =>
    shift?.member != null && people.working(shift.member, at) ? shift.member : null;

  for (const shift of regionShifts) {
    const holder = shift.member;
    if (holder === null || shift.start < range.start || shift.start >= range.end || !people.onHoliday(holder, shift.start)) continue;
    const pool = team.rotations[shift.rotation]!.members;
    const colleague = pool
      .filter((m) => m !== holder && people.working(m, shift.start))
      .sort((a, b) => (hours.get(a) ?? 0) - (hours.get(b) ?? 0) || pool.indexOf(a) - pool.indexOf(b))[0];
    if (colleague) {
      hand(shift, shift, colleague);
      continue;
    }
    if (team.holidays.cover !== "other-rotations") continue;
    const others = regionShifts.filter((w) => w.rotation !== shift.rotation);
    const before = workingHolder(others.findLast((w) => w.start <= shift.start), shift.start);
    const after = workingHolder(others.find((w) => w.start > shift.start), shift.start);
    const early = before ?? after;
    if (!early) continue;
    const late = after ?? early;
    if (early === late) {
      hand(shift, shift, early);
      continue;
    }
    const middle = shift.start + Math.floor((shift.end - shift.start) / 2 / MINUTE_MS) * MINUTE_MS;
    hand(shift, { start: shift.start, end: middle }, early);
    hand(shift, { start: middle, end: shift.end }, late);
  }
  return covers;
}
