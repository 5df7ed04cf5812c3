/**
 * The rules of a fair rota, checked on the final shifts as `GET /teams/:team/shifts`
 * returns them (after overrides, swaps, holiday covers and gap closing), with the
 * org file saying who could have served instead. Written for tests, apart from the
 * planner on purpose: it answers "could someone else have served?" from the org
 * file alone (luxon for local dates, date-holidays for `block` holidays, rrule for
 * recurring time off), so that a planner bug cannot hide in a shared helper.
 *
 * Every checker is pure and returns violations, each naming the member, the team
 * and rotation, the start, and the colleague who could have served, for debugging.
 */
import { createRequire } from "node:module";
import Holidays, { type HolidaysTypes } from "date-holidays";
import { DateTime } from "luxon";
import { teamSchema, type OrgFileInput } from "../../src/domain/org-file";
import { heldWeeks } from "../../src/domain/week-holders";

// rrule's CommonJS build hides its named exports from Node's ESM loader.
const { RRule } = createRequire(import.meta.url)("rrule") as typeof import("rrule");

export type FinalShift = { team: string; rotation: string; member: string | null; start: string; end: string; source: string };

export type Violation = {
  rule:
    | "back-to-back"
    | "three-in-a-row"
    | "over-16h"
    | "time-off"
    | "not-employed"
    | "block-holiday"
    | "not-in-org"
    | "not-in-team"
    | "two-places"
    | "uncovered"
    | "fairness-weeks"
    | "fair-share-spread";
  team: string;
  rotation: string;
  member: string | null;
  start: string;
  end: string;
  detail: string;
};

type OrgTeam = OrgFileInput["teams"][number];
type OrgRotation = OrgTeam["rotations"][number];
type Interval = { start: number; end: number };

const HOUR_MS = 3_600_000;
const WEEKDAY_NUMBER: Record<string, number> = { monday: 1, tuesday: 2, wednesday: 3, thursday: 4, friday: 5, saturday: 6, sunday: 7 };

const ms = (iso: string) => DateTime.fromISO(iso, { zone: "utc" }).toMillis();
const iso = (t: number) => DateTime.fromMillis(t, { zone: "utc" }).toISO({ suppressMilliseconds: true })!;
const hours = (i: Interval) => (i.end - i.start) / HOUR_MS;
const overlaps = (a: Interval, b: Interval) => a.start < b.end && b.start < a.end;
const intervalOf = (s: FinalShift): Interval => ({ start: ms(s.start), end: ms(s.end) });

/** The local calendar dates in `zone` that [start, end) touches. */
function localDates(zone: string, span: Interval): string[] {
  const dates: string[] = [];
  let day = DateTime.fromMillis(span.start, { zone }).startOf("day");
  while (day.toMillis() < span.end) {
    dates.push(day.toISODate()!);
    day = day.plus({ days: 1 }).startOf("day");
  }
  return dates;
}

/** The instants of a local date in `zone`, cut to `span`. */
function dayInside(zone: string, date: string, span: Interval): Interval | null {
  const day = DateTime.fromISO(date, { zone }).startOf("day");
  const start = Math.max(day.toMillis(), span.start);
  const end = Math.min(day.plus({ days: 1 }).startOf("day").toMillis(), span.end);
  return start < end ? { start, end } : null;
}

function mergeIntervals(intervals: Interval[]): Interval[] {
  const sorted = [...intervals].sort((a, b) => a.start - b.start);
  const merged: Interval[] = [];
  for (const i of sorted) {
    const last = merged.at(-1);
    if (last && i.start <= last.end) last.end = Math.max(last.end, i.end);
    else merged.push({ ...i });
  }
  return merged;
}

/** Who could serve when, as the org file says; shifts say who is already busy. */
export class Rota {
  readonly shifts: readonly FinalShift[];
  private readonly members = new Map<string, OrgFileInput["members"][number]>();
  private readonly timeOff = new Map<string, Set<string>>();
  private readonly holidays = new Map<string, Set<string>>();
  private readonly byMember = new Map<string, { shift: FinalShift; span: Interval }[]>();

  /** Only time from here on is judged: what was in force before is history, not the planner's to change. */
  readonly from: number;

