import type { Db } from "../db/open";
import { allMembers, loadOrg, teamAsOf, teamMembership, type StoredOrg } from "../db/org-store";
import type { MemberSpell } from "../domain/membership";
import { activeOverrides, assignmentsAsOf, currentAssignments, lastScheduleChange, overridesAsOf } from "../db/schedule-store";
import type { Member, Team } from "../domain/org-file";
import { buildTimeline, type TeamTimeline } from "../domain/oncall";
import { expandShifts } from "../domain/shifts";
import type { Assignment, Override } from "../domain/types";
import type { ChangeNotice } from "./context";

/** A lookup answer that holds from `from` until `until`, with its JSON around `at` made once. */
type CachedAnswer = { from: string; until: string | null; answer: unknown; json: { head: string; tail: string } | null };

type TeamEntry = { timeline: TeamTimeline; overrides: Override[]; lastChangeAt: string | null };

export function timelineOf(team: Team, assignments: readonly Assignment[], overrides: readonly Override[]): TeamTimeline {
  if (assignments.length === 0) return buildTimeline(team, [], []);
  const from = assignments.reduce((min, a) => (a.weekStart < min ? a.weekStart : min), assignments[0]!.weekStart);
  const to = assignments.reduce((max, a) => (a.weekEnd > max ? a.weekEnd : max), assignments[0]!.weekEnd);
  return buildTimeline(team, expandShifts(team, assignments, overrides, from, to), assignments);
}

/**
 * The stored shifts of every team, expanded once and kept in memory so that a
 * lookup is a binary search rather than a rota computation. Every write drops
 * what it touched. An instant before a team's last schedule change is answered
 * from the stored history as it stood then, not from today's rows.
 */
export class OncallIndex {
  private org: StoredOrg | null = null;
  private members: Map<string, Member> | null = null;
  private teamsById: Map<string, Team> | null = null;
  private readonly teams = new Map<string, TeamEntry>();
  private readonly answers = new Map<string, CachedAnswer>();
  /**
   * Bumped by every invalidation. A load that awaited the database across one
   * read rows from before the write, so it is answered but not kept.
   */
  private generation = 0;

  constructor(private readonly db: Db) {}

  /** The current generation: pass it back to `cacheAnswer` for an answer worked out from here on. */
  get version(): number {
    return this.generation;
  }

  invalidate(notice: ChangeNotice): void {
    this.generation++;
    // Answers cross teams through escalation, so any write drops them all.
    this.answers.clear();
    if (notice.all || notice.members) {
      this.org = null;
      this.members = null;
      this.teamsById = null;
      this.teams.clear();
      return;
    }
    for (const team of notice.teams ?? []) this.teams.delete(team);
  }

  /** A lookup answer computed earlier that still holds at `at`: current history, same shifts everywhere it looked. */
  cachedAnswer(team: Team, at: string): CachedAnswer | null {
    const cached = this.answers.get(team.id);
    if (!cached || at < cached.from || (cached.until !== null && at >= cached.until)) return null;
    return cached;
  }

  cacheAnswer(team: Team, at: string, until: string | null, answer: unknown, since: number): void {
    if (since === this.generation) this.answers.set(team.id, { from: at, until, answer, json: null });
  }

  /** `load`'s value, kept by `keep` only if no invalidation came while it ran. */
  private async loaded<T>(load: () => Promise<T>, keep: (value: T) => void): Promise<T> {
    const since = this.generation;
    const value = await load();
    if (since === this.generation) keep(value);
    return value;
  }

  /** Whether `at` is answered from the rows in force now rather than from history. */
  async isCurrent(team: Team, at: string): Promise<boolean> {
    const lastChangeAt = (await this.entry(team)).lastChangeAt;
    return lastChangeAt === null || at >= lastChangeAt;
  }

  async currentOrg(): Promise<StoredOrg> {
    return this.org ?? this.loaded(() => loadOrg(this.db), (org) => (this.org = org));
  }

  /** Every member, retired ones included, since answers about the past name them. */
  async memberMap(): Promise<ReadonlyMap<string, Member>> {
    return this.members ?? this.loaded(async () => new Map((await allMembers(this.db)).map((m) => [m.id, m])), (members) => (this.members = members));
  }

  async team(teamId: string): Promise<Team | undefined> {
    const byId = this.teamsById ?? (await this.loaded(async () => new Map((await this.currentOrg()).teams.map((t) => [t.id, t])), (map) => (this.teamsById = map)));
    return byId.get(teamId);
  }

  /** `team(teamId)` without waiting: undefined also when the teams are not loaded yet. */
  heldTeam(teamId: string): Team | undefined {
    return this.teamsById?.get(teamId);
  }

  private async entry(team: Team): Promise<TeamEntry> {
    return (
      this.teams.get(team.id) ??
      this.loaded(
        async () => {
          const overrides = await activeOverrides(this.db, team.id);
          return { timeline: timelineOf(team, await currentAssignments(this.db, team.id), overrides), overrides, lastChangeAt: await lastScheduleChange(this.db, team.id) };
        },
        (entry) => this.teams.set(team.id, entry),
      )
    );
  }

  /**
   * The team as it was configured at `at`: today's team unless it changed
   * since, else the stored version of then. A team retired since is still
   * found for instants before its retirement.
   */
  async teamAt(teamId: string, at: string): Promise<Team | undefined> {
    const current = await this.team(teamId);
    if (current && await this.isCurrent(current, at)) return current;
    const then = await teamAsOf(this.db, teamId, at);
    return then === undefined ? current : (then ?? undefined);
  }

  /** Who belonged to which of the team's rotations when, from its stored versions: what fair shares are counted from. */
  membership(team: Team): Promise<MemberSpell[]> {
    return teamMembership(this.db, team);
  }

  /** The team's overrides in force now. */
  async overrides(team: Team): Promise<readonly Override[]> {
    return (await this.entry(team)).overrides;
  }

  /** The team's timeline as it stands now, whatever instant is asked about later. */
  async current(team: Team): Promise<TeamTimeline> {
    return (await this.entry(team)).timeline;
  }

  /** The team's timeline as it was known at `at` (ISO Z). */
  async timeline(team: Team, at: string): Promise<TeamTimeline> {
    if (await this.isCurrent(team, at)) return (await this.entry(team)).timeline;
    return timelineOf(team, await assignmentsAsOf(this.db, team.id, at), await overridesAsOf(this.db, team.id, at));
  }
}
