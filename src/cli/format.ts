import { DateTime } from "luxon";
import type { Team } from "../domain/org-file";

type PlannedRow = { rotation: string; weekStart: string; weekEnd: string; member: string | null; memberName: string | null; reason: string };
type ChangeRow = { rotation: string; weekStart: string; before: string | null | undefined; after: string | null };
type ConflictRow = { rotation: string; weekStart: string; problem: string };

function table(rows: string[][]): string {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  return rows.map((r) => r.map((cell, i) => cell.padEnd(widths[i]!)).join("  ").trimEnd()).join("\n");
}

const day = (iso: string, zone: string) => DateTime.fromISO(iso).setZone(zone).toFormat("ccc d LLL yyyy HH:mm");

/** A plan as a readable table (dates in the team's zone), then its diff and conflicts. */
export function formatPlan(team: Team, plan: { assignments: PlannedRow[]; changes: ChangeRow[]; conflicts: ConflictRow[] }, verb: string): string {
  const zone = team.timeZone;
  const rows = [["week", `from (${zone})`, "to", "rotation", "member", "reason"]];
  const byStart = [...plan.assignments].sort((a, b) => (a.weekStart < b.weekStart ? -1 : a.weekStart > b.weekStart ? 1 : a.rotation.localeCompare(b.rotation)));
  const weekNumbers = new Map([...new Set(byStart.map((a) => a.weekStart.slice(0, 10)))].map((d, i) => [d, i + 1]));
  for (const a of byStart) {
    rows.push([String(weekNumbers.get(a.weekStart.slice(0, 10))), day(a.weekStart, zone), day(a.weekEnd, zone), a.rotation, a.memberName ?? "— nobody —", a.reason]);
  }
  const lines = [`${team.name} (${team.id})`, table(rows), ""];
  if (plan.changes.length === 0) lines.push(`${verb}: no changes`);
  else {
    lines.push(`${verb}: ${plan.changes.length} week${plan.changes.length === 1 ? "" : "s"} changed`);
    for (const c of plan.changes) lines.push(`  ${day(c.weekStart, zone)}  ${c.rotation}: ${c.before ?? "(none)"} -> ${c.after ?? "(nobody)"}`);
  }
  for (const c of plan.conflicts) lines.push(`  conflict ${day(c.weekStart, zone)}  ${c.rotation}: ${c.problem}`);
  return lines.join("\n") + "\n";
}

type ImportRows = {
  members: { created: string[]; updated: string[]; retired: string[] };
  teams: { created: string[]; updated: string[]; retired: string[] };
  rotations: { created: string[]; updated: string[]; retired: string[] };
  timeOff: { added: number; updated: number; removed: number };
  timeOffEntries: Record<"added" | "removed" | "kept", { member: string; start: string; end?: string | undefined; rrule?: string | undefined }[]>;
  planned: { team: string; weeks: number }[];
  handovers: { team: string; rotation: string; start: string; end: string; from: string | null; to: string | null; why: string }[];
};

/** An import's answer, or a dry run's: the counts on one line (as before), then each change. */
export function formatImport(file: string, result: ImportRows, verb: string): string {
  const { members, teams, timeOff } = result;
  const lines = [
    `${verb} ${file}: members +${members.created.length} ~${members.updated.length} -${members.retired.length}, ` +
      `teams +${teams.created.length} ~${teams.updated.length} -${teams.retired.length}, ` +
      `time off +${timeOff.added} ~${timeOff.updated} -${timeOff.removed}`,
  ];
  const list = (label: string, ids: string[]) => ids.length > 0 && lines.push(`  ${label}: ${ids.join(", ")}`);
  for (const [what, changes] of [["members", members], ["teams", teams], ["rotations", result.rotations]] as const) {
    list(`${what} added`, changes.created);
    list(`${what} changed`, changes.updated);
    list(`${what} retired`, changes.retired);
  }
  const entry = (t: ImportRows["timeOffEntries"]["added"][number]) => `${t.member} ${t.start}${t.end ? `..${t.end}` : ""}${t.rrule ? ` ${t.rrule}` : ""}`;
  list("time off added", result.timeOffEntries.added.map(entry));
  list("time off removed", result.timeOffEntries.removed.map(entry));
  list("time off kept (posted through the API)", result.timeOffEntries.kept.map(entry));
  for (const p of result.planned) lines.push(`  planned ${p.team} ${p.weeks} weeks ahead`);
  for (const h of result.handovers) {
    lines.push(`  ${h.team}/${h.rotation} ${h.start} – ${h.end}: ${h.from ?? "(nobody)"} -> ${h.to ?? "(nobody)"} (${h.why})`);
  }
  return lines.join("\n") + "\n";
}