  constructor(
    readonly org: OrgFileInput,
    shifts: readonly FinalShift[],
    options: { from?: string } = {},
  ) {
    this.shifts = shifts;
    this.from = options.from ? ms(options.from) : -Infinity;
    for (const m of org.members) this.members.set(m.id, m);
    for (const s of shifts) {
      if (!s.member) continue;
      const list = this.byMember.get(s.member) ?? [];
      list.push({ shift: s, span: intervalOf(s) });
      this.byMember.set(s.member, list);
    }
  }

  team(id: string): OrgTeam {
    const team = this.org.teams.find((t) => t.id === id);
    if (!team) throw new Error(`no team ${id} in the org file`);
    return team;
  }

  zoneOf(memberId: string): string | null {
    return this.members.get(memberId)?.timeZone ?? null;
  }

  shiftsOf(memberId: string) {
    return this.byMember.get(memberId) ?? [];
  }

  /** Dates of the member's time off, in their own zone (ranges inclusive, RRULEs as floating whole days). */
  timeOffDates(memberId: string): Set<string> {
    const cached = this.timeOff.get(memberId);
    if (cached) return cached;
    const dates = new Set<string>();
    for (const entry of this.org.timeOff ?? []) {
      if (entry.member !== memberId) continue;
      if (entry.rrule === undefined) {
        for (let d = DateTime.fromISO(entry.start, { zone: "utc" }); d.toISODate()! <= entry.end!; d = d.plus({ days: 1 })) dates.add(d.toISODate()!);
        continue;
      }
      const options = RRule.parseString(entry.rrule);
      const dtstart = new Date(`${entry.start}T00:00:00Z`);
      const until = entry.end ? new Date(`${entry.end}T00:00:00Z`) : new Date(Date.UTC(dtstart.getUTCFullYear() + 4, 0, 1));
      for (const d of new RRule({ ...options, dtstart, until }).all()) dates.add(d.toISOString().slice(0, 10));
    }
    this.timeOff.set(memberId, dates);
    return dates;
  }

  /** The member's public holidays (and bank holidays if the team counts them). */
  holidayDates(memberId: string, countBank: boolean): Set<string> {
    const key = `${memberId}:${countBank}`;
    const cached = this.holidays.get(key);
    if (cached) return cached;
    const m = this.members.get(memberId)!;
    const types = (countBank ? ["public", "bank"] : ["public"]) as HolidaysTypes.HolidayType[];
    const source = m.subdivision ? new Holidays(m.country, m.subdivision, { types }) : new Holidays(m.country, { types });
    const dates = new Set<string>();
    for (let year = 2025; year <= 2030; year++) {
      for (const h of source.getHolidays(year) ?? []) if (types.includes(h.type)) dates.add(h.date.slice(0, 10));
    }
    this.holidays.set(key, dates);
    return dates;
  }

  /** Why the member cannot serve on a local date for this team, or null. */
  dayProblem(memberId: string, date: string, team: OrgTeam): Violation["rule"] | null {
    const m = this.members.get(memberId);
    if (!m) return "not-in-org";
    if ((m.startDate && date < m.startDate) || (m.endDate && date > m.endDate)) return "not-employed";
    if (this.timeOffDates(memberId).has(date)) return "time-off";
    if (team.holidays?.policy === "block" && this.holidayDates(memberId, team.holidays.countBank ?? false).has(date)) return "block-holiday";
    return null;
  }

  /** Whether the member may serve all of `span` for the team by the hard rules, ignoring what else they hold. */
  freeOfHardRules(memberId: string, span: Interval, team: OrgTeam): boolean {
    const zone = this.zoneOf(memberId);
    if (!zone) return false;
    return localDates(zone, span).every((d) => this.dayProblem(memberId, d, team) === null);
  }

  /** Whether the member holds any shift (other than those `except` accepts) overlapping `span`. */
  busy(memberId: string, span: Interval, except: (s: FinalShift) => boolean = () => false): FinalShift | null {
    return this.shiftsOf(memberId).find((x) => overlaps(x.span, span) && !except(x.shift))?.shift ?? null;
  }

