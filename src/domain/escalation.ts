import type { EscalationTarget, Team } from "./org-file";
import type { Shift } from "./types";

/** What escalation needs to know about one team at one instant. */
export type TeamAtInstant = {
  team: Team;
  /** Shifts in force at the instant, in rotation order (several in an overlap). */
  oncall: Shift[];
  /** Who holds a rotation's next assignment after the instant (after overrides), or null. */
  nextOncall: (rotation: string) => string | null;
};

export type ResolvedTarget = EscalationTarget & { members: string[]; note?: string };
export type ResolvedLevel = { level: number; afterMinutes: number; members: string[]; targets: ResolvedTarget[] };
export type ResolvedEscalation = { repeat: number; levels: ResolvedLevel[] };

const unique = (ids: (string | null)[]) => [...new Set(ids.filter((id): id is string => id !== null))];

/**
 * The escalation chain of a team resolved to people at an instant. A `team`
 * target pages that team's level-1 people; `visiting` guards against teams that
 * escalate to each other, so a loop ends instead of recursing forever.
 */
export function resolveEscalation(
  teamId: string,
  view: (teamId: string) => TeamAtInstant | null,
  visiting: ReadonlySet<string> = new Set(),
  levelCount = Infinity,
): ResolvedEscalation | null {
  const here = view(teamId);
  if (!here) return null;
  const path = new Set([...visiting, teamId]);
  const levels = here.team.escalation.levels.slice(0, levelCount).map((level, i): ResolvedLevel => {
    const targets = level.targets.map((target) => resolveTarget(target, here, view, path));
    return { level: i + 1, afterMinutes: level.afterMinutes, members: unique(targets.flatMap((t) => t.members)), targets };
  });
  return { repeat: here.team.escalation.repeat, levels };
}

function resolveTarget(
  target: EscalationTarget,
  here: TeamAtInstant,
  view: (teamId: string) => TeamAtInstant | null,
  path: ReadonlySet<string>,
): ResolvedTarget {
  switch (target.type) {
    case "oncall": {
      const shifts = here.oncall.filter((s) => !target.rotation || s.rotation === target.rotation);
      return { ...target, members: unique(shifts.map((s) => s.member)) };
    }
    case "next-oncall": {
      const rotations = target.rotation ? [target.rotation] : activeRotations(here);
      return { ...target, members: unique(rotations.map((r) => here.nextOncall(r))) };
    }
    case "member":
      return { ...target, members: [target.member] };
    case "team": {
      if (path.has(target.team)) {
        return { ...target, members: [], note: `loop: ${target.team} already escalates to this chain` };
      }
      // Only the other team's first level is paged, so only it is resolved.
      const other = resolveEscalation(target.team, view, path, 1);
      if (!other) return { ...target, members: [], note: `team ${target.team} is retired or unknown` };
      return { ...target, members: other.levels[0]?.members ?? [] };
    }
  }
}

/** Rotations on call now, or every rotation of the team when nobody is (so "next" still names someone). */
function activeRotations(here: TeamAtInstant): string[] {
  const active = unique(here.oncall.map((s) => s.rotation));
  return active.length > 0 ? active : here.team.rotations.map((r) => r.id);
}
