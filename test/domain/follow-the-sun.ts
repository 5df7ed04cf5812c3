import type { z } from "zod";
import { memberSchema, teamSchema, type Member, type Team } from "../../src/domain/org-file";
import type { Assignment } from "../../src/domain/types";
import { handoffClock, weeksFrom } from "../../src/domain/weeks";

type TeamInput = Partial<Omit<z.input<typeof teamSchema>, "rotations">> & {
  rotations: { id: string; timeZone: string; window?: { start: string; end: string }; members: string[] }[];
};

/** A team with schema defaults filled in, as the org file import would give it. */
export function makeTeam(input: TeamInput): Team {
  return teamSchema.parse({
    id: "sun",
    name: "Follow the sun",
    timeZone: "Europe/London",
    escalation: { levels: [{ afterMinutes: 0, targets: [{ type: "oncall" }] }] },
    ...input,
    rotations: input.rotations.map((r) => ({ name: r.id, ...r })),
  });
}

export function makeMember(id: string, timeZone: string, country: string, subdivision?: string): Member {
  return memberSchema.parse({ id, name: id, email: `${id}@example.com`, timeZone, country, ...(subdivision ? { subdivision } : {}) });
}

/** Singapore, London and Los Angeles, each 08:00–16:00 local, three members a region. */
export function followTheSun(options: Partial<Pick<Team, "gapPolicy" | "holidays">> = {}): Team {
  return makeTeam({
    ...options,
    rotations: [
      { id: "apac", timeZone: "Asia/Singapore", window: { start: "08:00", end: "16:00" }, members: ["sg1", "sg2", "sg3"] },
      { id: "emea", timeZone: "Europe/London", window: { start: "08:00", end: "16:00" }, members: ["uk1", "uk2", "uk3"] },
      { id: "amer", timeZone: "America/Los_Angeles", window: { start: "08:00", end: "16:00" }, members: ["la1", "la2", "la3"] },
    ],
  });
}

/** Each rotation's members take turns week by week from the week holding `fromDate`. */
export function roundRobin(team: Team, fromDate: string, weeks: number): Assignment[] {
  return team.rotations.flatMap((rotation) =>
    weeksFrom(handoffClock(team, rotation), fromDate, weeks).map((week, i) => ({
      team: team.id,
      rotation: rotation.id,
      weekStart: week.start,
      weekEnd: week.end,
      member: rotation.members[i % rotation.members.length]!,
      reason: "round robin",
    })),
  );
}

/** The nine members of `followTheSun`, each living in their region: the London three in England. */
export function followTheSunMembers(): Member[] {
  return [
    ...["sg1", "sg2", "sg3"].map((id) => makeMember(id, "Asia/Singapore", "SG")),
    ...["uk1", "uk2", "uk3"].map((id) => makeMember(id, "Europe/London", "GB", "ENG")),
    ...["la1", "la2", "la3"].map((id) => makeMember(id, "America/Los_Angeles", "US", "CA")),
  ];
}
