import { DateTime } from "luxon";
import type { OrgFileInput } from "../../src/domain/org-file";
import type { TestApp } from "./app";
import { checkFairnessReport, checkShifts, Rota, type FairnessBody, type FinalShift, type Violation } from "./rota-rules";

/** Plans and stores `weeks` for every team of the org, through the API. */
export async function applyAll(t: TestApp, org: OrgFileInput, weeks = 52): Promise<void> {
  for (const team of org.teams) {
    const res = await t.request("POST", `/api/v1/teams/${team.id}/schedule/apply`, { body: { weeks } });
    if (res.status !== 200) throw new Error(`apply ${team.id}: ${res.status} ${await res.text()}`);
  }
}

/** The span the outcome tests read: a week before `now` to a little past a year of plan. */
export function readSpan(now: string, weeks = 52) {
  const at = DateTime.fromISO(now, { zone: "utc" });
  return { from: at.minus({ weeks: 1 }).toISO()!, to: at.plus({ weeks: weeks + 2 }).toISO()! };
}

/** Every team's final shifts in the span, as the API gives them. */
export async function allShifts(t: TestApp, org: OrgFileInput, span: { from: string; to: string }): Promise<FinalShift[]> {
  const shifts: FinalShift[] = [];
  for (const team of org.teams) {
    const res = await t.request("GET", `/api/v1/teams/${team.id}/shifts?from=${encodeURIComponent(span.from)}&to=${encodeURIComponent(span.to)}`);
    if (res.status !== 200) throw new Error(`shifts ${team.id}: ${res.status} ${await res.text()}`);
    shifts.push(...(await res.json()).shifts);
  }
  return shifts;
}

export async function fairnessOf(t: TestApp, teamId: string, span: { from: string; to: string }): Promise<FairnessBody> {
  const res = await t.request("GET", `/api/v1/teams/${teamId}/fairness?from=${encodeURIComponent(span.from)}&to=${encodeURIComponent(span.to)}`);
  if (res.status !== 200) throw new Error(`fairness ${teamId}: ${res.status} ${await res.text()}`);
  return res.json();
}

/** The first planned week start of the team's shifts: where the fairness report should start counting. */
export function firstShiftStart(shifts: readonly FinalShift[], teamId: string): string {
  return shifts.filter((s) => s.team === teamId).reduce((min, s) => (s.start < min ? s.start : min), "9999");
}

/** Rules (a)–(e) on the final shifts from `judgeFrom` on, and (f) on each team's fairness report over the planned weeks. */
export async function outcomeViolations(t: TestApp, org: OrgFileInput, span: { from: string; to: string }, judgeFrom?: string): Promise<Violation[]> {
  const shifts = await allShifts(t, org, span);
  const options = judgeFrom ? { from: judgeFrom } : {};
  const violations = checkShifts(org, shifts, options);
  const rota = new Rota(org, shifts, options);
  for (const team of org.teams) {
    const planned = { from: firstShiftStart(shifts, team.id), to: span.to };
    if (planned.from === "9999") continue;
    violations.push(...checkFairnessReport(rota, team.id, await fairnessOf(t, team.id, planned)));
  }
  return violations;
}

/** Shifts as comparable lines, for "nothing moved" assertions that show what did. */
export function shiftLines(shifts: readonly FinalShift[]): string[] {
  return shifts.map((s) => `${s.team}/${s.rotation} ${s.start}–${s.end} ${s.member ?? "-"} ${s.source}`).sort();
}

/** The lines in one list and not the other, both ways: what a restart or import moved. */
export function movedShifts(before: readonly FinalShift[], after: readonly FinalShift[]): { gone: string[]; came: string[] } {
  const a = new Set(shiftLines(before));
  const b = new Set(shiftLines(after));
  return { gone: [...a].filter((l) => !b.has(l)), came: [...b].filter((l) => !a.has(l)) };
}
