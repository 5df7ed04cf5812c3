import { DateTime } from "luxon";
import type { Member, Team, TimeOff } from "./org-file";
import { rotationZone } from "./org-file";
import type { Range } from "./ranges";
import { intersect } from "./ranges";
import { HOUR_MS, instantMs } from "./time";
import type { Assignment, Override, Shift } from "./types";
import { TeamAvailability, onCallSpans, spanMinutes } from "./week-availability";
import { handoffClock, weekContaining, windowOccurrences } from "./weeks";
import { rotationMembership, type MemberSpell } from "./membership";
import { heldWeeks } from "./week-holders";

/** A rotation pool smaller than this puts each member on call too often. */
export const MIN_POOL = 4;
/** A rotation pool larger than this leaves too long between turns for skills to stay fresh. */
export const MAX_POOL = 10;
/** Load above this multiple of the team's mean is flagged. */
export const OVERLOAD_FACTOR = 1.5;

/**
 * What a member has given the team, against what was fair to ask of them. A
 * week's hours are shared out equally among the members of its rotation who
 * could have served it: those who belonged to the rotation then (its
 * membership spells) and were free for the week. Covering for someone adds
 * hours, handing hours over subtracts them. A positive balance means the
 * member has done more than their share.
 */
export type LedgerEntry = {
  member: string;
  weeks: number;
  scheduledHours: number;
  coveredHours: number;
  givenAwayHours: number;
  fairHours: number;
  balanceHours: number;
};

export type LedgerInput = {
  team: Team;
  members: readonly Member[];
  timeOff: readonly TimeOff[];
  /** The weeks to account for. */
  assignments: readonly Assignment[];
  overrides: readonly Override[];
  /** Who belonged to which rotation when (`rotationMembership`); the team as it is now, for all time, when omitted. */
  membership?: readonly MemberSpell[];
  /** Only override time inside this range counts; all of it when omitted. */
  range?: Range;
  /** The caller's caches, when it has them; must span the assignments. */
  availability?: TeamAvailability;
};

/** The ledger of every pool member (in pool order), then of anyone else the weeks, overrides or membership name. */
export function memberLedger(input: LedgerInput): Map<string, LedgerEntry> {
  const { team } = input;
  const assignments = input.assignments.filter((a) => a.team === team.id);
  const overrides = input.overrides.filter((o) => o.team === team.id);
  const membership = input.membership ?? rotationMembership(team, [], input.members);
  const ledger = new Map<string, LedgerEntry>();
  const entry = (member: string): LedgerEntry => {
    let e = ledger.get(member);
    if (!e) ledger.set(member, (e = emptyEntry(member)));
    return e;
  };
  for (const member of teamPool(team)) entry(member);

  const weeks = assignments.map((a) => ({ a, range: { start: instantMs(a.weekStart), end: instantMs(a.weekEnd) } }));
  const availability =
    input.availability ??
    new TeamAvailability(
      team,
      input.members,
      input.timeOff,
      weeks.length ? { start: Math.min(...weeks.map((w) => w.range.start)), end: Math.max(...weeks.map((w) => w.range.end)) } : { start: 0, end: 0 },
    );
  for (const { a, range } of weeks) {
    if (!a.member) continue;
    const rotation = team.rotations.find((r) => r.id === a.rotation);
    const spans = rotation ? onCallSpans(team, rotation, range) : [range];
    const holder = entry(a.member);
    holder.weeks++;
    holder.scheduledHours += spanMinutes(spans) / 60;
    for (const [member, hours] of fairShares(membership, availability, a.rotation, a.member, spans)) entry(member).fairHours += hours;
  }
  for (const o of overrides) {
    if (o.member === o.replacedMember) continue;
    const hours = overrideHours(team, o, input.range);
    entry(o.member).coveredHours += hours;
    if (o.replacedMember) entry(o.replacedMember).givenAwayHours += hours;
  }
  for (const e of ledger.values()) e.balanceHours = e.scheduledHours + e.coveredHours - e.givenAwayHours - e.fairHours;
  return ledger;
}

