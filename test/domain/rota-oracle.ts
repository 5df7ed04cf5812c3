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

/** On-call minutes falling on the member's public holidays (midnight to midnight in their zone). */
export function holidayMinutes(team: Team, member: Member, intervals: Interval[]): number {
  let minutes = 0;
  for (const date of localDates(intervals, member.timeZone)) {
    if (!isHoliday(team, member, date)) continue;
    const day = DateTime.fromISO(date, { zone: member.timeZone });
    for (const { start, end } of intervals) {
      const from = Math.max(start.toMillis(), day.toMillis());
      const to = Math.min(end.toMillis(), day.plus({ days: 1 }).toMillis());
      if (to > from) minutes += (to - from) / 60_000;
    }
  }
  return minutes;
}

export type FlowSlot = { eligible: number[]; cost: number[] };

/**
 * The cheapest way to give every slot with someone eligible to one of them
 * with each member's count within [lower, upper]: null when no such way exists.
 */
export function cheapestBandedAssignment(slots: FlowSlot[], lower: number[], upper: number[]): number | null {
  const n = lower.length;
  const source = 0;
  const sink = 1 + slots.length + n;
  type Edge = { to: number; cap: number; cost: number; rev: number };
  const graph: Edge[][] = Array.from({ length: sink + 1 }, () => []);
  const add = (from: number, to: number, cap: number, cost: number) => {
    graph[from]!.push({ to, cap, cost, rev: graph[to]!.length });
    graph[to]!.push({ to: from, cap: 0, cost: -cost, rev: graph[from]!.length - 1 });
  };
  // A reward per unit of lower bound met makes meeting the bounds come first.
  const reward = 1e9;
  slots.forEach((slot, s) => {
    add(source, 1 + s, 1, 0);
    slot.eligible.forEach((m, i) => add(1 + s, 1 + slots.length + m, 1, slot.cost[i]!));
  });
  for (let m = 0; m < n; m++) {
    add(1 + slots.length + m, sink, lower[m]!, -reward);
    add(1 + slots.length + m, sink, upper[m]! - lower[m]!, 0);
  }
  let flow = 0;
  let cost = 0;
  for (;;) {
    const dist = new Array<number>(sink + 1).fill(Infinity);
    const prev: ([number, number] | null)[] = new Array(sink + 1).fill(null);
    dist[source] = 0;
    for (let round = 0; round <= sink; round++) {
      let changed = false;
      graph.forEach((edges, u) =>
        edges.forEach((e, i) => {
          if (e.cap > 0 && dist[u]! + e.cost < dist[e.to]!) {
            dist[e.to] = dist[u]! + e.cost;
            prev[e.to] = [u, i];
            changed = true;
          }
        }),
      );
      if (!changed) break;
    }
    if (dist[sink] === Infinity) break;
    for (let v = sink; v !== source; ) {
      const [u, i] = prev[v]!;
      const e = graph[u]![i]!;
      e.cap--;
      graph[v]![e.rev]!.cap++;
      v = u;
    }
    flow++;
    cost += dist[sink]!;
  }
  const needed = slots.filter((s) => s.eligible.length > 0).length;
  const lowerTotal = lower.reduce((a, b) => a + b, 0);
  if (flow < needed) return null;
  // cost = (slot costs, below the reward) − reward × (lower-bound units met)
  return Math.ceil(-cost / reward) < lowerTotal ? null : cost + lowerTotal * reward;
}
