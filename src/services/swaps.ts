import { z } from "zod";
import { actorLabel } from "../db/audit";
import type { Db } from "../db/open";
import { loadOrg, type StoredOrg } from "../db/org-store";
import { activeOverrides, currentAssignments, insertOverride } from "../db/schedule-store";
import { decideSwap, dueSwaps, findSwap, insertSwap, listSwaps, memberNames, openSwapsOf, overlappingOpenSwaps, type SwapFilter } from "../db/swap-store";
import { BatonError, conflict, forbidden, invalid, notFound } from "../domain/errors";
import type { Team } from "../domain/org-file";
import { expandShifts } from "../domain/shifts";
import {
  FORBIDDING_RULES,
  SWAP_STATUSES,
  SWAP_TYPES,
  WORLD_MARGIN_MS,
  candidatesFor,
  eligibility,
  holding,
  isDue,
  localTime,
  mayHold,
  nextStatus,
  offeredSlot,
  parseShiftId,
  requirePermitted,
  slotOf,
  soleHolder,
  type Eligibility,
  type Slot,
  type SwapRequest,
  type SwapWorld,
} from "../domain/swaps";
import { instantSchema, noteSchema } from "../domain/input";
import { instantMs, isoFromMs, toIsoZ } from "../domain/time";
import type { Shift } from "../domain/types";
import { inTransaction, type ServiceContext, mapInTurn, useCase } from "./context";
import { followChange, teamsOf } from "./schedule";
import type { Handover } from "../domain/handover";
import { slackEscape } from "../domain/slack-text";

// ---------------------------------------------------------------- input

const memberId = z.string().regex(/^[a-z0-9][a-z0-9_-]{0,62}$/, "must be a member id");
const instant = instantSchema;

const SHIFT_FORMS = "must be {rotation, start, end} (and team when the rotation id is not unique) or a shift id such as alpha~primary~20270119T1000Z~20270126T1000Z";

/** A shift or part of one: `{team?, rotation, start, end}`, or the shift id that /me and the feeds link to. */
const slotInput = z.preprocess(
  (value) => (typeof value === "string" ? (parseShiftId(value) ?? value) : value),
  z.strictObject(
    { team: z.string().min(1).optional(), rotation: z.string().min(1), start: instant, end: instant },
    { error: (issue) => (issue.code === "invalid_type" ? SHIFT_FORMS : undefined) },
  ),
);
type SlotInput = z.output<typeof slotInput>;

export const openSwapSchema = z.strictObject({
  shift: slotInput,
  type: z.enum(SWAP_TYPES, { error: "must be cover (someone takes it) or trade (you take one of theirs in return)" }),
  to: memberId.nullish(),
  note: noteSchema(1000).nullish(),
  offered: slotInput.nullish(),
  asMember: memberId.optional(),
});
export type OpenSwapInput = z.output<typeof openSwapSchema>;

export const acceptSwapSchema = z.strictObject({ asMember: memberId.optional(), offered: slotInput.optional() }).default({});
export type AcceptSwapInput = z.output<typeof acceptSwapSchema>;

export const actOnSwapSchema = z.strictObject({ asMember: memberId.optional() }).default({});

export const listSwapsSchema = z.object({
  member: z.string().min(1).optional(),
  status: z.enum(SWAP_STATUSES).optional(),
  team: z.string().min(1).optional(),
});

// ---------------------------------------------------------------- output

export type PersonRef = { id: string; name: string };

export type SwapView = {
  id: number;
  status: SwapRequest["status"];
  type: SwapRequest["type"];
  team: string;
  rotation: string;
  start: string;
  end: string;
  requester: PersonRef;
  to: PersonRef | null;
  offered: SwapRequest["offered"];
  note: string | null;
  taker: PersonRef | null;
  createdAt: string;
  decidedAt: string | null;
  decidedBy: string | null;
  url: string;
};

export type SwapEventName = "swap.opened" | "swap.accepted" | "swap.declined" | "swap.cancelled" | "swap.expired";

/** What the webhook posts: `text` is for Slack-style receivers, the rest for programs. */
export type SwapEvent = { event: SwapEventName; at: string; text: string; swap: SwapView };

export type SwapDeps = { ctx: ServiceContext; notify: (event: SwapEvent) => void };

// ---------------------------------------------------------------- reading the world

