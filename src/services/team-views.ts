import { DateTime } from "luxon";
import { z } from "zod";
import { analyseCoverage, uncoveredWhilePlanned } from "../domain/coverage";
import { invalid, notFound } from "../domain/errors";
import { fairnessReport } from "../domain/fairness";
import { addDays, DAY_MS, instantMs, isValidDate, LAST_PLANNABLE_DATE, LAST_PLANNABLE_MS, localDate, localToInstant, toIsoZ, tryParseInstant } from "../domain/time";
import type { Team } from "../domain/org-file";
import type { StoredOrg } from "../db/org-store";
import type { OncallIndex } from "./oncall-index";

/** A range bound: an instant (with offset or Z) or a date, read as midnight in the team's zone. */
export const boundParam = z
  .string()
  .refine((s) => isValidDate(s) || tryParseInstant(s) !== null, "must be a date YYYY-MM-DD or an ISO 8601 instant with an offset or Z");

export const rangeQuery = z.object({ from: boundParam.optional(), to: boundParam.optional() });

function instantOf(bound: string, team: Team): string {
  return isValidDate(bound) ? toIsoZ(localToInstant(bound, "00:00", team.timeZone)) : toIsoZ(tryParseInstant(bound)!);
}

const MAX_RANGE_DAYS = 731;

/**
 * A range a request can ask for: ordered, short enough not to stall the lookups served beside it,
 * and ending in time Baton plans for (blamed on `from` when `to` was left to its default).
 */
function checkRange(from: string, to: string, toGiven: boolean): void {
  requireEndInTime(instantMs(to), toGiven);
  if (to <= from) {
    throw invalid([toGiven ? { path: "to", message: "must be after from" } : { path: "from", message: `must be before ${to}, where the range ends unless to is given` }]);
  }
  if (instantMs(to) - instantMs(from) > MAX_RANGE_DAYS * DAY_MS) throw invalid([{ path: "to", message: "must be at most two years after from" }]);
}

/** A range past the end of 9999 has no four-digit dates to compute with (a five-digit year parses as NaN). */
function requireEndInTime(endMs: number, toGiven: boolean): void {
  if (!(endMs <= LAST_PLANNABLE_MS)) throw invalid([{ path: toGiven ? "to" : "from", message: `the range must end by ${LAST_PLANNABLE_DATE}` }]);
}

/** A request's [from, to) for a team (dates at midnight in its zone), checked, with defaults for what is left out. */
export function resolveRange(team: Team, query: { from?: string | undefined; to?: string | undefined }, defaultFrom: string, defaultTo: string) {
  const from = query.from ? instantOf(query.from, team) : defaultFrom;
  const to = query.to ? instantOf(query.to, team) : defaultTo;
  checkRange(from, to, query.to !== undefined);
  return { from, to };
}

/** The members and time off that matter to a team. */
function teamPeople(org: StoredOrg, team: Team) {
  const inTeam = new Set(team.rotations.flatMap((r) => r.members));
  return { members: org.members.filter((m) => inTeam.has(m.id)), timeOff: org.timeOff.filter((t) => inTeam.has(t.member)) };
}

async function teamOrThrow(index: OncallIndex, teamId: string): Promise<Team> {
  const team = await index.team(teamId);
  if (!team) throw notFound(`team ${teamId}`);
  return team;
}

/** Shifts (after overrides, holiday covers and gap closing) that overlap [from, to); default the next four weeks. */
export async function teamShifts(index: OncallIndex, teamId: string, now: DateTime, query: { from?: string | undefined; to?: string | undefined }) {
  const team = await teamOrThrow(index, teamId);
  const from = query.from ? instantOf(query.from, team) : toIsoZ(now);
  const to = query.to ? instantOf(query.to, team) : toIsoZ(DateTime.fromISO(from).plus({ weeks: 4 }));
  checkRange(from, to, query.to !== undefined);
  const timeline = await index.timeline(team, toIsoZ(now));
  const shifts = timeline.rotations
    .flatMap((r) => r.shifts)
    .filter((s) => s.start < to && s.end > from)
    .sort((a, b) => (a.start < b.start ? -1 : a.start > b.start ? 1 : 0));
  return { team: team.id, from, to, shifts };
}

/** Per-member load over [from, to); default the twelve weeks before now to the end of the plan. */
export async function teamFairness(index: OncallIndex, teamId: string, now: DateTime, query: { from?: string | undefined; to?: string | undefined }) {
  const team = await teamOrThrow(index, teamId);
  const at = toIsoZ(now);
  const timeline = await index.timeline(team, at);
  const assignments = timeline.rotations.flatMap((r) => r.weeks);
  const plannedEnd = assignments.reduce((max, a) => (a.weekEnd > max ? a.weekEnd : max), at);
  const from = query.from ? instantOf(query.from, team) : toIsoZ(now.minus({ weeks: 12 }));
  const to = query.to ? instantOf(query.to, team) : plannedEnd;
  checkRange(from, to, query.to !== undefined);
  return fairnessReport({
    team,
    ...teamPeople(await index.currentOrg(), team),
    shifts: timeline.rotations.flatMap((r) => r.shifts),
    assignments,
    overrides: await index.overrides(team),
    membership: await index.membership(team),
    from,
    to,
  });
}

/** Gaps and overlaps of the team's windows for the dates [from, to] in its zone, and any planned instant nobody holds. */
export async function teamCoverage(index: OncallIndex, teamId: string, now: DateTime, query: { from?: string | undefined; to?: string | undefined }) {
  const team = await teamOrThrow(index, teamId);
  const dateOf = (bound: string) => (isValidDate(bound) ? bound : localDate(tryParseInstant(bound)!, team.timeZone));
  const fromDate = query.from ? dateOf(query.from) : localDate(now, team.timeZone);
  const toDate = query.to ? dateOf(query.to) : addDays(fromDate, 27);
  requireEndInTime(instantMs(toDate) + DAY_MS, query.to !== undefined);
  checkRange(fromDate, addDays(toDate, 1), query.to !== undefined);
  const coverage = analyseCoverage(team, fromDate, toDate);
  const start = toIsoZ(localToInstant(fromDate, "00:00", team.timeZone));
  const end = toIsoZ(localToInstant(addDays(toDate, 1), "00:00", team.timeZone));
  const shifts = (await index.timeline(team, toIsoZ(now))).rotations.flatMap((r) => r.shifts);
  return { ...coverage, uncovered: uncoveredWhilePlanned(shifts, start, end) };
}
