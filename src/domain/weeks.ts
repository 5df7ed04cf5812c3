import { DateTime } from "luxon";
import type { Rotation, Team } from "./org-file";
import { rotationZone } from "./org-file";
import type { Range } from "./ranges";
import { overlaps } from "./ranges";
import { DAY_MS, addDays, localDate, localDateAt, localToInstant, localToInstantMs, toIsoZ, utcDate, weekdayNumber } from "./time";

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

/** A daily window in local wall times ("HH:mm"); it runs overnight when end is before start. */
export type DailyWindow = { start: string; end: string };

/** One occurrence of a daily window: the local date it starts on, as [start, end) in epoch ms. */
export type WindowOccurrence = Range & { date: string };

/**
 * Every windowed rotation starts a window within any two days: one a day, less
 * one that a skipped hour can swallow. Neighbouring windows are looked for this
 * far, and a longer stretch with nobody on call is not a gap between windows.
 */
export const WINDOW_RECURRENCE_MS = 2 * DAY_MS;

/** The occurrences of a daily window in `zone` that overlap `span`, in order. */
export function windowOccurrences(window: DailyWindow, zone: string, span: Range): WindowOccurrence[] {
  const overnight = window.end < window.start;
  // From the day before: an overnight window that started then may still be running.
  const firstDay = Date.parse(`${localDateAt(span.start, zone)}T00:00Z`) - DAY_MS;
  const lastDay = Date.parse(`${localDateAt(span.end, zone)}T00:00Z`);
  const dates: string[] = [];
  for (let day = firstDay; day <= lastDay + DAY_MS; day += DAY_MS) dates.push(utcDate(day));
  const starts = dates.map((date) => localToInstantMs(date, window.start, zone));
  const occurrences: WindowOccurrence[] = [];
  for (let i = 0; i + 1 < dates.length; i++) {
    // An end inside a skipped hour resolves after the skip (RFC 5545) and could
    // otherwise run past the next day's start; such a window can even vanish.
    const end = Math.min(localToInstantMs(dates[overnight ? i + 1 : i]!, window.end, zone), starts[i + 1]!);
    const occurrence = { date: dates[i]!, start: starts[i]!, end };
    if (occurrence.start < occurrence.end && overlaps(occurrence, span)) occurrences.push(occurrence);
  }
  return occurrences;
}