  /** Could the member take `span` for the team: hard rules, and not on call anywhere then. */
  couldServe(memberId: string, span: Interval, team: OrgTeam, except?: (s: FinalShift) => boolean): boolean {
    return this.freeOfHardRules(memberId, span, team) && this.busy(memberId, span, except) === null;
  }

  /** Members who may hold a rotation's time: its own pool, or the whole team's when covers may cross rotations. */
  pool(team: OrgTeam, rotationId: string): string[] {
    const rotation = team.rotations.find((r) => r.id === rotationId);
    if (team.holidays?.cover === "other-rotations" || !rotation) return [...new Set(team.rotations.flatMap((r) => r.members))];
    return rotation.members;
  }
}

// ---------- weeks ----------

type RotationWeek = Interval & { team: string; rotation: string; holder: string | null; heldMs: Map<string, number> };

function rotationZone(team: OrgTeam, rotation: OrgRotation): string {
  return rotation.timeZone ?? team.timeZone;
}

/** The rotation week containing `at`: from the last handoff weekday and time (the window's start, for a windowed rotation) at or before it, in the rotation's zone. */
export function weekStartContaining(team: OrgTeam, rotation: OrgRotation, at: number): Interval {
  const zone = rotationZone(team, rotation);
  const weekday = WEEKDAY_NUMBER[team.handoff?.weekday ?? "tuesday"]!;
  // A windowed rotation hands over at the start of its window (README, Scheduling), not at the team's handoff time.
  const [hour, minute] = (rotation.window?.start ?? team.handoff?.time ?? "10:00").split(":").map(Number) as [number, number];
  const local = DateTime.fromMillis(at, { zone });
  let date = local.startOf("day").minus({ days: (local.weekday - weekday + 7) % 7 });
  const handoffOn = (d: DateTime) => DateTime.fromObject({ year: d.year, month: d.month, day: d.day, hour, minute }, { zone });
  if (handoffOn(date).toMillis() > at) date = date.minus({ days: 7 });
  return { start: handoffOn(date).toMillis(), end: handoffOn(date.plus({ days: 7 })).toMillis() };
}

/**
 * Each rotation week the shifts touch, with the member holding most of it (the week's holder after swaps and
 * covers). The majority rule is the one the fairness report counts weeks by (`heldWeeks`), not a twin of it.
 */
export function rotationWeeks(rota: Rota, teamId: string): RotationWeek[] {
  const team = teamSchema.parse(rota.team(teamId));
  return heldWeeks(team, rota.shifts.filter((s) => s.team === teamId)).map((w) => ({ ...w, team: teamId }));
}

/** A colleague in the rotation's pool who could hold the whole week instead of `holder`, not making a back-to-back of their own. */
function restedAlternative(rota: Rota, team: OrgTeam, week: RotationWeek, holder: string, neighbours: (string | null)[]): string | null {
  const rotation = team.rotations.find((r) => r.id === week.rotation)!;
  const ownRotation = (s: FinalShift) => s.team === team.id && s.rotation === week.rotation;
  return (
    rotation.members.find(
      (c) => c !== holder && !neighbours.includes(c) && rota.couldServe(c, week, team, ownRotation),
    ) ?? null
  );
}

function weekViolation(rule: Violation["rule"], week: RotationWeek, member: string | null, detail: string): Violation {
  return { rule, team: week.team, rotation: week.rotation, member, start: iso(week.start), end: iso(week.end), detail };
}

/** (a) and (b): consecutive weeks of one rotation held by one member while a rested colleague was free for the second; any three in a row. */
export function checkRest(rota: Rota, teamId: string): Violation[] {
  const team = rota.team(teamId);
  const violations: Violation[] = [];
  const weeks = rotationWeeks(rota, teamId);
  for (let i = 1; i < weeks.length; i++) {
    const [before, week] = [weeks[i - 1]!, weeks[i]!];
    if (before.rotation !== week.rotation || before.end !== week.start || !week.holder || week.holder !== before.holder) continue;
    if (week.start < rota.from) continue;
    const after = weeks[i + 1];
    const next = after && after.rotation === week.rotation && after.start === week.end ? after.holder : null;
    const alternative = restedAlternative(rota, team, week, week.holder, [next]);
    if (alternative) {
      violations.push(weekViolation("back-to-back", week, week.holder, `${week.holder} also holds the week before (from ${iso(before.start)}); ${alternative} was free`));
    }
    if (next === week.holder) {
      const anyone = restedAlternative(rota, team, week, week.holder, []);
      if (anyone) violations.push(weekViolation("three-in-a-row", before, week.holder, `${week.holder} holds ${iso(before.start)}, ${iso(week.start)} and ${iso(after!.start)}; ${anyone} was free for the middle one`));
    }
  }
  return violations;
}

