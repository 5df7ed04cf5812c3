import { slackEscape } from "./slack-text";
import { instantMs, isoFromMs } from "./time";
import type { Assignment } from "./types";

/**
 * A week, or part of one, changing hands: what the people affected are told
 * and what a dry run lists. Pure data and its wording; posting it is the
 * webhook adapter's job.
 */
export type Handover = {
  team: string;
  rotation: string;
  start: string;
  end: string;
  /** Who held it before; null when nobody was scheduled or nothing was planned. */
  from: string | null;
  /** Who holds it now; null when nobody can. */
  to: string | null;
  /** How it changed hands: the schedule (an import, a plan, a re-plan), an admin's override, or a swap. */
  source: "schedule" | "override" | "swap";
  why: string;
};

export type HandoverEvent = Handover & { event: "oncall.handover"; text: string };

/** The webhook body for one handover, with a Slack-compatible `text`. */
export function handoverEvent(handover: Handover, name: (memberId: string) => string): HandoverEvent {
  const who = (id: string | null) => (id === null ? "nobody" : name(id));
  const text = slackEscape(
    `${handover.team}/${handover.rotation} ${handover.start} – ${handover.end}: ${who(handover.from)} → ${who(handover.to)} (${handover.why})`,
  );
  return { event: "oncall.handover", ...handover, text };
}

type Held = { start: number; end: number; member: string | null; reason: string };

function heldBy(assignments: readonly Assignment[], rotation: string): Held[] {
  return assignments
    .filter((a) => a.rotation === rotation)
    .map((a) => ({ start: instantMs(a.weekStart), end: instantMs(a.weekEnd), member: a.member, reason: a.reason }))
    .sort((a, b) => a.start - b.start);
}

/**
 * What changed hands between two versions of a team's schedule, interval by
 * interval: where a week moved its boundaries, only the stretches whose
 * holder really differs are listed, each once, with the new holder's reason.
 */
export function handoversBetween(team: string, before: readonly Assignment[], after: readonly Assignment[]): Handover[] {
  const rotations = [...new Set([...before, ...after].map((a) => a.rotation))];
  const handovers: Handover[] = [];
  for (const rotation of rotations) {
    const old = heldBy(before, rotation);
    const now = heldBy(after, rotation);
    const cuts = [...new Set([...old, ...now].flatMap((h) => [h.start, h.end]))].sort((a, b) => a - b);
    const at = (held: Held[], t: number) => held.find((h) => h.start <= t && t < h.end);
    let open: Handover | null = null;
    for (let i = 0; i + 1 < cuts.length; i++) {
      const [start, end] = [cuts[i]!, cuts[i + 1]!];
      const was = at(old, start);
      const is = at(now, start);
      const from = was?.member ?? null;
      const to = is?.member ?? null;
      if (from === to) {
        open = null;
        continue;
      }
      const why = is ? is.reason : "no longer planned";
      if (open && open.end === isoFromMs(start) && open.from === from && open.to === to && open.why === why) {
        open.end = isoFromMs(end);
        continue;
      }
      open = { team, rotation, start: isoFromMs(start), end: isoFromMs(end), from, to, source: "schedule", why };
      handovers.push(open);
    }
  }
  return handovers;
}
