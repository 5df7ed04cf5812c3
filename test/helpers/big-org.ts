import type { OrgFileInput } from "../../src/domain/org-file";
import { member, team } from "./factories";

/** An org of `teams` teams of `perTeam` members each, with one time off per member. */
export function bigOrg(teams = 250, perTeam = 40): OrgFileInput {
  const ids = (t: number) => Array.from({ length: perTeam }, (_, i) => `m${t}-${i}`);
  return {
    version: 1,
    members: Array.from({ length: teams }, (_, t) => ids(t).map((id) => member(id))).flat(),
    teams: Array.from({ length: teams }, (_, t) => team(`team-${t}`, ids(t))),
    timeOff: Array.from({ length: teams }, (_, t) => ids(t).map((id, i) => ({ member: id, start: `2027-0${1 + (i % 9)}-0${1 + (t % 9)}`, end: `2027-0${1 + (i % 9)}-1${t % 9}` }))).flat(),
  };
}
