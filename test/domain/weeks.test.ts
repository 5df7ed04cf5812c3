import { describe, expect, it } from "vitest";
import { parseInstant, weekdayNumber, type Weekday } from "../../src/domain/time";
import { weekContaining, weekStartingOn, weeksFrom, type HandoffClock } from "../../src/domain/weeks";

const clock = (zone: string, weekday: Weekday, time: string): HandoffClock => ({ zone, weekday: weekdayNumber(weekday), time });
const hours = (start: string, end: string) => (Date.parse(end) - Date.parse(start)) / 3_600_000;

// Expected instants worked out by hand from the 2026 tzdata rules; the comment
// on each row says which offsets apply.
const handoffs: { case: string; zone: string; weekday: Weekday; time: string; startDate: string; start: string; end: string; hours: number }[] = [
  // America/New_York: EST −5, EDT −4; 2026-03-08 02:00 → 03:00, 2026-11-01 02:00 → 01:00.
  { case: "ordinary week", zone: "America/New_York", weekday: "tuesday", time: "10:00", startDate: "2026-06-02", start: "2026-06-02T14:00:00Z", end: "2026-06-09T14:00:00Z", hours: 168 },
  { case: "across spring forward", zone: "America/New_York", weekday: "tuesday", time: "10:00", startDate: "2026-03-03", start: "2026-03-03T15:00:00Z", end: "2026-03-10T14:00:00Z", hours: 167 },
  { case: "across fall back", zone: "America/New_York", weekday: "tuesday", time: "10:00", startDate: "2026-10-27", start: "2026-10-27T14:00:00Z", end: "2026-11-03T15:00:00Z", hours: 169 },
  { case: "ends in the gap: offset before it", zone: "America/New_York", weekday: "sunday", time: "02:30", startDate: "2026-03-01", start: "2026-03-01T07:30:00Z", end: "2026-03-08T07:30:00Z", hours: 168 },
  { case: "starts in the gap", zone: "America/New_York", weekday: "sunday", time: "02:30", startDate: "2026-03-08", start: "2026-03-08T07:30:00Z", end: "2026-03-15T06:30:00Z", hours: 167 },
  { case: "starts in the repeated hour: first occurrence", zone: "America/New_York", weekday: "sunday", time: "01:30", startDate: "2026-11-01", start: "2026-11-01T05:30:00Z", end: "2026-11-08T06:30:00Z", hours: 169 },
  { case: "ends in the repeated hour: first occurrence", zone: "America/New_York", weekday: "sunday", time: "01:30", startDate: "2026-10-25", start: "2026-10-25T05:30:00Z", end: "2026-11-01T05:30:00Z", hours: 168 },
  // Europe/London: GMT +0, BST +1; 2026-03-29 01:00 → 02:00, 2026-10-25 02:00 → 01:00.
  { case: "across spring forward", zone: "Europe/London", weekday: "tuesday", time: "10:00", startDate: "2026-03-24", start: "2026-03-24T10:00:00Z", end: "2026-03-31T09:00:00Z", hours: 167 },
  { case: "across fall back", zone: "Europe/London", weekday: "tuesday", time: "10:00", startDate: "2026-10-20", start: "2026-10-20T09:00:00Z", end: "2026-10-27T10:00:00Z", hours: 169 },
  { case: "starts in the gap", zone: "Europe/London", weekday: "sunday", time: "01:30", startDate: "2026-03-29", start: "2026-03-29T01:30:00Z", end: "2026-04-05T00:30:00Z", hours: 167 },
  { case: "starts in the repeated hour", zone: "Europe/London", weekday: "sunday", time: "01:30", startDate: "2026-10-25", start: "2026-10-25T00:30:00Z", end: "2026-11-01T01:30:00Z", hours: 169 },
  // Australia/Sydney: AEST +10, AEDT +11; 2026-04-05 03:00 → 02:00, 2026-10-04 02:00 → 03:00.
  { case: "across the end of summer time", zone: "Australia/Sydney", weekday: "tuesday", time: "10:00", startDate: "2026-03-31", start: "2026-03-30T23:00:00Z", end: "2026-04-07T00:00:00Z", hours: 169 },
  { case: "across the start of summer time", zone: "Australia/Sydney", weekday: "tuesday", time: "10:00", startDate: "2026-09-29", start: "2026-09-29T00:00:00Z", end: "2026-10-05T23:00:00Z", hours: 167 },
  { case: "starts in the gap", zone: "Australia/Sydney", weekday: "sunday", time: "02:30", startDate: "2026-10-04", start: "2026-10-03T16:30:00Z", end: "2026-10-10T15:30:00Z", hours: 167 },
  { case: "starts in the repeated hour", zone: "Australia/Sydney", weekday: "sunday", time: "02:30", startDate: "2026-04-05", start: "2026-04-04T15:30:00Z", end: "2026-04-11T16:30:00Z", hours: 169 },
  { case: "across the year end", zone: "Australia/Sydney", weekday: "tuesday", time: "10:00", startDate: "2026-12-29", start: "2026-12-28T23:00:00Z", end: "2027-01-04T23:00:00Z", hours: 168 },
  // Australia/Lord_Howe: +10:30, +11 in summer; half-hour shifts: 2026-04-05 02:00 → 01:30, 2026-10-04 02:00 → 02:30.
  { case: "across the end of summer time", zone: "Australia/Lord_Howe", weekday: "tuesday", time: "10:00", startDate: "2026-03-31", start: "2026-03-30T23:00:00Z", end: "2026-04-06T23:30:00Z", hours: 168.5 },
  { case: "across the start of summer time", zone: "Australia/Lord_Howe", weekday: "tuesday", time: "10:00", startDate: "2026-09-29", start: "2026-09-28T23:30:00Z", end: "2026-10-05T23:00:00Z", hours: 167.5 },
  { case: "starts in the half-hour gap", zone: "Australia/Lord_Howe", weekday: "sunday", time: "02:15", startDate: "2026-10-04", start: "2026-10-03T15:45:00Z", end: "2026-10-10T15:15:00Z", hours: 167.5 },
  { case: "starts in the repeated half hour", zone: "Australia/Lord_Howe", weekday: "sunday", time: "01:45", startDate: "2026-04-05", start: "2026-04-04T14:45:00Z", end: "2026-04-11T15:15:00Z", hours: 168.5 },
  // America/Santiago: −4, −3 in summer; changes at local midnight: 2026-04-05 00:00 → 04-04 23:00, 2026-09-06 00:00 → 01:00.
  { case: "across the end of summer time", zone: "America/Santiago", weekday: "tuesday", time: "10:00", startDate: "2026-03-31", start: "2026-03-31T13:00:00Z", end: "2026-04-07T14:00:00Z", hours: 169 },
  { case: "across the start of summer time", zone: "America/Santiago", weekday: "tuesday", time: "10:00", startDate: "2026-09-01", start: "2026-09-01T14:00:00Z", end: "2026-09-08T13:00:00Z", hours: 167 },
  { case: "starts in the midnight gap", zone: "America/Santiago", weekday: "sunday", time: "00:30", startDate: "2026-09-06", start: "2026-09-06T04:30:00Z", end: "2026-09-13T03:30:00Z", hours: 167 },
  { case: "starts in the repeated hour before midnight", zone: "America/Santiago", weekday: "saturday", time: "23:30", startDate: "2026-04-04", start: "2026-04-05T02:30:00Z", end: "2026-04-12T03:30:00Z", hours: 169 },
  // Asia/Kolkata: +05:30 all year.
  { case: "no DST in March", zone: "Asia/Kolkata", weekday: "tuesday", time: "10:00", startDate: "2026-03-03", start: "2026-03-03T04:30:00Z", end: "2026-03-10T04:30:00Z", hours: 168 },
  { case: "no DST in October", zone: "Asia/Kolkata", weekday: "tuesday", time: "10:00", startDate: "2026-10-27", start: "2026-10-27T04:30:00Z", end: "2026-11-03T04:30:00Z", hours: 168 },
  { case: "across the year end", zone: "Asia/Kolkata", weekday: "tuesday", time: "10:00", startDate: "2026-12-29", start: "2026-12-29T04:30:00Z", end: "2027-01-05T04:30:00Z", hours: 168 },
];

