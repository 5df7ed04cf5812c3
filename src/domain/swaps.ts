import { DateTime } from "luxon";
import { conflict, forbidden } from "./errors";
import type { Member, Team, TimeOff } from "./org-file";
import { intersect, overlaps, subtract, type Range } from "./ranges";
import { DAY_MS, addDays, instantMs, isoFromMs } from "./time";
import type { Shift } from "./types";
import { TeamAvailability } from "./week-availability";
import { handoffClock, weekContaining, weekStartingOn } from "./weeks";

export const SWAP_TYPES = ["cover", "trade"] as const;
export type SwapType = (typeof SWAP_TYPES)[number];

export const SWAP_STATUSES = ["open", "accepted", "declined", "cancelled", "expired"] as const;
export type SwapStatus = (typeof SWAP_STATUSES)[number];

/** A stretch [start, end) of one rotation: a whole shift or a part of one. */
export type Slot = { team: string; rotation: string; start: string; end: string };

export type SwapRequest = {
  id: number;
  team: string;
  rotation: string;
  start: string;
  end: string;
  requester: string;
  type: SwapType;
  /** The one member asked, or null when anyone eligible may take it. */
  to: string | null;
  /** For a trade: the taker's shift the requester takes in return, once known. */
  offered: { rotation: string; start: string; end: string } | null;
  note: string | null;
  status: SwapStatus;
  taker: string | null;
  decidedBy: string | null;
  createdAt: string;
  decidedAt: string | null;
};

export const slotOf = (swap: Pick<SwapRequest, "team" | "rotation" | "start" | "end">): Slot => ({
  team: swap.team,
  rotation: swap.rotation,
  start: swap.start,
  end: swap.end,
});

export const offeredSlot = (swap: SwapRequest): Slot | null => (swap.offered ? { team: swap.team, ...swap.offered } : null);

// ---------------------------------------------------------------- state machine

export type SwapAction = "accept" | "decline" | "cancel" | "expire";

const OUTCOME: Record<SwapAction, SwapStatus> = { accept: "accepted", decline: "declined", cancel: "cancelled", expire: "expired" };

const WHY_CLOSED: Record<Exclude<SwapStatus, "open">, string> = {
  accepted: "has already been accepted",
  declined: "was declined",
  cancelled: "was cancelled",
  expired: "expired: its shift began before anyone took it",
};

/** The status an action leads to; every action needs an open request, and a decline needs a named member. */
export function nextStatus(swap: Pick<SwapRequest, "id" | "status" | "to">, action: SwapAction): SwapStatus {
  if (swap.status !== "open") throw conflict(`request #${swap.id} ${WHY_CLOSED[swap.status]}; it is no longer open`);
  if (action === "decline" && swap.to === null) {
    throw conflict(`request #${swap.id} is open to everyone eligible, so there is nobody to decline it; it stays open until someone takes it, it is cancelled, or it expires`);
  }
  return OUTCOME[action];
}

/** An open request expires once its shift (or the shift offered in return) has begun. */
export function isDue(swap: Pick<SwapRequest, "status" | "start" | "offered">, now: string): boolean {
  if (swap.status !== "open") return false;
  return swap.start <= now || (swap.offered !== null && swap.offered.start <= now);
}

/** Who may act, given the acting member: only the owner cancels; only the named member, if any, accepts or declines. */
export function requirePermitted(swap: SwapRequest, action: Exclude<SwapAction, "expire">, member: string, names: (id: string) => string): void {
  if (action === "cancel") {
    if (member !== swap.requester) throw forbidden(`only ${names(swap.requester)}, who asked, may cancel request #${swap.id}`);
    return;
  }
  if (member === swap.requester) throw forbidden(`${names(member)} asked for this swap and cannot ${action} it`);
  if (swap.to !== null && member !== swap.to) throw forbidden(`request #${swap.id} was made to ${names(swap.to)} only`);
}

// ---------------------------------------------------------------- shift ids

const REF = /^([a-z0-9][a-z0-9_-]{0,62})~([a-z0-9][a-z0-9_-]{0,62})~(\d{8}T(?:\d{4}|\d{6})Z)~(\d{8}T(?:\d{4}|\d{6})Z)$/;

const compact = (iso: string) => iso.replace(/[-:]/g, "").replace(/\.\d+Z$/, "Z").replace(/00Z$/, "Z");

function expand(basic: string): string {
  const seconds = basic.length === 16 ? basic.slice(13, 15) : "00";
  return `${basic.slice(0, 4)}-${basic.slice(4, 6)}-${basic.slice(6, 8)}T${basic.slice(9, 11)}:${basic.slice(11, 13)}:${seconds}Z`;
}

/**
 * A shift named in a URL: `team~rotation~20270119T1000Z~20270126T1000Z`. Ids
 * never contain `~`, and the compact instants keep the link short and free of
 * characters that need escaping.
 */
