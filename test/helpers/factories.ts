import type { OrgFileInput } from "../../src/domain/org-file";

type MemberInput = OrgFileInput["members"][number];
type TeamInput = OrgFileInput["teams"][number];

export function member(id: string, overrides: Partial<MemberInput> = {}): MemberInput {
  return {
    id,
    name: id.charAt(0).toUpperCase() + id.slice(1),
    email: `${id}@example.com`,
    timeZone: "Europe/London",
    country: "GB",
    subdivision: "ENG",
    ...overrides,
  };
}

export function team(id: string, memberIds: string[], overrides: Partial<TeamInput> = {}): TeamInput {
  return {
    id,
    name: id.charAt(0).toUpperCase() + id.slice(1),
    timeZone: "Europe/London",
    rotations: [{ id: "primary", name: "Primary", members: memberIds }],
    escalation: { repeat: 0, levels: [{ afterMinutes: 0, targets: [{ type: "oncall" }] }] },
    ...overrides,
  };
}

/** A small valid org: two teams of four, escalating to each other, with some time off. */
export function smallOrg(): OrgFileInput {
  const a = ["ana", "ben", "cat", "dan"];
  const b = ["eve", "fay", "gil", "hal"];
  return {
    version: 1,
    members: [
      ...a.map((id) => member(id)),
      ...b.map((id) => member(id, { timeZone: "America/New_York", country: "US", subdivision: "NY" })),
    ],
    teams: [
      team("alpha", a, {
        escalation: {
          repeat: 1,
          levels: [
            { afterMinutes: 0, targets: [{ type: "oncall" }] },
            { afterMinutes: 15, targets: [{ type: "team", team: "bravo" }] },
          ],
        },
      }),
      team("bravo", b, { timeZone: "America/New_York" }),
    ],
    timeOff: [
      { member: "ana", start: "2027-02-01", end: "2027-02-05" },
      { member: "eve", start: "2027-01-01", rrule: "FREQ=MONTHLY;BYMONTHDAY=15" },
    ],
  };
}