describe("rotation weeks across DST", () => {
  it.each(handoffs)("$zone $weekday $time from $startDate: $case ($hours h)", (row) => {
    const week = weekStartingOn(clock(row.zone, row.weekday, row.time), row.startDate);
    expect(week).toEqual({ startDate: row.startDate, start: row.start, end: row.end });
    expect(hours(week.start, week.end)).toBe(row.hours);
  });

  it("chains weeks without gaps or overlaps, across a year end", () => {
    const weeks = weeksFrom(clock("Australia/Sydney", "tuesday", "10:00"), "2026-12-31", 3);
    expect(weeks.map((w) => w.startDate)).toEqual(["2026-12-29", "2027-01-05", "2027-01-12"]);
    for (let i = 1; i < weeks.length; i++) expect(weeks[i]!.start).toBe(weeks[i - 1]!.end);
  });

  it("starts the plan at the week whose handoff date is on or before the from date", () => {
    const tuesday = clock("Europe/London", "tuesday", "10:00");
    expect(weeksFrom(tuesday, "2026-03-02", 1)[0]!.startDate).toBe("2026-02-24");
    expect(weeksFrom(tuesday, "2026-03-03", 1)[0]!.startDate).toBe("2026-03-03");
  });

  it.each([
    { at: "2026-03-10T13:59:59Z", startDate: "2026-03-03" },
    { at: "2026-03-10T14:00:00Z", startDate: "2026-03-10" },
    { at: "2026-11-03T14:30:00Z", startDate: "2026-10-27" },
    { at: "2026-11-03T15:00:00Z", startDate: "2026-11-03" },
  ])("the New York week in force at $at started $startDate", ({ at, startDate }) => {
    expect(weekContaining(clock("America/New_York", "tuesday", "10:00"), parseInstant(at)).startDate).toBe(startDate);
  });

  it("reads a handoff in the repeated hour as its first occurrence, so the week before is not stretched", () => {
    const london = clock("Europe/London", "sunday", "01:30");
    expect(weekContaining(london, parseInstant("2026-10-25T00:29:00Z")).startDate).toBe("2026-10-18");
    expect(weekContaining(london, parseInstant("2026-10-25T00:30:00Z")).startDate).toBe("2026-10-25");
  });
});
