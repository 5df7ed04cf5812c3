import type { Member, Team, TimeOff } from "./org-file";
import { intersect, merge, overlaps, subtract, type Range } from "./ranges";
import type { OnCallElsewhere } from "./rota";
import { teamShifts, type ShiftRange } from "./shifts";
import { DAY_MS, HOUR_MS, instantMs, isoFromMs } from "./time";
import type { Assignment, Override } from "./types";
import { TeamAvailability } from "./week-availability";
import { WINDOW_RECURRENCE_MS } from "./weeks";

/** Nobody in a follow-the-sun team is on call longer than this unbroken while someone else could take part. */
export const MAX_UNBROKEN_HOURS = 16;

export type HolidayCoverInput = {
  team: Team;
  members: readonly Member[];
  timeOff: readonly TimeOff[];
  assignments: readonly Assignment[];
  /**
   * The team's overrides that stand: swaps, admin overrides and the holiday
   * covers kept from before `from`. Their time is not handed over, and their
   * holders are on call then.
   */
  overrides?: readonly Override[];
  /** The members' on-call time in other teams: nobody covers while on call elsewhere. */
  elsewhere?: readonly OnCallElsewhere[];
  /** Holiday days starting in [from, to) are handed over. */
  from: string;
  to: string;
  /** Holiday-cover hours each member has already done, so that covers keep spreading across calls. */
  ledgerHint?: Readonly<Record<string, number>>;
  maxUnbrokenHours?: number;
};

/** A public holiday the holder keeps under policy `block` because nobody working that day could take it. */
export type UnheldHoliday = { rotation: string; start: string; end: string; member: string; problem: string };

export type HolidayCoverPlan = { covers: Override[]; unheld: UnheldHoliday[] };

type Candidate = {
  member: string;
  /** The parts of the piece the candidate is not already on call for. */
  free: Range[];
  /** Taking `free` would keep them on call longer than the cap (follow-the-sun only). */
  overCap: boolean;
  partial: boolean;
  /** From another rotation of the team (policy `holidays.cover: "other-rotations"`). */
  otherRotation: boolean;
  /** Takes time on their own public holiday: only for time the holder is on call elsewhere, which outranks holidays. */
  onHoliday: boolean;
  /** Holds the week before or after in one of their rotations. */
  adjacentWeek: boolean;
  hours: number;
  order: number;
};

const CANDIDATE_ORDER: ((a: Candidate, b: Candidate) => number)[] = [
  (a, b) => +a.overCap - +b.overCap,
  (a, b) => +a.partial - +b.partial,
  (a, b) => +a.onHoliday - +b.onHoliday,
  (a, b) => +a.otherRotation - +b.otherRotation,
  (a, b) => +a.adjacentWeek - +b.adjacentWeek,
  (a, b) => a.hours - b.hours,
  (a, b) => a.order - b.order,
];

function compareCandidates(a: Candidate, b: Candidate): number {
  for (const by of CANDIDATE_ORDER) {
    const d = by(a, b);
    if (d !== 0) return d;
  }
  return 0;
}

/**
 * Holiday covers: overrides that hand each scheduled part of a holder's public
 * holiday (midnight to midnight in the holder's zone) to a colleague who is
 * working that day: employed, no time off and no public holiday of their own
 * on any local date the part touches, and not on call then in this team or
 * another. The week's holder keeps the rest of their week.
 *
 * Candidates come from the same rotation, and with `holidays.cover:
 * "other-rotations"` from the team's other rotations too. They are ranked:
 * not over `maxUnbrokenHours` unbroken by taking it (follow-the-sun), free for
 * the whole part, the same rotation, not holding the week before or after
 * (rest), fewest holiday-cover hours so far, then team order. A candidate on
 * call for some of the part takes the rest of it; what nobody can take stays
 * with the holder. Under `avoid` a candidate who would go over the cap is not
 * used; under `block` the day must go to someone working it if anybody is, and
 * what nobody can take is reported as unheld. Policy "ignore" hands no holiday over.
 *
 * The same covers keep a holder from being in two places at once: the planner
 * decides whole weeks, and teams' weeks start at different instants, so a week
 * may overlap the holder's shifts in another team (`elsewhere`) by a day while
 * every colleague is busy in some other part of it. Each such overlap is
 * handed, before any holiday, to a colleague free then by the hard rules; a
 * colleague's `avoid` holiday and the unbroken cap only rank them lower, since
 * two places at once outranks both. What nobody can take stays with the holder.
 */