export function shiftId(slot: Slot): string {
  return `${slot.team}~${slot.rotation}~${compact(slot.start)}~${compact(slot.end)}`;
}

export function parseShiftId(id: string): Slot | null {
  const match = REF.exec(id);
  if (!match) return null;
  const slot = { team: match[1]!, rotation: match[2]!, start: expand(match[3]!), end: expand(match[4]!) };
  return Number.isNaN(Date.parse(slot.start)) || Number.isNaN(Date.parse(slot.end)) ? null : slot;
}

// ---------------------------------------------------------------- who holds what

/** Everything the eligibility rules read: the org and every team's shifts around the slots asked about. */
export type SwapWorld = {
  teams: readonly Team[];
  members: ReadonlyMap<string, Member>;
  timeOff: readonly TimeOff[];
  shifts: readonly Shift[];
};

/** How far around a slot the world must hold shifts: the neighbouring weeks, for back-to-back warnings. */
export const WORLD_MARGIN_MS = 9 * DAY_MS;

const rangeOf = (s: { start: string; end: string }): Range => ({ start: instantMs(s.start), end: instantMs(s.end) });

/** The rotation's shifts inside a slot, clipped to it: the time that is actually on call. */
function onCallParts(world: SwapWorld, slot: Slot): Shift[] {
  const range = rangeOf(slot);
  return world.shifts.flatMap((shift) => {
    if (shift.team !== slot.team || shift.rotation !== slot.rotation) return [];
    const part = intersect(rangeOf(shift), range);
    return part ? [{ ...shift, start: isoFromMs(part.start), end: isoFromMs(part.end) }] : [];
  });
}

export type Holding =
  | { kind: "held"; parts: Shift[]; minutes: number }
  | { kind: "nobody" }
  | { kind: "someone-else"; holder: string | null }
  | { kind: "partly"; other: string | null; at: string };

/** Whether `member` holds every on-call minute of the slot. */
export function holding(world: SwapWorld, slot: Slot, member: string): Holding {
  const parts = onCallParts(world, slot);
  if (parts.length === 0) return { kind: "nobody" };
  const mine = parts.filter((p) => p.member === member);
  if (mine.length === 0) return { kind: "someone-else", holder: parts[0]!.member };
  const other = parts.find((p) => p.member !== member);
  if (other) return { kind: "partly", other: other.member, at: other.start };
  const minutes = parts.reduce((sum, p) => sum + (instantMs(p.end) - instantMs(p.start)) / 60_000, 0);
  return { kind: "held", parts, minutes };
}

/** Who holds the on-call time of a slot that is offered in a trade: nobody, one member, or several between them. */
export function soleHolder(world: SwapWorld, slot: Slot): { kind: "nobody" } | { kind: "one"; member: string } | { kind: "several" } {
  const holders = new Set(onCallParts(world, slot).map((p) => p.member));
  holders.delete(null);
  const [only] = holders;
  if (only === undefined || only === null) return { kind: "nobody" };
  return holders.size === 1 ? { kind: "one", member: only } : { kind: "several" };
}

// ---------------------------------------------------------------- eligibility

export type RefusalRule = "not-a-member" | "self" | "rotation" | "employment" | "time-off" | "holiday" | "on-call-elsewhere";
export type Refusal = { rule: RefusalRule; message: string };
export type Eligibility = { member: string; eligible: boolean; refusals: Refusal[]; warnings: string[] };

/** Rules a member cannot fix by asking: refusing these is 403, the rest (schedule clashes) 409. */
export const FORBIDDING_RULES: ReadonlySet<RefusalRule> = new Set(["not-a-member", "self", "rotation"]);

/**
 * Who may hold a rotation: its own members, and when the team lets other
 * rotations cover (its holiday cover policy `other-rotations`), members of the
 * team's other rotations too.
 */
export function mayHold(team: Team, rotationId: string, member: string): boolean {
  const rotation = team.rotations.find((r) => r.id === rotationId);
  if (rotation?.members.includes(member)) return true;
  return team.holidays.cover === "other-rotations" && team.rotations.some((r) => r.members.includes(member));
}

/** Everyone who might take a slot, in rotation order, before the rules are checked. */
export function candidatesFor(team: Team, rotationId: string, requester: string): string[] {
  const own = team.rotations.find((r) => r.id === rotationId)?.members ?? [];
  const others = team.holidays.cover === "other-rotations" ? team.rotations.flatMap((r) => r.members) : [];
  return [...new Set([...own, ...others])].filter((m) => m !== requester);
}

/** A local time as people read it, with the zone named: `Tue 19 Jan 2027, 10:00 GMT`. */
export function localTime(iso: string, zone: string): string {
  return DateTime.fromISO(iso, { zone: "utc" }).setZone(zone).toFormat("ccc d LLL yyyy, HH:mm ZZZZ");
}

