import { notFound } from "../domain/errors";
import { resolveEscalation, type ResolvedEscalation } from "../domain/escalation";
import type { Member, Team } from "../domain/org-file";
import { nextHandoff, teamAtInstant } from "../domain/oncall";
import type { Shift } from "../domain/types";
import type { OncallIndex } from "./oncall-index";

export type Person = { id: string; name: string; email: string; phone: string | null; timeZone: string };

export type OncallAnswer = {
  team: string;
  at: string;
  oncall: { member: Person; rotation: string; start: string; end: string; source: Shift["source"] }[];
  escalation: { level: number; afterMinutes: number; members: string[] }[];
  repeat: number;
  nextHandoff: string | null;
  /** Why `oncall` is empty, when it is: reported, never hidden. */
  warning?: string;
};

export function personOf(members: ReadonlyMap<string, Member>, id: string): Person {
  const m = members.get(id);
  return { id, name: m?.name ?? id, email: m?.email ?? "", phone: m?.phone ?? null, timeZone: m?.timeZone ?? "UTC" };
}

function escalationOf(index: OncallIndex, team: Team, at: string): ResolvedEscalation {
  const view = (teamId: string) => {
    const other = index.team(teamId);
    return other ? teamAtInstant(index.timeline(other, at), at) : null;
  };
  return resolveEscalation(team.id, view)!;
}

/** Who is on call in one team at an instant, with the escalation chain resolved to people. */
export function oncallForTeam(index: OncallIndex, teamId: string, at: string): OncallAnswer {
  const team = index.team(teamId);
  if (!team) throw notFound(`team ${teamId}`);
  const members = index.memberMap();
  const timeline = index.timeline(team, at);
  const here = teamAtInstant(timeline, at);
  const escalation = escalationOf(index, team, at);
  return {
    team: team.id,
    at,
    oncall: here.oncall.map((s) => ({ member: personOf(members, s.member!), rotation: s.rotation, start: s.start, end: s.end, source: s.source })),
    escalation: escalation.levels.map((l) => ({ level: l.level, afterMinutes: l.afterMinutes, members: l.members })),
    repeat: escalation.repeat,
    nextHandoff: nextHandoff(timeline, at),
    ...(here.oncall.length === 0 ? { warning: "nobody is on call: no planned shift covers this instant" } : {}),
  };
}

export function oncallForAll(index: OncallIndex, at: string): { at: string; teams: OncallAnswer[] } {
  return { at, teams: index.currentOrg().teams.map((team) => oncallForTeam(index, team.id, at)) };
}

/** The escalation chain at an instant with every person's details and each target's own resolution. */
export function escalationForTeam(index: OncallIndex, teamId: string, at: string) {
  const team = index.team(teamId);
  if (!team) throw notFound(`team ${teamId}`);
  const members = index.memberMap();
  const escalation = escalationOf(index, team, at);
  return {
    team: team.id,
    at,
    repeat: escalation.repeat,
    levels: escalation.levels.map((l) => ({
      level: l.level,
      afterMinutes: l.afterMinutes,
      members: l.members.map((id) => personOf(members, id)),
      targets: l.targets,
    })),
  };
}