const nowOf = (ctx: ServiceContext) => toIsoZ(ctx.clock.now());

/** Every team's shifts around the given slots, read through the caller's transaction. */
async function loadWorld(db: Db, slots: readonly Slot[], given?: StoredOrg): Promise<SwapWorld> {
  const org = given ?? (await loadOrg(db));
  const from = isoFromMs(Math.min(...slots.map((s) => instantMs(s.start))) - WORLD_MARGIN_MS);
  const to = isoFromMs(Math.max(...slots.map((s) => instantMs(s.end))) + WORLD_MARGIN_MS);
  const shifts = (await mapInTurn(org.teams, async (team) => expandShifts(team, await currentAssignments(db, team.id), await activeOverrides(db, team.id), from, to))).flat();
  return { teams: org.teams, members: new Map(org.members.map((m) => [m.id, m])), timeOff: org.timeOff, shifts };
}

async function namer(db: Db): Promise<(id: string) => string> {
  const names = await memberNames(db);
  return (id) => names.get(id) ?? id;
}

/**
 * A request as it stands now. One whose shift has begun is expired whether or
 * not the sweep (or the next write) has recorded it yet: reads never write.
 */
function asOfNow(ctx: ServiceContext, swap: SwapRequest): SwapRequest {
  if (!isDue(swap, nowOf(ctx))) return swap;
  const dueAt = swap.offered !== null && swap.offered.start < swap.start ? swap.offered.start : swap.start;
  return { ...swap, status: "expired", decidedAt: dueAt, decidedBy: actorLabel({ kind: "admin", via: "system" }) };
}

function toView(ctx: ServiceContext, stored: SwapRequest, name: (id: string) => string): SwapView {
  const person = (id: string | null) => (id === null ? null : { id, name: name(id) });
  const swap = asOfNow(ctx, stored);
  return {
    id: swap.id,
    status: swap.status,
    type: swap.type,
    team: swap.team,
    rotation: swap.rotation,
    start: swap.start,
    end: swap.end,
    requester: person(swap.requester)!,
    to: person(swap.to),
    offered: swap.offered,
    note: swap.note,
    taker: person(swap.taker),
    createdAt: swap.createdAt,
    decidedAt: swap.decidedAt,
    decidedBy: swap.decidedBy,
    url: `${ctx.config.publicUrl}/swaps/${swap.id}`,
  };
}

// ---------------------------------------------------------------- acting

type Acting = { member: string; onBehalfOf: string | null };

/** The member an action is for: the signed-in member, or whoever an admin names (`asMember`, else `fallback`). */
function acting(ctx: ServiceContext, asMember: string | undefined, fallback: string | null): Acting {
  const actor = ctx.actor;
  if (actor.kind === "member") {
    if (asMember !== undefined && asMember !== actor.memberId) throw forbidden("only an admin may act on another member's behalf");
    return { member: actor.memberId, onBehalfOf: null };
  }
  if (actor.kind === "admin") {
    const member = asMember ?? fallback;
    if (!member) throw invalid([{ path: "asMember", message: "an admin must name the member they act for" }]);
    return { member, onBehalfOf: member };
  }
  throw new BatonError("unauthenticated", "sign in first");
}

const decidedByOf = (ctx: ServiceContext, who: Acting) => (who.onBehalfOf ? `${actorLabel(ctx.actor)} for ${who.onBehalfOf}` : actorLabel(ctx.actor));

/** A failed eligibility check as an error: a rule the member cannot change is 403, a clash with the schedule 409. */
function refusal(check: Eligibility, lead: string, path: string): BatonError {
  const sentence = `${lead}: ${check.refusals.map((r) => r.message).join("; ")}`;
  const code = check.refusals.some((r) => FORBIDDING_RULES.has(r.rule)) ? "forbidden" : "conflict";
  return new BatonError(code, sentence, [{ path, message: sentence }]);
}

// ---------------------------------------------------------------- slots

function findTeam(org: StoredOrg, teamId: string, path: string): Team {
  const team = org.teams.find((t) => t.id === teamId);
  if (!team) throw invalid([{ path, message: `unknown team ${teamId}` }]);
  return team;
}

