import type { IncidentTimeline } from "../services/timeline";

/** A table cell: pipes and line breaks would break the table. */
const cell = (value: string) => value.replace(/\|/g, "\\|").replace(/\r?\n/g, " ");

/** The timeline as Markdown, to paste into a postmortem: who was on call, then what changed. */
export function timelineMarkdown(timeline: IncidentTimeline): string {
  const lines = [
    `## On call for ${timeline.team}, ${timeline.from} – ${timeline.to}`,
    "",
    "| rotation | member | start (UTC) | end (UTC) | source |",
    "| --- | --- | --- | --- | --- |",
  ];
  for (const rotation of timeline.rotations) {
    for (const shift of rotation.oncall) {
      lines.push(`| ${cell(rotation.name)} | ${cell(shift.memberName ?? "nobody")} | ${shift.start} | ${shift.end} | ${shift.source} |`);
    }
  }
  lines.push("", "## Changes recorded", "");
  if (timeline.changes.length === 0) lines.push("None.");
  else {
    lines.push("| at (UTC) | actor | action | what | details |", "| --- | --- | --- | --- | --- |");
    for (const change of timeline.changes) {
      lines.push(`| ${change.at} | ${cell(change.actor)} | ${change.action} | ${cell(`${change.entity} ${change.entityId}`)} | ${cell(change.summary)} |`);
    }
  }
  return lines.join("\n") + "\n";
}