/**
 * A week's on-call hours shared out: each stretch of its spans goes in equal
 * parts to the rotation's members then who are free for the whole week (as
 * the planner asks it). The holder takes any stretch nobody else could.
 */
function fairShares(membership: readonly MemberSpell[], availability: TeamAvailability, rotation: string, holder: string, spans: readonly Range[]): Map<string, number> {
  const shares = new Map<string, number>();
  const spells = membership.filter((s) => s.rotation === rotation && spans.some((span) => s.start < span.end && span.start < s.end));
  const free = new Map<string, boolean>();
  const isFree = (member: string) => {
    let answer = free.get(member);
    // Someone no longer in the org is not among the members given: their spells alone say when they could serve.
    if (answer === undefined) free.set(member, (answer = !availability.member(member) || availability.unavailable(member, spans) === null));
    return answer;
  };
  for (const span of spans) {
    const cuts = [...new Set([span.start, span.end, ...spells.flatMap((s) => [s.start, s.end]).filter((t) => t > span.start && t < span.end)])].sort((x, y) => x - y);
    for (let i = 0; i + 1 < cuts.length; i++) {
      const piece = { start: cuts[i]!, end: cuts[i + 1]! };
      const sharers = [...new Set(spells.filter((s) => s.start <= piece.start && piece.end <= s.end && isFree(s.member)).map((s) => s.member))];
      if (sharers.length === 0) sharers.push(holder);
      const hours = (piece.end - piece.start) / HOUR_MS / sharers.length;
      for (const m of sharers) shares.set(m, (shares.get(m) ?? 0) + hours);
    }
  }
  return shares;
}

/** Distinct members of a team's rotations, in rotation order. */
export function teamPool(team: Team): string[] {
  return [...new Set(team.rotations.flatMap((r) => r.members))];
}

/** The on-call hours an override takes over: for a windowed rotation only its windows count. */
function overrideHours(team: Team, override: Override, range: Range | undefined): number {
  let span: Range | null = { start: instantMs(override.start), end: instantMs(override.end) };
  if (range) span = intersect(span, range);
  if (!span) return 0;
  const rotation = team.rotations.find((r) => r.id === override.rotation);
  if (!rotation?.window) return (span.end - span.start) / HOUR_MS;
  let ms = 0;
  for (const w of windowOccurrences(rotation.window, rotationZone(team, rotation), span)) {
    const part = intersect(w, span);
    if (part) ms += part.end - part.start;
  }
  return ms / HOUR_MS;
}

export type MemberFairness = {
  member: string;
  name: string;
  /** Rotation weeks starting in the range of which the member holds most, in the final shifts (`heldWeeks`). */
  weeks: number;
  /** Hours on call in the range, after overrides. */
  onCallHours: number;
  /** On-call hours that fall on the member's own public holidays. */
  holidayHours: number;
  coveredHours: number;
  givenAwayHours: number;
  /** The member's share of the weeks' hours, by who could serve each. */
  fairHours: number;
  /** Scheduled + covered − given away − fair: positive when above their share. */
  balanceHours: number;
  /** The same as fairHours and balanceHours, under the names the report is read by. */
  fairShare: number;
  balance: number;
  /** One plain sentence on why the share is what it is: "joined 12 May", "two weeks off in August". */
  why: string;
};

export type HealthFlag =
  | { kind: "pool-too-small" | "pool-too-large"; rotation: string; poolSize: number; message: string }
  | { kind: "overloaded"; member: string; onCallHours: number; message: string };

export type FairnessReport = {
  team: string;
  from: string;
  to: string;
  members: MemberFairness[];
  meanOnCallHours: number;
  flags: HealthFlag[];
};

export type FairnessInput = {
  team: Team;
  members: readonly Member[];
  timeOff: readonly TimeOff[];
  /** The team's shifts after overrides, as `expandShifts` gives them. */
  shifts: readonly Shift[];
  assignments: readonly Assignment[];
  overrides: readonly Override[];
  /** Who belonged to which rotation when (`rotationMembership`); the team as it is now, for all time, when omitted. */
  membership?: readonly MemberSpell[];
  /** Instants, ISO 8601 with `Z`. */
  from: string;
  to: string;
};