/** A slot from input, its team found from the rotation when the input leaves it out and only one team fits. */
function resolveSlot(org: StoredOrg, input: SlotInput, member: string, path: string, team?: string): Slot {
  let teamId = input.team ?? team;
  if (team !== undefined && input.team !== undefined && input.team !== team) {
    throw invalid([{ path: `${path}.team`, message: `must be ${team}, the team of the shift being swapped` }]);
  }
  if (teamId === undefined) {
    const withRotation = org.teams.filter((t) => t.rotations.some((r) => r.id === input.rotation));
    const mine = withRotation.filter((t) => t.rotations.some((r) => r.id === input.rotation && r.members.includes(member)));
    const fits = mine.length === 1 ? mine : withRotation;
    if (fits.length === 0) throw invalid([{ path: `${path}.rotation`, message: `no team has a rotation ${input.rotation}` }]);
    if (fits.length > 1) throw invalid([{ path: `${path}.team`, message: `rotation ${input.rotation} exists in ${fits.map((t) => t.id).join(", ")}; name the team` }]);
    teamId = fits[0]!.id;
  }
  const found = findTeam(org, teamId, `${path}.team`);
  if (!found.rotations.some((r) => r.id === input.rotation)) {
    throw invalid([{ path: `${path}.rotation`, message: `team ${teamId} has no rotation ${input.rotation}` }]);
  }
  if (input.end <= input.start) throw invalid([{ path: `${path}.end`, message: "must be after the start" }]);
  return { team: teamId, rotation: input.rotation, start: input.start, end: input.end };
}

function requireFuture(slot: Slot, now: string, path: string): void {
  if (slot.start <= now) throw invalid([{ path: `${path}.start`, message: "has already begun; a swap can only be for time still to come" }]);
}

function label(world: SwapWorld, slot: Slot): string {
  const team = world.teams.find((t) => t.id === slot.team);
  return `${team?.name ?? slot.team} · ${team?.rotations.find((r) => r.id === slot.rotation)?.name ?? slot.rotation}`;
}

/** The one member who holds a slot offered in a trade; refuses slots nobody or several people hold. */
function holderOf(world: SwapWorld, slot: Slot, path: string): string {
  const holder = soleHolder(world, slot);
  if (holder.kind === "nobody") throw invalid([{ path, message: `nobody is on call on ${label(world, slot)} then` }]);
  if (holder.kind === "several") throw invalid([{ path, message: `more than one member is on call on ${label(world, slot)} then; offer one member's shift` }]);
  return holder.member;
}

/** That `member` holds all of the slot, or the reason in words. */
function requireHolds(world: SwapWorld, slot: Slot, member: string, name: (id: string) => string, path: string): void {
  const held = holding(world, slot, member);
  switch (held.kind) {
    case "held":
      return;
    case "nobody":
      throw invalid([{ path, message: `nobody is on call on ${label(world, slot)} at that time` }]);
    case "someone-else":
      throw forbidden(`${held.holder ? name(held.holder) : "nobody"} is on call on ${label(world, slot)} then, not ${name(member)}; only the member on call may ask to swap it`);
    case "partly":
      throw invalid([
        { path, message: `${name(member)} is not on call for all of it: ${held.other ? name(held.other) : "nobody"} is from ${held.at}` },
      ]);
  }
}

// ---------------------------------------------------------------- expiry

/**
 * Marks every open request whose shift has begun as expired, and tells the
 * owner, who stays on call. Runs before every swap read and write, so that
 * nobody sees or accepts a stale request, and from a timer in the server.
 */
export async function expireDueSwaps(deps: SwapDeps): Promise<SwapView[]> {
  const now = nowOf(deps.ctx);
  if ((await dueSwaps(deps.ctx.db, now)).length === 0) return [];
  const system: ServiceContext = { ...deps.ctx, actor: { kind: "admin", via: "system" } };
  const expired = await inTransaction(system, async (w) => {
    const decided: SwapRequest[] = [];
    for (const swap of await dueSwaps(w.tx, now)) {
      const closed = await decideSwap(w, swap.id, { status: "expired" }, actorLabel(system.actor));
      if (closed) decided.push(closed);
    }
    return decided;
  });
  return Promise.all(expired.map((swap) => announce(deps, "swap.expired", swap)));
}

// ---------------------------------------------------------------- verbs

