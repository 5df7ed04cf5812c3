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

/** A span of some rotations' schedule, ISO instants. */
export type Span = { start: string; end: string; rotations: readonly string[] };

/**
 * Every instant at which something in the history changed, oldest first,
 * once each, with the span of the schedule the rows changed then cover, or
 * null when the team's configuration changed (which can move every slot).
 */
export function changeInstants(history: ScheduleHistory): { at: string; span: Span | null }[] {
  const spans = new Map<string, Span | null>();
  const touch = (at: string, span: Span | null) => {
    if (!spans.has(at)) return void spans.set(at, span);
    const seen = spans.get(at)!;
    spans.set(
      at,
      seen === null || span === null
        ? null
        : {
            start: seen.start < span.start ? seen.start : span.start,
            end: seen.end > span.end ? seen.end : span.end,
            rotations: [...new Set([...seen.rotations, ...span.rotations])],
          },
    );
  };
  for (const v of history.versions) touch(v.recordedAt, null);
  for (const a of history.assignments) {
    const span = { start: a.weekStart, end: a.weekEnd, rotations: [a.rotation] };
    touch(a.recordedAt, span);
    if (a.supersededAt !== null) touch(a.supersededAt, span);
  }
  for (const o of history.overrides) {
    const span = { start: o.start, end: o.end, rotations: [o.rotation] };
    touch(o.recordedAt, span);
    if (o.cancelledAt !== null) touch(o.cancelledAt, span);
  }
  return [...spans].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([at, span]) => ({ at, span }));
}

/** An instant at which a slot in feed range changed hands or times, appeared or went away, and whom it concerned. */
export type SlotChange = { at: string; members: string[] };

/**
 * The schedule after one recorded change: every shift in feed range, or with
 * a `region`, only the shifts there (in its rotations, between its instants)
 * are new, the change touched nothing else, and `shifts` need only be right there.
 */
export type ReplayStep = { at: string; region?: Span | null; shifts: readonly SlottedShift[] };

/**
 * The state every slot is published with, replayed over the schedule as it
 * stood after each recorded change: SEQUENCE rises by one and LAST-MODIFIED
 * becomes the change's instant each time a slot's member or times differ from
 * the step before, and nothing else moves them. A slot that leaves the
 * schedule keeps its state, so coming back raises its SEQUENCE rather than
 * starting again at 0. The same history gives the same states on every read
 * and after every restart.
 */
export function replaySlots(steps: Iterable<ReplayStep>): { states: Map<string, SlotState>; changes: SlotChange[] } {
  const states = new Map<string, SlotState>();
  const changes: SlotChange[] = [];
  const shown = new Map<string, { rotation: string; start: string; end: string; member: string }>();
  const inRegion = (region: Span | null, s: { rotation: string; start: string; end: string }) =>
    region === null || (region.rotations.includes(s.rotation) && s.start < region.end && region.start < s.end);
  for (const { at, region = null, shifts } of steps) {
    const fresh = shifts.filter((s) => inRegion(region, s));
    const { states: now, revised } = reviseSlots(states, fresh, at);
    for (const [key, state] of now) states.set(key, state);
    const freshKeys = new Map(fresh.map((s) => [slotStateKey(s.rotation, s.slot), s]));
    const concerned = new Set(revised.map((r) => r.member));
    for (const r of revised) {
      const before = shown.get(slotStateKey(r.rotation, r.slot));
      if (before !== undefined) concerned.add(before.member);
    }
    for (const [key, s] of shown) {
      if (!inRegion(region, s) || freshKeys.has(key)) continue;
      concerned.add(s.member);
      shown.delete(key);
    }
    for (const [key, s] of freshKeys) {
      if (!shown.has(key)) concerned.add(s.member);
      shown.set(key, { rotation: s.rotation, start: s.start, end: s.end, member: s.member });
    }
    if (concerned.size > 0) changes.push({ at, members: [...concerned] });
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