const round2 = (x: number) => Math.round(x * 100) / 100;

/**
 * Per member load over [from, to): weeks that start in it, on-call and holiday
 * hours from the shifts clipped to it, covers and hand-overs from the same
 * ledger the planner balances. Flags pools outside 4–10 members and anyone
 * above 1.5× the mean on-call hours of the pool members employed in the range.
 */
export function fairnessReport(input: FairnessInput): FairnessReport {
  const { team } = input;
  const range = { start: instantMs(input.from), end: instantMs(input.to) };
  const fromDate = input.from.slice(0, 10);
  const toDate = input.to.slice(0, 10);
  const byId = new Map(input.members.map((m) => [m.id, m]));
  const employedInRange = (id: string) => {
    const m = byId.get(id);
    return m !== undefined && (!m.startDate || m.startDate <= toDate) && (!m.endDate || m.endDate >= fromDate);
  };
  // By the rotation week each assignment lies in, as the weeks held are counted: the rest of a week handed
  // over part way through belongs to the week it began in.
  const weeks = input.assignments.filter((a) => {
    const rotation = team.rotations.find((r) => r.id === a.rotation);
    if (a.team !== team.id || !rotation) return false;
    const start = instantMs(weekContaining(handoffClock(team, rotation), DateTime.fromMillis(instantMs(a.weekStart), { zone: "utc" })).start);
    return start >= range.start && start < range.end;
  });
  const availability = new TeamAvailability(team, input.members, input.timeOff, {
    start: range.start,
    end: Math.max(range.end, ...weeks.map((a) => instantMs(a.weekEnd))),
  });
  const membership = input.membership ?? rotationMembership(team, [], input.members);
  const ledger = memberLedger({ ...input, membership, assignments: weeks, range, availability });
  const held = new Map<string, number>();
  for (const week of heldWeeks(team, input.shifts.filter((x) => x.team === team.id))) {
    if (week.holder && week.start >= range.start && week.start < range.end) held.set(week.holder, (held.get(week.holder) ?? 0) + 1);
  }

  const onCall = new Map<string, number>();
  const holiday = new Map<string, number>();
  for (const shift of input.shifts) {
    if (!shift.member || shift.team !== team.id) continue;
    const clipped = intersect({ start: instantMs(shift.start), end: instantMs(shift.end) }, range);
    if (!clipped) continue;
    if (!ledger.has(shift.member)) ledger.set(shift.member, emptyEntry(shift.member));
    onCall.set(shift.member, (onCall.get(shift.member) ?? 0) + (clipped.end - clipped.start) / HOUR_MS);
    if (byId.has(shift.member)) {
      holiday.set(shift.member, (holiday.get(shift.member) ?? 0) + availability.holidayMinutes(shift.member, [clipped]) / 60);
    }
  }

  // Members who left keep their share of the weeks they were in (it is not anyone else's), but are listed only when they served.
  const listed = [...ledger.values()].filter((e) => byId.has(e.member) || e.scheduledHours > 0 || e.coveredHours > 0 || onCall.has(e.member));
  const members: MemberFairness[] = listed.map((e) => ({
    member: e.member,
    name: byId.get(e.member)?.name ?? e.member,
    weeks: held.get(e.member) ?? 0,
    onCallHours: round2(onCall.get(e.member) ?? 0),
    holidayHours: round2(holiday.get(e.member) ?? 0),
    coveredHours: round2(e.coveredHours),
    givenAwayHours: round2(e.givenAwayHours),
    fairHours: round2(e.fairHours),
    balanceHours: round2(e.balanceHours),
    fairShare: round2(e.fairHours),
    balance: round2(e.balanceHours),
    why: shareReason({ team, membership, availability, weeks, member: e.member, zone: byId.get(e.member)?.timeZone ?? team.timeZone, range }),
  }));

  const flags: HealthFlag[] = [];
  for (const rotation of team.rotations) {
    const poolSize = rotation.members.filter(employedInRange).length;
    if (poolSize < MIN_POOL) {
      flags.push({ kind: "pool-too-small", rotation: rotation.id, poolSize, message: `${rotation.name} has ${poolSize} members: each is on call too often (at least ${MIN_POOL} recommended)` });
    } else if (poolSize > MAX_POOL) {
      flags.push({ kind: "pool-too-large", rotation: rotation.id, poolSize, message: `${rotation.name} has ${poolSize} members: turns come too rarely for skills to stay fresh (at most ${MAX_POOL} recommended)` });
    }
  }
  const active = teamPool(team).filter(employedInRange);
  const meanOnCallHours = active.length ? active.reduce((sum, id) => sum + (onCall.get(id) ?? 0), 0) / active.length : 0;
  for (const m of members) {
    if (meanOnCallHours > 0 && m.onCallHours > OVERLOAD_FACTOR * meanOnCallHours) {
      flags.push({
        kind: "overloaded",
        member: m.member,
        onCallHours: m.onCallHours,
        message: `${m.name} was on call ${m.onCallHours} h, more than ${OVERLOAD_FACTOR}× the team mean of ${round2(meanOnCallHours)} h`,
      });
    }
  }
  return { team: team.id, from: input.from, to: input.to, members, meanOnCallHours: round2(meanOnCallHours), flags };
}