/** Opens a cover or trade request for (part of) the acting member's own future shift. */
export async function openSwap(deps: SwapDeps, input: OpenSwapInput): Promise<SwapView> {
  const { ctx } = deps;
  await expireDueSwaps(deps);
  const now = nowOf(ctx);
  const who = acting(ctx, input.asMember, null);
  const note = input.note?.trim() || null;
  if (input.type === "cover" && input.offered) throw invalid([{ path: "offered", message: "only a trade names a shift in return" }]);
  const created = await inTransaction(ctx, async (w) => {
      const org = await loadOrg(w.tx);
      const name = await namer(w.tx);
      const requester = who.member;
      if (!org.members.some((m) => m.id === requester)) throw invalid([{ path: "asMember", message: `unknown member ${requester}` }]);
      const slot = resolveSlot(org, input.shift, requester, "shift");
      requireFuture(slot, now, "shift");
      const offered = input.offered ? resolveSlot(org, input.offered, requester, "offered", slot.team) : null;
      if (offered) requireFuture(offered, now, "offered");
      const world = await loadWorld(w.tx, offered ? [slot, offered] : [slot], org);
      requireHolds(world, slot, requester, name, "shift");
      const duplicate = (await overlappingOpenSwaps(w.tx, { requester, ...slot }))[0];
      if (duplicate) throw conflict(`${name(requester)} already asked for this time in request #${duplicate.id}; cancel that one first`);

      let to = input.to ?? null;
      if (to !== null && !world.members.has(to)) throw invalid([{ path: "to", message: `unknown member ${to}` }]);
      if (to === requester) throw invalid([{ path: "to", message: "cannot be the member asking" }]);
      if (offered) {
        if (offered.rotation === slot.rotation && offered.start < slot.end && slot.start < offered.end) {
          throw invalid([{ path: "offered", message: "overlaps the shift being given away" }]);
        }
        const holder = holderOf(world, offered, "offered");
        if (holder === requester) throw invalid([{ path: "offered", message: "is the asking member's own shift; name a shift of the member you trade with" }]);
        if (to !== null && holder !== to) throw invalid([{ path: "offered", message: `${name(to)} is not on call then; ${name(holder)} is` }]);
        to = holder;
        const back = eligibility(world, offered, requester, { requester: holder, givingAway: slot });
        if (!back.eligible) throw refusal(back, `${name(requester)} cannot take that shift in return`, "offered");
      }
      if (to !== null) {
        const check = eligibility(world, slot, to, { requester, givingAway: offered });
        if (!check.eligible) throw refusal(check, `${name(to)} cannot take this shift`, "to");
      }
      const swap = await insertSwap(
            w,
            { ...slot, requester, type: input.type, to, offered: offered ? { rotation: offered.rotation, start: offered.start, end: offered.end } : null, note },
            who.onBehalfOf,
          );
      return swap;
    });
  return announce(deps, "swap.opened", created);
}

/**
 * Takes a request: in one transaction it checks that the request is still
 * open and the taker eligible, closes it, and writes the override(s) that put
 * the taker (and, for a trade, the requester) on call. Two accepts of one
 * request serialise on the write lock; the second finds it closed: 409.
 */
