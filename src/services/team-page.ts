import { DateTime } from "luxon";
import { analyseCoverage, uncoveredWhilePlanned } from "../domain/coverage";
import { notFound } from "../domain/errors";
import { addDays, localDate, toIsoZ } from "../domain/time";
import type { TeamPageData, UpcomingWeek } from "../http/pages/team-page";
import { escalationForTeam, oncallForTeam, personOf } from "./oncall";
import type { OncallIndex } from "./oncall-index";

const UPCOMING_WEEKS = 8;
const COVERAGE_DAYS = 14;

/** Everything the team page shows, as of `now`. */
export function teamPageData(index: OncallIndex, teamId: string, now: DateTime, signedInAs: string | null): TeamPageData {
  const team = index.team(teamId);
  if (!team) throw notFound(`team ${teamId}`);
  const at = toIsoZ(now);
  const members = index.memberMap();
  const timeline = index.timeline(team, at);
  const upcoming: UpcomingWeek[] = timeline.rotations.flatMap((rotation) =>
    rotation.weeks
      .filter((w) => w.weekEnd > at)
      .slice(0, UPCOMING_WEEKS)
      .map((w) => ({
        rotation: rotation.id,
        weekStart: w.weekStart,
        weekEnd: w.weekEnd,
        member: w.member ? personOf(members, w.member) : null,
        changed: rotation.shifts.some((s) => s.source !== "schedule" && s.start < w.weekEnd && s.end > w.weekStart),
      })),
  );
  upcoming.sort((a, b) => (a.weekStart < b.weekStart ? -1 : a.weekStart > b.weekStart ? 1 : 0));
  const today = localDate(now, team.timeZone);
  const until = toIsoZ(now.plus({ days: COVERAGE_DAYS }));
  const coverage = analyseCoverage(team, today, addDays(today, COVERAGE_DAYS - 1));
  const escalation = escalationForTeam(index, team.id, at);
  return {
    team,
    now: at,
    oncall: oncallForTeam(index, team.id, at),
    chain: escalation.levels.map((l) => ({ level: l.level, afterMinutes: l.afterMinutes, members: l.members })),
    repeat: escalation.repeat,
    upcoming,
    coverage: {
      gaps: coverage.gaps.filter((g) => g.end > at),
      overlaps: coverage.overlaps.filter((o) => o.end > at),
      uncovered: uncoveredWhilePlanned(timeline.rotations.flatMap((r) => r.shifts), at, until),
    },
    signedInAs,
  };
}