function emptyEntry(member: string): LedgerEntry {
  return { member, weeks: 0, scheduledHours: 0, coveredHours: 0, givenAwayHours: 0, fairHours: 0, balanceHours: 0 };
}

const COUNTS = ["no", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve"];
const weeksWord = (n: number) => `${COUNTS[n] ?? n} week${n === 1 ? "" : "s"}`;

type ReasonInput = {
  team: Team;
  membership: readonly MemberSpell[];
  availability: TeamAvailability;
  weeks: readonly Assignment[];
  member: string;
  /** The member's zone, for the dates named. */
  zone: string;
  range: Range;
};

/**
 * Why a member's share is what it is, as one plain sentence: when they
 * joined or left a rotation inside the range, and the weeks they were in it
 * but could not serve (time off, public holidays under `block`), by month.
 */
function shareReason({ team, membership, availability, weeks, member, zone, range }: ReasonInput): string {
  const day = (ms: number) => DateTime.fromMillis(ms, { zone }).toFormat("d LLLL");
  const spells = membership.filter((s) => s.member === member);
  const parts: string[] = [];
  const joined = spells.filter((s) => s.start > range.start && s.start < range.end).map((s) => s.start);
  const left = spells.filter((s) => s.end > range.start && s.end < range.end).map((s) => s.end);
  if (joined.length) parts.push(`joined ${day(Math.min(...joined))}`);
  // Per reason, the weeks the member was in the rotation but could not serve, and their months.
  const off = new Map<string, { weeks: Set<string>; months: Set<string> }>();
  const known = availability.member(member) !== undefined;
  for (const a of weeks) {
    const rotation = team.rotations.find((r) => r.id === a.rotation);
    const start = instantMs(a.weekStart);
    if (!known || !rotation || !spells.some((s) => s.rotation === a.rotation && s.start <= start && instantMs(a.weekEnd) <= s.end)) continue;
    const why = availability.unavailable(member, onCallSpans(team, rotation, { start, end: instantMs(a.weekEnd) }));
    if (why === null || why.kind === "not-started" || why.kind === "left") continue;
    const what = why.kind === "time-off" ? "off" : "on public holidays";
    const entry = off.get(what) ?? { weeks: new Set<string>(), months: new Set<string>() };
    entry.weeks.add(a.weekStart);
    entry.months.add(DateTime.fromMillis(start, { zone }).toFormat("LLLL"));
    off.set(what, entry);
  }
  for (const [what, { weeks: count, months }] of off) {
    const list = [...months];
    parts.push(`${weeksWord(count.size)} ${what} in ${list.length > 1 ? `${list.slice(0, -1).join(", ")} and ${list.at(-1)}` : list[0]}`);
  }
  if (left.length) parts.push(`left ${day(Math.max(...left))}`);
  if (parts.length) return parts.join(", ");
  return spells.some((s) => s.start < range.end && range.start < s.end) ? "in the rotation and free every week" : "not in the rotation in this range";
}
