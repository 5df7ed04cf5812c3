import { reviseSlots, slotStateKey, type SlotState, type SlottedShift } from "./feed";
import type { Team } from "./org-file";
import { isoFromMs } from "./time";
import type { Assignment, Override } from "./types";

/**
 * A team's schedule as the write paths recorded it: rows are superseded or
 * cancelled, never rewritten, and each configuration is kept from the instant
 * it was recorded. Calendar feeds derive every event's SEQUENCE and
 * LAST-MODIFIED from this alone, so serving a feed stores nothing.
 */
export type ScheduleHistory = {
  versions: readonly { recordedAt: string; team: Team | null }[];
  assignments: readonly (Assignment & { recordedAt: string; supersededAt: string | null })[];
  overrides: readonly (Override & { recordedAt: string; cancelledAt: string | null })[];
};

/** The schedule as it stood at `at`; `team` undefined when no configuration was recorded by then, null once retired. */
export type ScheduleAsOf = { team: Team | null | undefined; assignments: Assignment[]; overrides: Override[] };

const inForce = (at: string, from: string, until: string | null) => from <= at && (until === null || until > at);

export function scheduleAsOf(history: ScheduleHistory, at: string): ScheduleAsOf {
  let team: Team | null | undefined;
  for (const v of history.versions) if (v.recordedAt <= at) team = v.team;
  return {
    team,
    assignments: history.assignments.filter((a) => inForce(at, a.recordedAt, a.supersededAt)),
    overrides: history.overrides.filter((o) => inForce(at, o.recordedAt, o.cancelledAt)),
  };
}

/** Every instant at which something in the history changed, oldest first, once each. */
export function changeInstants(history: ScheduleHistory): string[] {
  const instants = new Set<string>();
  for (const v of history.versions) instants.add(v.recordedAt);
  for (const a of history.assignments) {
    instants.add(a.recordedAt);
    if (a.supersededAt !== null) instants.add(a.supersededAt);
  }
  for (const o of history.overrides) {
    instants.add(o.recordedAt);
    if (o.cancelledAt !== null) instants.add(o.cancelledAt);
  }
  return [...instants].sort();
}

/** An instant at which a slot in feed range changed hands or times, appeared or went away, and whom it concerned. */
export type SlotChange = { at: string; members: string[] };

/**
 * The state every slot is published with, replayed over the schedule as it
 * stood after each recorded change: SEQUENCE rises by one and LAST-MODIFIED
 * becomes the change's instant each time a slot's member or times differ from
 * the step before, and nothing else moves them. A slot that leaves the
 * schedule keeps its state, so coming back raises its SEQUENCE rather than
 * starting again at 0. The same history gives the same states on every read
 * and after every restart.
 */
export function replaySlots(steps: Iterable<{ at: string; shifts: readonly SlottedShift[] }>): { states: Map<string, SlotState>; changes: SlotChange[] } {
  const states = new Map<string, SlotState>();
  const changes: SlotChange[] = [];
  let shown = new Map<string, string>();
  for (const { at, shifts } of steps) {
    const { states: now, revised } = reviseSlots(states, shifts, at);
    for (const [key, state] of now) states.set(key, state);
    const visible = new Map(shifts.map((s) => [slotStateKey(s.rotation, s.slot), s.member]));
    const concerned = new Set(revised.map((r) => r.member));
    for (const r of revised) {
      const before = shown.get(slotStateKey(r.rotation, r.slot));
      if (before !== undefined) concerned.add(before);
    }
    for (const [key, member] of shown) if (!visible.has(key)) concerned.add(member);
    for (const [key, member] of visible) if (!shown.has(key)) concerned.add(member);
    if (concerned.size > 0) changes.push({ at, members: [...concerned] });
    shown = visible;
  }
  return { states, changes };
}

/** Something a feed's body depends on changed at `at`; changes with the same key are the same change. */
export type BodyChange = { key: string; at: string };

/**
 * A feed's Last-Modified from the changes its body depends on: the latest of
 * them, at the resolution of HTTP dates, but a second past the one before
 * when two fall within the same second, so that a client asking
 * If-Modified-Since never misses the second one.
 */
export function feedLastModified(changes: readonly BodyChange[]): string {
  const distinct = new Map<string, string>();
  for (const c of changes) distinct.set(c.key, c.at);
  const instants = [...distinct.values()].map((at) => Math.floor(Date.parse(at) / 1000) * 1000).sort((a, b) => a - b);
  let last = 0;
  for (const at of instants) last = Math.max(at, last + 1000);
  return isoFromMs(last);
}
