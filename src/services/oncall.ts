import { notFound } from "../domain/errors";
import { resolveEscalation, type ResolvedEscalation, type TeamAtInstant } from "../domain/escalation";
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

/**
 * The chain at an instant, and the first instant after it at which any team
 * the chain looked at hands over: until then the answer cannot change.
 */
async function escalationOf(index: OncallIndex, team: Team, at: string): Promise<{ escalation: ResolvedEscalation; stableUntil: string | null; fromHistory: boolean }> {
  let stableUntil: string | null = null;
  let fromHistory = false;
  // The chain is resolved by a pure function that asks for teams as it meets them: each round loads the
  // teams the last one asked for and missed, until a round asks for nothing new.
  const views = new Map<string, TeamAtInstant | null>();
  for (;;) {
    const missing = new Set<string>();
    const escalation = resolveEscalation(team.id, (teamId) => {
      if (!views.has(teamId)) missing.add(teamId);
      return views.get(teamId) ?? null;
    });
    if (missing.size === 0) return { escalation: escalation!, stableUntil, fromHistory };
    for (const teamId of missing) {
      const other = await index.teamAt(teamId, at);
      if (!other) {
        views.set(teamId, null);
        continue;
      }
      fromHistory ||= !(await index.isCurrent(other, at));
      const timeline = await index.timeline(other, at);
      const handoff = nextHandoff(timeline, at);
      if (handoff !== null && (stableUntil === null || handoff < stableUntil)) stableUntil = handoff;
      views.set(teamId, teamAtInstant(timeline, at));
    }
  }
}

/**
 * Who is on call in one team at an instant, with the escalation chain resolved
 * to people. The answer is kept until the next handoff of any team it looked
 * at (every write drops it), so alerting systems polling "now" pay for a
 * string copy, not a resolution.
 */
export async function oncallForTeam(index: OncallIndex, teamId: string, at: string): Promise<OncallAnswer> {
  const team = await index.teamAt(teamId, at);
  if (!team) throw notFound(`team ${teamId}`);
  const cached = index.cachedAnswer(team, at);
  if (cached) return { ...(cached.answer as OncallAnswer), at };
  const since = index.version;
  const { answer, stableUntil, fromHistory } = await resolveOncall(index, team, at);
  // Answers about the past are rare (incident reviews) and read history that later instants must not reuse.
  if (!fromHistory) index.cacheAnswer(team, at, stableUntil, answer, since);
  return answer;
}

/**
 * The same answer as `oncallForTeam`, as JSON text: a held answer is
 * serialised once and only its `at` is written per request.
 */
export async function oncallJson(index: OncallIndex, teamId: string, at: string): Promise<string> {
  const team = await index.team(teamId);
  if (!team) throw notFound(`team ${teamId}`);
  const held = heldOncallJson(index, team, at);
  if (held !== null) return held;
  const answer = await oncallForTeam(index, teamId, at);
  return heldOncallJson(index, team, at) ?? JSON.stringify(answer);
}

/** `oncallJson` from an answer the index holds, without waiting for anything; null when none holds at `at`. */
export function heldOncallJson(index: OncallIndex, team: Team, at: string): string | null {
  const cached = index.cachedAnswer(team, at);
  if (!cached) return null;
  if (cached.json === null) {
    const { team: _team, at: _at, ...rest } = cached.answer as OncallAnswer;
    cached.json = { head: `{"team":${JSON.stringify(team.id)},"at":"`, tail: `",${JSON.stringify(rest).slice(1)}` };
  }
  return cached.json.head + at + cached.json.tail;
}

async function resolveOncall(index: OncallIndex, team: Team, at: string) {
  const members = await index.memberMap();
  const timeline = await index.timeline(team, at);
  const here = teamAtInstant(timeline, at);
  const { escalation, stableUntil, fromHistory } = await escalationOf(index, team, at);
  const answer: OncallAnswer = {
    team: team.id,
    at,
    oncall: here.oncall.map((s) => ({ member: personOf(members, s.member!), rotation: s.rotation, start: s.start, end: s.end, source: s.source })),
    escalation: escalation.levels.map((l) => ({ level: l.level, afterMinutes: l.afterMinutes, members: l.members })),
    repeat: escalation.repeat,
    nextHandoff: nextHandoff(timeline, at),
    ...(here.oncall.length === 0 ? { warning: "nobody is on call: no planned shift covers this instant" } : {}),
  };
  return { answer, stableUntil, fromHistory };
}

export async function oncallForAll(index: OncallIndex, at: string): Promise<{ at: string; teams: OncallAnswer[] }> {
  return { at, teams: await Promise.all((await index.currentOrg()).teams.map((team) => oncallForTeam(index, team.id, at))) };
}

/** The escalation chain at an instant with every person's details and each target's own resolution. */
export async function escalationForTeam(index: OncallIndex, teamId: string, at: string) {
  const team = await index.teamAt(teamId, at);
  if (!team) throw notFound(`team ${teamId}`);
  const members = await index.memberMap();
  const { escalation } = await escalationOf(index, team, at);
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
