import type { Member, Team, TimeOff } from "./org-file";
import { rotationZone } from "./org-file";
import type { Range } from "./ranges";
import { intersect } from "./ranges";
import { HOUR_MS, instantMs } from "./time";
import type { Assignment, Override, Shift } from "./types";
import { TeamAvailability, onCallSpans, spanMinutes } from "./week-availability";
import { windowOccurrences } from "./weeks";

/** A rotation pool smaller than this puts each member on call too often. */
export const MIN_POOL = 4;
/** A rotation pool larger than this leaves too long between turns for skills to stay fresh. */
export const MAX_POOL = 10;
/** Load above this multiple of the team's mean is flagged. */
export const OVERLOAD_FACTOR = 1.5;

/**
 * What a member has given the team, against what was fair to ask of them. A
 * week's hours are shared out equally among the pool members who could have
 * served it; covering for someone adds hours, handing hours over subtracts
 * them. A positive balance means the member has done more than their share.
 */
export type LedgerEntry = {
  member: string;
  /** When the member joined the pool as far as the weeks and overrides tell; null when they do not name them. */
  since: string | null;
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
  /** Only override time inside this range counts; all of it when omitted. */
  range?: Range;
  /** The caller's caches, when it has them; must span the assignments. */
  availability?: TeamAvailability;
};

/** The ledger of every pool member (in pool order), then of anyone else the weeks or overrides name. */
export function memberLedger(input: LedgerInput): Map<string, LedgerEntry> {
  const { team } = input;
  const assignments = input.assignments.filter((a) => a.team === team.id);
  const overrides = input.overrides.filter((o) => o.team === team.id);
  const ledger = new Map<string, LedgerEntry>();
  const entry = (member: string): LedgerEntry => {
    let e = ledger.get(member);
    if (!e) ledger.set(member, (e = emptyEntry(member)));
    return e;
  };
  const seen = (member: string, at: string) => {
    const e = entry(member);
    if (e.since === null || at < e.since) e.since = at;
  };
  const pool = teamPool(team);
  for (const member of pool) entry(member);
  // When someone joined the pool is not recorded. Their first turn says it, except in the
  // history's first round (before anyone's second turn), when the whole pool was waiting.
  const turns = assignments.filter((a) => a.member !== null).sort((x, y) => x.weekStart.localeCompare(y.weekStart));
  const firstTurn = new Map<string, string>();
  let secondTurn: string | null = null;
  for (const a of turns) {
    if (!firstTurn.has(a.member!)) firstTurn.set(a.member!, a.weekStart);
    else secondTurn ??= a.weekStart;
  }
  for (const [member, first] of firstTurn) seen(member, secondTurn === null || first < secondTurn ? turns[0]!.weekStart : first);
  if (turns.length > 0 && secondTurn === null) for (const member of pool) seen(member, turns[0]!.weekStart);
  for (const o of overrides) {
    seen(o.member, o.start);
    if (o.replacedMember) seen(o.replacedMember, o.start);
  }

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
    const hours = spanMinutes(spans) / 60;
    const holder = entry(a.member);
    holder.weeks++;
    holder.scheduledHours += hours;
    const sharers = new Set([a.member]);
    for (const m of rotation?.members ?? []) {
      const since = ledger.get(m)!.since;
      if (since !== null && since <= a.weekStart && availability.unavailable(m, spans) === null) sharers.add(m);
    }
    for (const m of sharers) entry(m).fairHours += hours / sharers.size;
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
  /** Rotation weeks held that start in the range. */
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
  const weeks = input.assignments.filter((a) => {
    const start = instantMs(a.weekStart);
    return a.team === team.id && start >= range.start && start < range.end;
  });
  const availability = new TeamAvailability(team, input.members, input.timeOff, {
    start: range.start,
    end: Math.max(range.end, ...weeks.map((a) => instantMs(a.weekEnd))),
  });
  const ledger = memberLedger({ ...input, assignments: weeks, range, availability });

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

  const members: MemberFairness[] = [...ledger.values()].map((e) => ({
    member: e.member,
    name: byId.get(e.member)?.name ?? e.member,
    weeks: e.weeks,
    onCallHours: round2(onCall.get(e.member) ?? 0),
    holidayHours: round2(holiday.get(e.member) ?? 0),
    coveredHours: round2(e.coveredHours),
    givenAwayHours: round2(e.givenAwayHours),
    fairHours: round2(e.fairHours),
    balanceHours: round2(e.balanceHours),
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
  return { member, since: null, weeks: 0, scheduledHours: 0, coveredHours: 0, givenAwayHours: 0, fairHours: 0, balanceHours: 0 };
}