/** (c): blocks of windowed (follow-the-sun) shifts one member holds unbroken, across all teams, longer than `maxHours`, when a teammate could take part. */
export function checkUnbroken(rota: Rota, teamId: string, maxHours = 16): Violation[] {
  const team = rota.team(teamId);
  const windowed = (s: FinalShift) => {
    const t = rota.org.teams.find((x) => x.id === s.team);
    return t?.rotations.find((r) => r.id === s.rotation)?.window !== undefined;
  };
  const blocksOf = (memberId: string) => {
    const mine = rota.shiftsOf(memberId).filter((x) => windowed(x.shift)).sort((a, b) => a.span.start - b.span.start);
    const blocks: { span: Interval; parts: FinalShift[] }[] = [];
    for (const x of mine) {
      const last = blocks.at(-1);
      if (last && x.span.start <= last.span.end) {
        last.span.end = Math.max(last.span.end, x.span.end);
        last.parts.push(x.shift);
      } else blocks.push({ span: { ...x.span }, parts: [x.shift] });
    }
    return blocks;
  };
  const teammates = [...new Set(team.rotations.flatMap((r) => r.members))];
  const violations: Violation[] = [];
  const members = [...new Set(rota.shifts.filter((s) => s.team === teamId && s.member).map((s) => s.member!))];
  for (const member of members) {
    const otherBlocks = new Map<string, { span: Interval }[]>();
    for (const block of blocksOf(member)) {
      if (hours(block.span) <= maxHours || block.span.end <= rota.from || !block.parts.some((p) => p.team === teamId)) continue;
      let found: { part: FinalShift; by: string } | null = null;
      for (const part of block.parts.filter((p) => p.team === teamId)) {
        const span = intervalOf(part);
        const by = teammates.find((c) => {
          if (c === member || !rota.couldServe(c, span, team)) return false;
          if (!otherBlocks.has(c)) otherBlocks.set(c, blocksOf(c));
          const touching = otherBlocks.get(c)!.filter((b) => b.span.end === span.start || b.span.start === span.end);
          return hours(span) + touching.reduce((sum, b) => sum + hours(b.span), 0) <= maxHours;
        });
        if (by) {
          found = { part, by };
          break;
        }
      }
      if (found) {
        violations.push({
          rule: "over-16h",
          team: teamId,
          rotation: found.part.rotation,
          member,
          start: iso(block.span.start),
          end: iso(block.span.end),
          detail: `${member} is on call ${hours(block.span)} h unbroken (${block.parts.map((p) => `${p.team}/${p.rotation} ${p.source} ${p.start}`).join(", ")}); ${found.by} could take ${found.part.rotation} from ${found.part.start}`,
        });
      }
    }
  }
  return violations;
}

