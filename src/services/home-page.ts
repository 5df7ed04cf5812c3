import type { DateTime } from "luxon";
import { analyseCoverage, uncoveredWhilePlanned } from "../domain/coverage";
import { addDays, localDate, toIsoZ } from "../domain/time";
import { oncallForTeam, type OncallAnswer } from "./oncall";
import type { OncallIndex } from "./oncall-index";
import { COVERAGE_DAYS } from "./team-page";

export type TeamSummary = {
  id: string;
  name: string;
  timeZone: string;
  rotations: Map<string, string>;
  oncall: OncallAnswer["oncall"];
  nextHandoff: string | null;
  /** Planned instants nobody holds in the coming days: the warnings that need someone to act. */
  uncovered: { start: string; end: string }[];
  /** Gaps between regional windows that a region's extended window holds, and overlaps. */
  gaps: number;
  overlaps: number;
  /** Whether anything is planned at all. */
  planned: boolean;
};

/** Every team as the home page shows it: who is on call now, the next handoff and what needs attention. */
export async function homePageData(index: OncallIndex, now: DateTime): Promise<{ now: string; teams: TeamSummary[] }> {
  const at = toIsoZ(now);
  const until = toIsoZ(now.plus({ days: COVERAGE_DAYS }));
  const teams = await Promise.all((await index.currentOrg()).teams.map(async (team) => {
      const answer = await oncallForTeam(index, team.id, at);
      const shifts = (await index.timeline(team, at)).rotations.flatMap((r) => r.shifts);
      const today = localDate(now, team.timeZone);
      const coverage = analyseCoverage(team, today, addDays(today, COVERAGE_DAYS - 1));
      return {
        id: team.id,
        name: team.name,
        timeZone: team.timeZone,
        rotations: new Map(team.rotations.map((r) => [r.id, r.name])),
        oncall: answer.oncall,
        nextHandoff: answer.nextHandoff,
        uncovered: uncoveredWhilePlanned(shifts, at, until),
        gaps: coverage.gaps.filter((g) => g.end > at).length,
        overlaps: coverage.overlaps.filter((o) => o.end > at).length,
        planned: shifts.some((s) => s.end > at),
      };
    }));
  return { now: at, teams };
}
