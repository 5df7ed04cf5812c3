import { describe, expect, it } from "vitest";
import { handoverEvent, handoversBetween } from "../../src/domain/handover";
import { joinWeekInProgress } from "../../src/domain/week-boundary";
import type { Team } from "../../src/domain/org-file";
import type { Assignment } from "../../src/domain/types";

const week = (start: string, end: string, member: string | null, reason = "planned"): Assignment => ({ team: "t", rotation: "r", weekStart: start, weekEnd: end, member, reason });
const team = (members: string[]) => ({ id: "t", rotations: [{ id: "r", name: "R", members }] }) as unknown as Team;
const NOW = Date.parse("2027-01-14T12:00:00Z");

describe("handoversBetween", () => {
  it("lists only the stretches whose holder differs, each once, even when the week boundaries moved", () => {
    const before = [week("2027-01-12T10:00:00Z", "2027-01-19T10:00:00Z", "ana"), week("2027-01-19T10:00:00Z", "2027-01-26T10:00:00Z", "ben")];
    const after = [week("2027-01-12T10:00:00Z", "2027-01-18T09:00:00Z", "ana"), week("2027-01-18T09:00:00Z", "2027-01-25T09:00:00Z", "ben", "new handoff")];
    expect(handoversBetween("t", before, after)).toEqual([
      { team: "t", rotation: "r", start: "2027-01-18T09:00:00Z", end: "2027-01-19T10:00:00Z", from: "ana", to: "ben", source: "schedule", why: "new handoff" },
      { team: "t", rotation: "r", start: "2027-01-25T09:00:00Z", end: "2027-01-26T10:00:00Z", from: "ben", to: null, source: "schedule", why: "no longer planned" },
    ]);
    expect(handoversBetween("t", before, before)).toEqual([]);
  });

  it("words a Slack-safe text", () => {
    const [h] = handoversBetween("t", [], [week("2027-01-12T10:00:00Z", "2027-01-19T10:00:00Z", "ana", "fair <share>")]);
    expect(handoverEvent(h!, (id) => `${id} & co`).text).toBe("t/r 2027-01-12T10:00:00Z – 2027-01-19T10:00:00Z: nobody → ana &amp; co (fair &lt;share&gt;)");
  });
});

describe("joinWeekInProgress", () => {
  const running = week("2027-01-12T10:00:00Z", "2027-01-19T10:00:00Z", "ana");
  const newWeeks = [week("2027-01-18T09:00:00Z", "2027-01-25T09:00:00Z", "ben"), week("2027-01-25T09:00:00Z", "2027-02-01T09:00:00Z", "cat")];

  it("cuts the week in progress at the new boundary nearest its end", () => {
    expect(joinWeekInProgress(team(["ana", "ben", "cat"]), [running], newWeeks, NOW)).toEqual([{ ...running, weekEnd: "2027-01-18T09:00:00Z" }, ...newWeeks]);
  });

  it("extends it to a later boundary and drops the new week that would overlap it", () => {
    const later = [week("2027-01-14T14:00:00Z", "2027-01-21T14:00:00Z", "ben"), week("2027-01-21T14:00:00Z", "2027-01-28T14:00:00Z", "cat")];
    expect(joinWeekInProgress(team(["ana", "ben", "cat"]), [running], later, NOW)).toEqual([{ ...running, weekEnd: "2027-01-21T14:00:00Z" }, later[1]]);
  });

  it("splits it at now when its holder left: the past stays theirs, the first new week's holder takes the rest", () => {
    expect(joinWeekInProgress(team(["ben", "cat"]), [running], newWeeks, NOW)).toEqual([
      { ...running, weekEnd: "2027-01-14T12:00:00Z" },
      { ...newWeeks[0]!, weekStart: "2027-01-14T12:00:00Z", weekEnd: "2027-01-18T09:00:00Z", reason: "takes over at 2027-01-14T12:00:00Z: planned" },
      ...newWeeks,
    ]);
  });

  it("splits the planner's week at now when it gave the begun week to someone else, and leaves an unchanged week alone", () => {
    const replanned = [week(running.weekStart, running.weekEnd, "ben", "ana is off")];
    expect(joinWeekInProgress(team(["ana", "ben"]), [running], replanned, NOW)).toEqual([
      { ...running, weekEnd: "2027-01-14T12:00:00Z" },
      { ...replanned[0]!, weekStart: "2027-01-14T12:00:00Z", reason: "takes over at 2027-01-14T12:00:00Z: ana is off" },
    ]);
    expect(joinWeekInProgress(team(["ana", "ben"]), [running], [running], NOW)).toEqual([running]);
  });
});