export async function acceptSwap(deps: SwapDeps, id: number, input: AcceptSwapInput): Promise<SwapView> {
  const { ctx } = deps;
  await expireDueSwaps(deps);
  const now = nowOf(ctx);
  // The accepted swap counts in the ledger at once, so the team is re-planned with it in the same transaction:
  // a payback the ledger now asks for is planned here, not by whatever re-plan (a restart) comes next.
  const accepted = await useCase(ctx, async (ctx) => {
    const decision = await inTransaction(ctx, async (w) => {
      const swap = await findSwap(w.tx, id);
      if (!swap) throw notFound(`swap request ${id}`);
      nextStatus(swap, "accept");
      const name = await namer(w.tx);
      const who = acting(ctx, input.asMember, swap.to);
      if (isDue(swap, now)) throw conflict(`request #${id} expired: its shift began before anyone took it`);
      requirePermitted(swap, "accept", who.member, name);
      const org = await loadOrg(w.tx);
      const slot = slotOf(swap);
      let offered = offeredSlot(swap);
      if (swap.type === "cover" && input.offered) throw invalid([{ path: "offered", message: "only a trade takes a shift in return" }]);
      if (swap.type === "trade" && offered && input.offered) {
        throw invalid([{ path: "offered", message: `${name(swap.requester)} already named the shift in return` }]);
      }
      const newlyOffered = swap.type === "trade" && !offered;
      if (newlyOffered) {
        if (!input.offered) throw invalid([{ path: "offered", message: "a trade needs the shift you give in return" }]);
        offered = resolveSlot(org, input.offered, who.member, "offered", swap.team);
        requireFuture(offered, now, "offered");
        if (offered.rotation === slot.rotation && offered.start < slot.end && slot.start < offered.end) {
          throw invalid([{ path: "offered", message: "overlaps the shift being given away" }]);
        }
      }
      const world = await loadWorld(w.tx, offered ? [slot, offered] : [slot], org);
      if (holding(world, slot, swap.requester).kind !== "held") {
        throw conflict(`${name(swap.requester)} is no longer on call for all of request #${id} (the schedule changed since it was made); it cannot be accepted`);
      }
      if (offered && holding(world, offered, who.member).kind !== "held") {
        const path = "offered";
        const message = `${name(who.member)} is not on call for all of the shift offered in return`;
        if (newlyOffered) throw invalid([{ path, message }]);
        throw conflict(`${message} (the schedule changed since the request was made)`);
      }
      const check = eligibility(world, slot, who.member, { requester: swap.requester, givingAway: offered });
      if (!check.eligible) throw refusal(check, `${name(who.member)} cannot take this shift`, "asMember");
      const back = offered ? eligibility(world, offered, swap.requester, { requester: who.member, givingAway: slot }) : null;
      if (back && !back.eligible) throw refusal(back, `${name(swap.requester)} cannot take the shift offered in return`, "offered");

      const decided = await decideSwap(
            w,
            id,
            {
              status: "accepted",
              taker: who.member,
              ...(newlyOffered && offered ? { offered: { rotation: offered.rotation, start: offered.start, end: offered.end } } : {}),
              onBehalfOf: who.onBehalfOf,
              details: { warnings: [...check.warnings, ...(back?.warnings ?? [])] },
            },
            decidedByOf(ctx, who),
          );
      if (!decided) throw conflict(`request #${id} was decided by someone else a moment ago; it is no longer open`);
      await insertOverride(w, { ...slot, member: who.member, replacedMember: swap.requester, source: "swap", swapId: id });
      if (offered) await insertOverride(w, { ...offered, member: swap.requester, replacedMember: who.member, source: "swap", swapId: id });
      const why = `swap request #${id} accepted`;
      const handovers: Handover[] = [
        { team: swap.team, rotation: slot.rotation, start: slot.start, end: slot.end, from: swap.requester, to: who.member, source: "swap", why },
        ...(offered
          ? [{ team: swap.team, rotation: offered.rotation, start: offered.start, end: offered.end, from: who.member, to: swap.requester, source: "swap" as const, why }]
          : []),
      ];
      return { decided, handovers };
    });
    ctx.changed({ teams: [decision.decided.team], handovers: decision.handovers });
    // The giver may now be free, and the taker busy, in the other teams they belong to: those re-plan too.
    const people = [decision.decided.requester, decision.decided.taker].filter((m): m is string => m !== null);
    await followChange(ctx, [decision.decided.team, ...(await teamsOf(ctx, people))]);
    return decision;
  });
  return announce(deps, "swap.accepted", accepted.decided);
}

/** The named member says no; a request open to everyone cannot be declined. */
export function declineSwap(deps: SwapDeps, id: number, input: { asMember?: string | undefined }): Promise<SwapView> {
  return close(deps, id, "decline", input.asMember);
}

/** The owner withdraws an open request. */
export function cancelSwap(deps: SwapDeps, id: number, input: { asMember?: string | undefined }): Promise<SwapView> {
  return close(deps, id, "cancel", input.asMember);
}

async function close(deps: SwapDeps, id: number, action: "decline" | "cancel", asMember: string | undefined): Promise<SwapView> {
  const { ctx } = deps;
  await expireDueSwaps(deps);
  const closed = await inTransaction(ctx, async (w) => {
      const swap = await findSwap(w.tx, id);
      if (!swap) throw notFound(`swap request ${id}`);
      const status = nextStatus(swap, action);
      const name = await namer(w.tx);
      const who = acting(ctx, asMember, action === "cancel" ? swap.requester : swap.to);
      requirePermitted(swap, action, who.member, name);
      const decided = await decideSwap(w, id, { status: status as "declined" | "cancelled", onBehalfOf: who.onBehalfOf }, decidedByOf(ctx, who));
      if (!decided) throw conflict(`request #${id} was decided by someone else a moment ago; it is no longer open`);
      return decided;
    });
  return announce(deps, action === "cancel" ? "swap.cancelled" : "swap.declined", closed);
}