const rotationLabel = (world: SwapWorld, teamId: string, rotationId: string) => {
  const team = world.teams.find((t) => t.id === teamId);
  const rotation = team?.rotations.find((r) => r.id === rotationId);
  return `${team?.name ?? teamId} · ${rotation?.name ?? rotationId}`;
};

/**
 * Whether `candidate` may take the on-call time of `slot`: refusals name the
 * rule in words, warnings (back-to-back weeks, the candidate's own public
 * holidays) do not stop anyone. `givingAway` is what the candidate hands over
 * in the same swap (the other half of a trade): it no longer counts as theirs.
 */
export function eligibility(world: SwapWorld, slot: Slot, candidate: string, options: { requester: string; givingAway?: Slot | null }): Eligibility {
  const result: Eligibility = { member: candidate, eligible: true, refusals: [], warnings: [] };
  const refuse = (rule: RefusalRule, message: string) => result.refusals.push({ rule, message });
  const member = world.members.get(candidate);
  const team = world.teams.find((t) => t.id === slot.team);
  if (!member || !team) {
    refuse("not-a-member", `${candidate} is not an active member`);
    return { ...result, eligible: false };
  }
  const name = member.name;
  const zone = member.timeZone;
  if (candidate === options.requester) refuse("self", `${name} asked for this swap`);
  if (!mayHold(team, slot.rotation, candidate)) refuse("rotation", `${name} is not in the ${rotationLabel(world, slot.team, slot.rotation)} rotation`);

  const parts = onCallParts(world, slot).map(rangeOf);
  // Whether the candidate can serve these dates is the planner's and the holiday covers' question too: one module answers it.
  const days = parts.length ? new TeamAvailability(team, [member], world.timeOff, { start: parts[0]!.start, end: parts.at(-1)!.end }).dayByDay(candidate, parts) : [];
  const first = days[0]?.date;
  if (first) {
    if (member.startDate && first < member.startDate) refuse("employment", `${name} starts on ${member.startDate}, after this shift begins`);
    else if (!days.every((d) => d.employed)) refuse("employment", `${name} leaves on ${member.endDate}, before this shift ends`);
    const offDates = days.filter((d) => d.timeOff).map((d) => d.date);
    if (offDates.length > 0) refuse("time-off", `${name} is on time off on ${offDates.join(", ")}`);
    for (const { date, holiday } of days) {
      if (holiday === null) continue;
      if (team.holidays.policy === "block") refuse("holiday", `${date} is a public holiday for ${name} (${holiday}), and ${team.name} does not schedule anyone on their public holidays`);
      else result.warnings.push(`${date} is a public holiday for ${name} (${holiday})`);
    }
  }

  const theirs = shiftsKept(world, candidate, options.givingAway ?? null);
  const clash = theirs.find((shift) => parts.some((part) => overlaps(shift, part)));
  if (clash) {
    refuse(
      "on-call-elsewhere",
      `${name} is already on call for ${rotationLabel(world, clash.team, clash.rotation)} from ${localTime(isoFromMs(clash.start), zone)} to ${localTime(isoFromMs(clash.end), zone)}`,
    );
  }

  const rotation = team.rotations.find((r) => r.id === slot.rotation);
  if (rotation && parts.length > 0) {
    const clock = handoffClock(team, rotation);
    const firstWeek = weekContaining(clock, DateTime.fromMillis(parts[0]!.start, { zone: "utc" }));
    const lastWeek = weekContaining(clock, DateTime.fromMillis(parts[parts.length - 1]!.end - 1, { zone: "utc" }));
    const neighbours = [
      { when: "the week before", week: weekStartingOn(clock, addDays(firstWeek.startDate, -7)) },
      { when: "the week after", week: weekStartingOn(clock, addDays(lastWeek.startDate, 7)) },
    ];
    for (const { when, week } of neighbours) {
      const held = theirs.find((s) => s.team === slot.team && s.rotation === slot.rotation && overlaps(s, rangeOf(week)));
      if (held) result.warnings.push(`back-to-back: ${name} is also on call ${when} (from ${localTime(isoFromMs(held.start), zone)})`);
    }
  }

  return { ...result, eligible: result.refusals.length === 0 };
}

type HeldRange = Range & { team: string; rotation: string };

/** A member's on-call time, less what they hand over in the same swap. */
function shiftsKept(world: SwapWorld, member: string, givingAway: Slot | null): HeldRange[] {
  const given = givingAway ? rangeOf(givingAway) : null;
  return world.shifts.flatMap((shift) => {
    if (shift.member !== member) return [];
    const range = rangeOf(shift);
    const handedOver = given && givingAway!.team === shift.team && givingAway!.rotation === shift.rotation;
    return (handedOver ? subtract(range, [given]) : [range]).map((r) => ({ ...r, team: shift.team, rotation: shift.rotation }));
  });
}
