import { DateTime } from "luxon";
import type { Rotation, Team } from "./org-file";
import { rotationZone } from "./org-file";
import { addDays, localDate, localToInstant, toIsoZ, weekdayNumber } from "./time";

/** When a rotation's weeks turn over: a weekday and wall time in a zone. */
export type HandoffClock = { zone: string; weekday: number; time: string };

/** One rotation week: from a handoff to the same local weekday and time 7 days later. */
export type Week = { startDate: string; start: string; end: string };

/**
 * A windowed rotation hands over at the start of its window on the handoff
 * weekday, so that the outgoing member finishes a whole day's window.
 */
export function handoffClock(team: Team, rotation: Rotation): HandoffClock {
  return {
    zone: rotationZone(team, rotation),
    weekday: weekdayNumber(team.handoff.weekday),
    time: rotation.window?.start ?? team.handoff.time,
  };
}

/** The local handoff date on or before a local date. */
export function handoffDateOnOrBefore(clock: HandoffClock, date: string): string {
  const weekday = DateTime.fromISO(date, { zone: "utc" }).weekday;
  return addDays(date, -((weekday - clock.weekday + 7) % 7));
}

export function weekStartingOn(clock: HandoffClock, startDate: string): Week {
  return {
    startDate,
    start: toIsoZ(localToInstant(startDate, clock.time, clock.zone)),
    end: toIsoZ(localToInstant(addDays(startDate, 7), clock.time, clock.zone)),
  };
}

/** The week in force at an instant. */
export function weekContaining(clock: HandoffClock, at: DateTime): Week {
  const week = weekStartingOn(clock, handoffDateOnOrBefore(clock, localDate(at, clock.zone)));
  return toIsoZ(at) < week.start ? weekStartingOn(clock, addDays(week.startDate, -7)) : week;
}

/** `count` consecutive weeks, the first being the one whose handoff date is on or before `fromDate`. */
export function weeksFrom(clock: HandoffClock, fromDate: string, count: number): Week[] {
  const first = handoffDateOnOrBefore(clock, fromDate);
  return Array.from({ length: count }, (_, i) => weekStartingOn(clock, addDays(first, 7 * i)));
}