export function holidayCovers(input: HolidayCoverInput): HolidayCoverPlan {
  const { team } = input;
  const plan: HolidayCoverPlan = { covers: [], unheld: [] };
  const block = team.holidays.policy === "block";
  const cap = (input.maxUnbrokenHours ?? MAX_UNBROKEN_HOURS) * HOUR_MS;
  const range = { start: instantMs(input.from), end: instantMs(input.to) };
  const span = { start: range.start - WINDOW_RECURRENCE_MS, end: range.end + WINDOW_RECURRENCE_MS };
  const availability = new TeamAvailability(team, input.members, input.timeOff, { start: span.start - 8 * DAY_MS, end: span.end + 8 * DAY_MS });
  const shifts = teamShifts(team, input.assignments, input.overrides ?? [], span).sort((a, b) => a.start - b.start || a.rotation - b.rotation);

  const onCall = new Map<string, Range[]>();
  const busy = (member: string, time: Range) => onCall.set(member, [...(onCall.get(member) ?? []), time]);
  for (const shift of shifts) if (shift.member !== null) busy(shift.member, shift);
  for (const e of input.elsewhere ?? []) busy(e.member, { start: instantMs(e.start), end: instantMs(e.end) });

  const weeksOf = team.rotations.map((rotation) =>
    input.assignments
      .filter((a) => a.team === team.id && a.rotation === rotation.id)
      .map((a) => ({ start: instantMs(a.weekStart), end: instantMs(a.weekEnd), member: a.member }))
      .sort((a, b) => a.start - b.start),
  );
  const adjacentWeek = (member: string, at: number) =>
    team.rotations.some((rotation, r) => {
      if (!rotation.members.includes(member)) return false;
      const weeks = weeksOf[r]!;
      const i = weeks.findIndex((w) => w.start <= at && at < w.end);
      return i >= 0 && (weeks[i - 1]?.member === member || weeks[i + 1]?.member === member);
    });
  const order = [...new Set(team.rotations.flatMap((r) => r.members))];
  const hours = new Map(Object.entries(input.ledgerHint ?? {}));
  const candidate = (rotationIndex: number, piece: Range, member: string, otherRotation: boolean, elsewhere = false): Candidate | null => {
    if (!availability.member(member)) return null;
    const own = onCall.get(member) ?? [];
    // What they can take: not on call then, and on local dates of theirs that are working days (for time the
    // holder is on call elsewhere, any day the hard rules allow).
    const holidays = availability.holidayParts(member, [piece]);
    const free = subtract(piece, [...own, ...(elsewhere ? [] : holidays)]).filter((part) => availability.unavailable(member, [part]) === null);
    if (free.length === 0) return null;
    let longest = 0;
    if (team.rotations[rotationIndex]!.window) {
      for (const run of merge([...own, ...free])) if (free.some((f) => overlaps(f, run))) longest = Math.max(longest, run.end - run.start);
    }
    return {
      member,
      free,
      overCap: longest > cap,
      partial: free.length !== 1 || free[0]!.start !== piece.start || free[0]!.end !== piece.end,
      onHoliday: free.some((f) => holidays.some((h) => overlaps(f, h))),
      otherRotation,
      adjacentWeek: adjacentWeek(member, piece.start),
      hours: hours.get(member) ?? 0,
      order: order.indexOf(member),
    };
  };

  /** Members of the team's other rotations who are not in this one, each marked as from another rotation. */
  const crossingOf = (rotation: Team["rotations"][number]) =>
    team.rotations
      .filter((r) => r !== rotation)
      .flatMap((r) => r.members)
      .filter((m) => !rotation.members.includes(m))
      .map((m) => [m, true] as const);
  /** Which part of a cover's time is its own, so that a cover moved to another taker frees exactly that time. */
  const coverTime = new Map<Override, Range>();

  const hand = (shift: ShiftRange, holder: string, piece: Range, elsewhere = false): Range[] => {
    const rotation = team.rotations[shift.rotation]!;
    const ranked = (pool: readonly (readonly [string, boolean])[]) =>
      pool
        .filter(([m]) => m !== holder)
        .flatMap(([m, other]) => candidate(shift.rotation, piece, m, other, elsewhere) ?? [])
        .sort(compareCandidates);
    const crossing = crossingOf(rotation);
    let candidates = ranked([...rotation.members.map((m) => [m, false] as const), ...(team.holidays.cover === "other-rotations" ? crossing : [])]);
    // Under `block` the day must go to someone working it, and the cap still holds: when nobody the cover policy
    // names can take it within the cap, a member of another rotation who can comes first.
    if (!elsewhere && block && team.holidays.cover !== "other-rotations" && (candidates[0]?.overCap ?? true)) {
      candidates = [...ranked(crossing).filter((c) => !c.overCap), ...candidates];
    }
    const best = candidates[0];
    if (!best || (best.overCap && !block && !elsewhere)) return [piece];
    for (const part of best.free) {
      hours.set(best.member, (hours.get(best.member) ?? 0) + (part.end - part.start) / HOUR_MS);
      busy(best.member, part);
      const cover: Override = {
        team: team.id,
        rotation: rotation.id,
        start: isoFromMs(part.start),
        end: isoFromMs(part.end),
        member: best.member,
        replacedMember: holder,
        source: "holiday-cover",
      };
      coverTime.set(cover, part);
      plan.covers.push(cover);
    }
    return subtract(piece, best.free).flatMap((rest) => hand(shift, holder, rest, elsewhere));
  };

  const elsewhereOf = new Map<string, Range[]>();
  for (const e of input.elsewhere ?? []) elsewhereOf.set(e.member, [...(elsewhereOf.get(e.member) ?? []), { start: instantMs(e.start), end: instantMs(e.end) }]);
  const handed = new Map<ShiftRange, Range[]>();
  for (const shift of shifts) {
    const holder = shift.member;
    if (holder === null || shift.source !== "schedule" || !availability.member(holder)) continue;
    for (const other of elsewhereOf.get(holder) ?? []) {
      const overlap = intersect(shift, other);
      // Only time from `from` on is handed over: the past stays as it was.
      const piece = overlap && { start: Math.max(overlap.start, range.start), end: overlap.end };
      if (!piece || piece.start >= piece.end || piece.start >= range.end) continue;
      const kept = hand(shift, holder, piece, true);
      handed.set(shift, [...(handed.get(shift) ?? []), ...subtract(piece, kept)]);
    }
  }

  const days: { shift: ShiftRange; holder: string; day: Range & { holiday: string }; choices: number }[] = [];
  for (const shift of team.holidays.policy === "ignore" ? [] : shifts) {
    const holder = shift.member;
    // A holder who has left is handed back to the plan, not covered.
    if (holder === null || shift.source !== "schedule" || !availability.member(holder)) continue;
    for (const whole of availability.holidayParts(holder, [shift])) {
      if (whole.start < range.start || whole.start >= range.end) continue;
      // What the holder was already relieved of (on call elsewhere then) is not handed twice.
      for (const part of subtract(whole, handed.get(shift) ?? [])) {
        const day = { ...part, holiday: whole.holiday };
        const rotation = team.rotations[shift.rotation]!;
        const pool = team.holidays.cover === "other-rotations" || block ? order : rotation.members;
        const choices = pool.filter((m) => m !== holder && !(candidate(shift.rotation, day, m, false)?.overCap ?? true)).length;
        days.push({ shift, holder, day, choices });
      }
    }
  }
  // The days with the fewest colleagues who could take them within the cap are handed over first: a colleague who
  // is the only one working on one day is not used up by a day that someone else could have taken.
  days.sort((a, b) => a.choices - b.choices || a.day.start - b.day.start);
  for (const { shift, holder, day } of days) {
    for (const kept of hand(shift, holder, day)) {
      if (!block) continue;
      plan.unheld.push({
        rotation: team.rotations[shift.rotation]!.id,
        start: isoFromMs(kept.start),
        end: isoFromMs(kept.end),
        member: holder,
        problem: `${availability.name(holder)}'s public holiday (${day.holiday}): nobody working that day can cover it`,
      });
    }
  }

  // Each piece goes to the first who can take it within the cap, and that can use up the one taker a later piece
  // had within reach: the taker then runs over the cap, although a colleague could have taken an earlier piece of
  // the run (seed 170542364: sg1 on call 23 h on 1 January, while la2 was free and working for its first 8 h).
  // Such pieces are moved, whole, to a colleague who can take them within the cap, until none can be.
  const relieve = (cover: Override): boolean => {
    const r = team.rotations.findIndex((rotation) => rotation.id === cover.rotation);
    const rotation = team.rotations[r]!;
    // The cap is follow-the-sun's: a 24/7 rotation's day-long cover is always a long run, and moving it would only bounce it.
    if (!rotation.window) return false;
    const part = coverTime.get(cover)!;
    const taker = cover.member;
    const run = merge(onCall.get(taker) ?? []).find((time) => overlaps(time, part));
    if (!run || run.end - run.start <= cap) return false;
    const pool = [...rotation.members.map((m) => [m, false] as const), ...(team.holidays.cover === "other-rotations" || block ? crossingOf(rotation) : [])];
    const next = pool
      .filter(([m]) => m !== taker && m !== cover.replacedMember)
      .flatMap(([m, other]) => candidate(r, part, m, other) ?? [])
      .filter((c) => !c.overCap && !c.partial && !c.onHoliday)
      .sort(compareCandidates)[0];
    if (!next) return false;
    onCall.set(
      taker,
      onCall.get(taker)!.filter((time) => time !== part),
    );
    const length = (part.end - part.start) / HOUR_MS;
    hours.set(taker, (hours.get(taker) ?? 0) - length);
    hours.set(next.member, (hours.get(next.member) ?? 0) + length);
    busy(next.member, part);
    cover.member = next.member;
    return true;
  };
  for (let moves = 0; moves < plan.covers.length && plan.covers.some(relieve); moves++);
  plan.covers.sort((a, b) => a.start.localeCompare(b.start) || a.rotation.localeCompare(b.rotation));
  return plan;
}
