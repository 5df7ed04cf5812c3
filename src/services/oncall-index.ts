import type { Db } from "../db/open";
import { loadOrg, type StoredOrg } from "../db/org-store";
import { activeOverrides, assignmentsAsOf, currentAssignments, lastScheduleChange, overridesAsOf } from "../db/schedule-store";
import type { Member, Team } from "../domain/org-file";
import { buildTimeline, type TeamTimeline } from "../domain/oncall";
import { expandShifts } from "../domain/shifts";
import type { Assignment, Override } from "../domain/types";
import type { ChangeNotice } from "./context";

type TeamEntry = { timeline: TeamTimeline; overrides: Override[]; lastChangeAt: string | null };

function timelineOf(team: Team, assignments: readonly Assignment[], overrides: readonly Override[]): TeamTimeline {
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
  private readonly teams = new Map<string, TeamEntry>();

  constructor(private readonly db: Db) {}

  invalidate(notice: ChangeNotice): void {
    if (notice.all || notice.members) {
      this.org = null;
      this.members = null;
      this.teams.clear();
      return;
    }
    for (const team of notice.teams ?? []) this.teams.delete(team);
  }

  currentOrg(): StoredOrg {
    return (this.org ??= loadOrg(this.db));
  }

  memberMap(): ReadonlyMap<string, Member> {
    return (this.members ??= new Map(this.currentOrg().members.map((m) => [m.id, m])));
  }

  team(teamId: string): Team | undefined {
    return this.currentOrg().teams.find((t) => t.id === teamId);
  }

  private entry(team: Team): TeamEntry {
    let entry = this.teams.get(team.id);
    if (!entry) {
      const overrides = activeOverrides(this.db, team.id);
      entry = {
        timeline: timelineOf(team, currentAssignments(this.db, team.id), overrides),
        overrides,
        lastChangeAt: lastScheduleChange(this.db, team.id),
      };
      this.teams.set(team.id, entry);
    }
    return entry;
  }

  /** The team's overrides in force now. */
  overrides(team: Team): readonly Override[] {
    return this.entry(team).overrides;
  }

  /** The team's timeline as it stands now, whatever instant is asked about later. */
  current(team: Team): TeamTimeline {
    return this.entry(team).timeline;
  }

  /** The team's timeline as it was known at `at` (ISO Z). */
  timeline(team: Team, at: string): TeamTimeline {
    const entry = this.entry(team);
    if (entry.lastChangeAt === null || at >= entry.lastChangeAt) return entry.timeline;
    return timelineOf(team, assignmentsAsOf(this.db, team.id, at), overridesAsOf(this.db, team.id, at));
  }
}