/** (d): time off, employment dates, `block` holidays, membership and two places at once, each while a colleague could serve that time. */
export function checkHardRules(rota: Rota, teamId: string): Violation[] {
  const team = rota.team(teamId);
  const teamMembers = new Set(team.rotations.flatMap((r) => r.members));
  const violations: Violation[] = [];
  const push = (rule: Violation["rule"], shift: FinalShift, part: Interval, detail: string) =>
    violations.push({ rule, team: teamId, rotation: shift.rotation, member: shift.member, start: iso(part.start), end: iso(part.end), detail });
  const substitute = (shift: FinalShift, part: Interval) =>
    rota.pool(team, shift.rotation).find((c) => c !== shift.member && rota.couldServe(c, part, team)) ?? null;

  for (const shift of rota.shifts) {
    if (shift.team !== teamId || !shift.member) continue;
    const whole = intervalOf(shift);
    if (whole.end <= rota.from) continue;
    const span = { start: Math.max(whole.start, rota.from), end: whole.end };
    const zone = rota.zoneOf(shift.member);
    if (!zone || !teamMembers.has(shift.member)) {
      const by = substitute(shift, span);
      if (by) push(zone ? "not-in-team" : "not-in-org", shift, span, `${shift.member} (${shift.source}) is no longer ${zone ? "in the team" : "in the org"}; ${by} could serve`);
      continue;
    }
    const bad = new Map<Violation["rule"], Interval[]>();
    for (const date of localDates(zone, span)) {
      const problem = rota.dayProblem(shift.member, date, team);
      const part = problem && dayInside(zone, date, span);
      if (problem && part) bad.set(problem, [...(bad.get(problem) ?? []), part]);
    }
    for (const [rule, parts] of bad) {
      for (const part of mergeIntervals(parts)) {
        const by = substitute(shift, part);
        if (by) push(rule, shift, part, `${shift.member} holds ${shift.rotation} (${shift.source}, ${shift.start}–${shift.end}) on a ${rule} day in ${zone}; ${by} could serve`);
      }
    }
    for (const other of rota.shiftsOf(shift.member)) {
      if (other.shift === shift || !overlaps(other.span, span)) continue;
      // Report each pair once, from the shift that sorts first.
      const key = (s: FinalShift) => `${s.team}/${s.rotation}/${s.start}/${s.source}`;
      if (other.shift.team === teamId && key(other.shift) < key(shift)) continue;
      const part = { start: Math.max(span.start, other.span.start), end: Math.min(span.end, other.span.end) };
      const by = substitute(shift, part);
      if (by) push("two-places", shift, part, `${shift.member} holds ${teamId}/${shift.rotation} (${shift.source}) and ${other.shift.team}/${other.shift.rotation} (${other.shift.source}) at once; ${by} could serve`);
    }
  }
  return violations;
}

/**
 * (e): every instant between the first and last planned shift of the team held
 * by somebody, where anybody in the team could hold it (a `block` holiday of
 * the whole team may leave a day empty; that is reported, not a fault).
 */
export function checkCovered(rota: Rota, teamId: string, horizon?: { from: string; to: string }): Violation[] {
  const team = rota.team(teamId);
  const mine = rota.shifts.filter((s) => s.team === teamId);
  if (mine.length === 0) return [];
  const perRotation = team.rotations.map((r) => mine.filter((s) => s.rotation === r.id).map(intervalOf)).filter((l) => l.length > 0);
  const from = Math.max(rota.from, horizon ? ms(horizon.from) : Math.max(...perRotation.map((l) => Math.min(...l.map((i) => i.start)))));
  const to = horizon ? ms(horizon.to) : Math.min(...perRotation.map((l) => Math.max(...l.map((i) => i.end))));
  const held = mergeIntervals(mine.filter((s) => s.member).map(intervalOf));
  const holes: Interval[] = [];
  let cursor = from;
  for (const i of held) {
    if (i.end <= cursor) continue;
    if (i.start >= to) break;
    if (i.start > cursor) holes.push({ start: cursor, end: i.start });
    cursor = Math.max(cursor, i.end);
  }
  if (cursor < to) holes.push({ start: cursor, end: to });
  const teammates = [...new Set(team.rotations.flatMap((r) => r.members))];
  const violations: Violation[] = [];
  for (const hole of holes) {
    const could = teammates
      .map((c) => {
        const zone = rota.zoneOf(c);
        const days = zone ? localDates(zone, hole).map((d) => dayInside(zone, d, hole)!) : [];
        const part = days.find((p) => rota.couldServe(c, p, team));
        return part ? { c, part } : null;
      })
      .find((x) => x !== null);
    if (could) {
      violations.push({
        rule: "uncovered",
        team: teamId,
        rotation: "*",
        member: null,
        start: iso(hole.start),
        end: iso(hole.end),
        detail: `nobody holds ${(hole.end - hole.start) / 60000} minutes; ${could.c} could serve from ${iso(could.part.start)} to ${iso(could.part.end)}`,
      });
    }
  }
  return violations;
}