export async function listSwapViews(deps: SwapDeps, filter: SwapFilter): Promise<{ swaps: SwapView[] }> {
  const name = await namer(deps.ctx.db);
  // An open request may read as expired (see asOfNow): those two statuses are told apart after reading.
  const { status, ...rest } = filter;
  const rows = await listSwaps(deps.ctx.db, status === "open" || status === "expired" ? rest : filter);
  const views = rows.map((s) => toView(deps.ctx, s, name));
  return { swaps: status ? views.filter((v) => v.status === status) : views };
}

export type SwapDetail = SwapView & {
  /** On-call minutes the request hands over (for a windowed rotation, only the windows). */
  minutes: number | null;
  /** While open: each possible taker and whether the rules let them, with warnings. */
  eligibility: Eligibility[];
  /** For a trade whose return shift is known: whether the requester may take it. */
  requesterEligibility: Eligibility | null;
};

/** A request with, while it is open, who may take it and why not, as shown before anyone clicks. */
export async function getSwap(deps: SwapDeps, id: number): Promise<SwapDetail> {
  const { db } = deps.ctx;
  const stored = await findSwap(db, id);
  if (!stored) throw notFound(`swap request ${id}`);
  const swap = asOfNow(deps.ctx, stored);
  const name = await namer(db);
  const slot = slotOf(swap);
  const offered = offeredSlot(swap);
  const world = await loadWorld(db, offered ? [slot, offered] : [slot]);
  const held = holding(world, slot, swap.status === "accepted" && swap.taker ? swap.taker : swap.requester);
  const detail: SwapDetail = {
    ...toView(deps.ctx, swap, name),
    minutes: held.kind === "held" ? held.minutes : null,
    eligibility: [],
    requesterEligibility: null,
  };
  if (swap.status !== "open") return detail;
  const team = world.teams.find((t) => t.id === swap.team);
  const candidates = swap.to !== null ? [swap.to] : team ? candidatesFor(team, swap.rotation, swap.requester) : [];
  detail.eligibility = candidates.map((c) => eligibility(world, slot, c, { requester: swap.requester, givingAway: offered }));
  if (offered && swap.to) detail.requesterEligibility = eligibility(world, offered, swap.requester, { requester: swap.to, givingAway: slot });
  return detail;
}

/** Open requests a member could take: asked of them by name, or open to their rotation. */
export async function swapsWaitingFor(deps: SwapDeps, member: string): Promise<{ swap: SwapView; check: Eligibility }[]> {
  const { db } = deps.ctx;
  const now = nowOf(deps.ctx);
  const org = await loadOrg(db);
  const name = await namer(db);
  const open = (await Promise.all(org.teams.map(async (team) =>
      (await openSwapsOf(db, team.id)).filter(
        (s) => !isDue(s, now) && s.requester !== member && (s.to === member || (s.to === null && mayHold(team, s.rotation, member))),
      ),
    ))).flat();
  if (open.length === 0) return [];
  const world = await loadWorld(db, open.flatMap((s) => [slotOf(s), ...(s.offered ? [offeredSlot(s)!] : [])]), org);
  return open
    .sort((a, b) => (a.start < b.start ? -1 : 1))
    .map((s) => ({ swap: toView(deps.ctx, s, name), check: eligibility(world, slotOf(s), member, { requester: s.requester, givingAway: offeredSlot(s) }) }));
}

/**
 * A member's shifts (after swaps) in every team that have not ended and start
 * within `days`, whole: one in progress keeps its real start, so its id names
 * the shift as the feeds do.
 */
export async function upcomingShifts(ctx: ServiceContext, member: string, days: number): Promise<Shift[]> {
  const now = nowOf(ctx);
  const from = isoFromMs(instantMs(now) - WORLD_MARGIN_MS);
  const until = isoFromMs(instantMs(now) + days * 86_400_000);
  const org = await loadOrg(ctx.db);
  return (await Promise.all(org.teams
      .map(async (team) => expandShifts(team, await currentAssignments(ctx.db, team.id), await activeOverrides(ctx.db, team.id), from, isoFromMs(instantMs(until) + WORLD_MARGIN_MS))))).flat()
    .filter((s) => s.member === member && s.end > now && s.start < until)
    .sort((a, b) => (a.start < b.start ? -1 : a.start > b.start ? 1 : 0));
}

