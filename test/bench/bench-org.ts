import type { OrgFileInput } from "../../src/domain/org-file";

/** Countries with a zone and a subdivision where date-holidays needs one: the benchmark's spread of holidays. */
export const BENCH_REGIONS = [
  { country: "GB", subdivision: "ENG", timeZone: "Europe/London" },
  { country: "US", subdivision: "CA", timeZone: "America/Los_Angeles" },
  { country: "US", subdivision: "NY", timeZone: "America/New_York" },
  { country: "DE", subdivision: "BY", timeZone: "Europe/Berlin" },
  { country: "FR", timeZone: "Europe/Paris" },
  { country: "IN", timeZone: "Asia/Kolkata" },
  { country: "BR", subdivision: "SP", timeZone: "America/Sao_Paulo" },
  { country: "AU", subdivision: "NSW", timeZone: "Australia/Sydney" },
  { country: "JP", timeZone: "Asia/Tokyo" },
  { country: "SG", timeZone: "Asia/Singapore" },
  { country: "CL", timeZone: "America/Santiago" },
  { country: "IE", timeZone: "Europe/Dublin" },
] as const;

/** A large org: `teams` teams of `size` members each, spread over twelve countries, escalating to the next team. */
export function benchOrg(teams: number, size: number): OrgFileInput {
  const members: OrgFileInput["members"] = [];
  const teamList: OrgFileInput["teams"] = [];
  for (let t = 0; t < teams; t++) {
    const ids: string[] = [];
    for (let m = 0; m < size; m++) {
      const region = BENCH_REGIONS[(t * size + m) % BENCH_REGIONS.length]!;
      const id = `m${t}-${m}`;
      ids.push(id);
      members.push({ id, name: `Member ${t}-${m}`, email: `${id}@example.com`, ...region });
    }
    teamList.push({
      id: `team-${t}`,
      name: `Team ${t}`,
      timeZone: BENCH_REGIONS[t % BENCH_REGIONS.length]!.timeZone,
      rotations: [{ id: "primary", name: "Primary", members: ids }],
      escalation: {
        repeat: 1,
        levels: [
          { afterMinutes: 0, targets: [{ type: "oncall" }] },
          { afterMinutes: 15, targets: [{ type: "next-oncall" }] },
          { afterMinutes: 30, targets: [{ type: "team", team: `team-${(t + 1) % teams}` }] },
        ],
      },
    });
  }
  return { version: 1, members, teams: teamList };
}