export type FairnessMember = { member: string; weeks: number; fairHours: number; balanceHours: number };
export type FairnessBody = { from: string; to: string; members: FairnessMember[] };

/**
 * (f): the report's weeks equal the weeks each member holds in the shifts (week
 * start in [from, to)), and members who could serve exactly the same weeks of the
 * same rotations (and are in the same rotations elsewhere) get fair shares within
 * `spreadHours` of each other.
 */
export function checkFairnessReport(rota: Rota, teamId: string, report: FairnessBody, spreadHours = 24): Violation[] {
  const team = rota.team(teamId);
  const range = { start: ms(report.from), end: ms(report.to) };
  const weeks = rotationWeeks(rota, teamId).filter((w) => w.start >= range.start && w.start < range.end);
  const violations: Violation[] = [];
  const counted = new Map<string, number>();
  for (const w of weeks) if (w.holder) counted.set(w.holder, (counted.get(w.holder) ?? 0) + 1);
  const reported = new Map(report.members.map((m) => [m.member, m]));
  // Members retired from the team keep their history; the report need not list them.
  const current = new Set(team.rotations.flatMap((r) => r.members));
  for (const id of [...new Set([...counted.keys(), ...reported.keys()])].filter((m) => current.has(m))) {
    const inShifts = counted.get(id) ?? 0;
    const inReport = reported.get(id)?.weeks ?? 0;
    if (inShifts !== inReport) {
      violations.push({ rule: "fairness-weeks", team: teamId, rotation: "*", member: id, start: report.from, end: report.to, detail: `report says ${inReport} weeks, the shifts hold ${inShifts}` });
    }
  }
  // Same availability: the same rotations org-wide (time on call elsewhere is not availability here), free the same weeks of this team.
  const membership = (id: string) => rota.org.teams.flatMap((t) => t.rotations.filter((r) => r.members.includes(id)).map((r) => `${t.id}/${r.id}`)).join(",");
  const signatureOf = (id: string) =>
    membership(id) +
    "#" +
    team.rotations
      .filter((r) => r.members.includes(id))
      .map((r) => `${r.id}:${weeks.filter((w) => w.rotation === r.id && rota.freeOfHardRules(id, w, team)).map((w) => w.start).join(",")}`)
      .join("|");
  const groups = new Map<string, FairnessMember[]>();
  for (const m of report.members) {
    if (!rota.zoneOf(m.member)) continue;
    const key = signatureOf(m.member);
    groups.set(key, [...(groups.get(key) ?? []), m]);
  }
  for (const group of groups.values()) {
    if (group.length < 2) continue;
    const sorted = [...group].sort((a, b) => a.fairHours - b.fairHours);
    const [low, high] = [sorted[0]!, sorted.at(-1)!];
    if (high.fairHours - low.fairHours > spreadHours) {
      violations.push({
        rule: "fair-share-spread",
        team: teamId,
        rotation: "*",
        member: high.member,
        start: report.from,
        end: report.to,
        detail: `same availability, fair shares ${group.map((m) => `${m.member} ${m.fairHours} h`).join(", ")}: ${(high.fairHours - low.fairHours).toFixed(1)} h apart`,
      });
    }
  }
  return violations;
}

/** Every shift rule (a)–(e) for every team in the org file. */
export function checkShifts(org: OrgFileInput, shifts: readonly FinalShift[], options: { from?: string; maxUnbrokenHours?: number } = {}): Violation[] {
  const rota = new Rota(org, shifts, options);
  const maxUnbrokenHours = options.maxUnbrokenHours ?? 16;
  return org.teams.flatMap((t) => [
    ...checkRest(rota, t.id),
    ...checkUnbroken(rota, t.id, maxUnbrokenHours),
    ...checkHardRules(rota, t.id),
    ...checkCovered(rota, t.id),
  ]);
}

/** Violations counted by rule and team, for a readable failure. */
export function summarize(violations: readonly Violation[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const v of violations) counts[`${v.team} ${v.rule}`] = (counts[`${v.team} ${v.rule}`] ?? 0) + 1;
  return counts;
}
