import { createRequire } from "node:module";
import type { RRule as RRuleClass } from "rrule";
import type { Member, TimeOff } from "./org-file";
import { addDays } from "./time";

// rrule's ESM build is not what Node loads, and its CommonJS build hides its named exports from Node's ESM loader.
const { RRule } = createRequire(import.meta.url)("rrule") as typeof import("rrule");
type RRule = RRuleClass;

const WHOLE_DAY_FREQUENCIES = new Set([RRule.YEARLY, RRule.MONTHLY, RRule.WEEKLY, RRule.DAILY]);

/**
 * Recurrences are read as floating whole days: DTSTART is the start date at
 * midnight "UTC" and each occurrence's UTC date is the member's local date.
 */
function recurrence(rrule: string, start: string, until?: string): RRule {
  const options = RRule.parseString(rrule);
  const dtstart = new Date(`${start}T00:00:00Z`);
  return new RRule({ ...options, dtstart, ...(until ? { until: new Date(`${until}T00:00:00Z`) } : {}) });
}

/** Why an RRULE cannot describe recurring whole days off, or null if it can. */
export function rruleProblem(rrule: string, start: string): string | null {
  try {
    const rule = recurrence(rrule, start);
    if (!WHOLE_DAY_FREQUENCIES.has(rule.options.freq)) return "FREQ must be DAILY, WEEKLY, MONTHLY or YEARLY";
    rule.all((_, i) => i < 2);
    return null;
  } catch (error) {
    return `not a valid RRULE: ${(error as Error).message}`;
  }
}

/** Every date in [from, to] (inclusive) the time off covers. */
export function timeOffDates(entry: TimeOff, from: string, to: string): string[] {
  if (entry.rrule === undefined) {
    const first = entry.start > from ? entry.start : from;
    const last = entry.end! < to ? entry.end! : to;
    const dates: string[] = [];
    for (let d = first; d <= last; d = addDays(d, 1)) dates.push(d);
    return dates;
  }
  const last = entry.end !== undefined && entry.end < to ? entry.end : to;
  if (last < from) return [];
  const rule = recurrence(entry.rrule, entry.start, entry.end);
  return rule
    .between(new Date(`${from}T00:00:00Z`), new Date(`${last}T00:00:00Z`), true)
    .map((d) => d.toISOString().slice(0, 10));
}

/** A member's unavailable dates in [from, to]: time off, before start, after end. */
export function unavailableDates(member: Member, timeOff: readonly TimeOff[], from: string, to: string): Set<string> {
  const dates = new Set<string>();
  for (const entry of timeOff) {
    if (entry.member !== member.id) continue;
    for (const d of timeOffDates(entry, from, to)) dates.add(d);
  }
  return dates;
}

/** Whether the member is employed (within start and end dates) on a local date. */
export function isEmployedOn(member: Member, date: string): boolean {
  if (member.startDate && date < member.startDate) return false;
  if (member.endDate && date > member.endDate) return false;
  return true;
}