export type SwapFormContext = {
  slot: Slot;
  teamName: string;
  rotationName: string;
  /** Who could take the whole shift, for the "ask one member" choice. */
  candidates: (Eligibility & { name: string })[];
  /** Other members' coming shifts in the same team, to name one in return for a trade. */
  tradeable: (Shift & { name: string })[];
};

/** What the swap form needs for one of the member's shifts; refuses a shift that is not theirs. */
export async function swapFormContext(ctx: ServiceContext, member: string, shiftId: string): Promise<SwapFormContext> {
  const parsed = parseShiftId(shiftId);
  if (!parsed) throw invalid([{ path: "shift", message: "is not a shift id; open the form from a shift on /me" }]);
  const org = await loadOrg(ctx.db);
  const team = org.teams.find((t) => t.id === parsed.team);
  const rotation = team?.rotations.find((r) => r.id === parsed.rotation);
  if (!team || !rotation) throw notFound(`shift ${shiftId}`);
  const name = await namer(ctx.db);
  const world = await loadWorld(ctx.db, [parsed], org);
  requireHolds(world, parsed, member, name, "shift");
  const now = nowOf(ctx);
  const horizon = isoFromMs(instantMs(parsed.end) + 6 * 7 * 86_400_000);
  const tradeable = expandShifts(team, await currentAssignments(ctx.db, team.id), await activeOverrides(ctx.db, team.id), now, horizon)
    .filter((s) => s.member !== null && s.member !== member && s.start > now)
    .map((s) => ({ ...s, name: name(s.member!) }));
  return {
    slot: parsed,
    teamName: team.name,
    rotationName: rotation.name,
    candidates: candidatesFor(team, rotation.id, member).map((c) => ({ ...eligibility(world, parsed, c, { requester: member }), name: name(c) })),
    tradeable,
  };
}

// ---------------------------------------------------------------- notifications

/** Slack reads `&`, `<` and `>` as markup in `text`. */

function eventText(event: SwapEventName, view: SwapView, org: StoredOrg): string {
  const team = org.teams.find((t) => t.id === view.team);
  const zone = team?.timeZone ?? "UTC";
  const rotationName = (id: string) => team?.rotations.find((r) => r.id === id)?.name ?? id;
  const when = (s: { rotation: string; start: string; end: string }) =>
    `${team?.name ?? view.team} · ${rotationName(s.rotation)}, ${localTime(s.start, zone)} to ${localTime(s.end, zone)}`;
  const requester = view.requester.name;
  const shift = when(view);
  const sentence = (() => {
    switch (event) {
      case "swap.opened":
        return `${requester} asks for ${view.type === "cover" ? "cover" : "a trade"}: ${shift}${view.to ? `, asking ${view.to.name}` : ""}${view.offered ? `, in return for ${when(view.offered)}` : ""}.`;
      case "swap.accepted":
        return view.offered
          ? `${view.taker?.name} and ${requester} traded: ${view.taker?.name} takes ${shift}; ${requester} takes ${when(view.offered)}.`
          : `${view.taker?.name} covers ${requester}: ${shift}.`;
      case "swap.declined":
        return `${view.to?.name} declined ${requester}'s request: ${shift}.`;
      case "swap.cancelled":
        return `${requester} cancelled the request: ${shift}.`;
      case "swap.expired":
        return `Nobody took ${requester}'s request before it began: ${shift}. ${requester} stays on call.`;
    }
  })();
  const note = view.note ? ` Note: “${view.note}”` : "";
  return slackEscape(`${sentence}${note}`) + ` <${view.url}|Request #${view.id}>`;
}

async function announce(deps: SwapDeps, event: SwapEventName, swap: SwapRequest): Promise<SwapView> {
  const { ctx } = deps;
  const view = toView(ctx, swap, await namer(ctx.db));
  deps.notify({ event, at: nowOf(ctx), text: eventText(event, view, await loadOrg(ctx.db)), swap: view });
  return view;
}
