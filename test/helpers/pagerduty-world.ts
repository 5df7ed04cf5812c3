import { pdOnCallAt, type PdWorld } from "./vendor-servers";

/**
 * A PagerDuty account as its API describes it: two teams that Baton can take
 * over (a weekly schedule in London with an override, a follow-the-sun one with
 * a weekend layer on top), and a third whose daily turns it cannot.
 */
const user = (id: string, name: string, email: string, time_zone: string, phone?: [number, string]) => ({
  id,
  name,
  email,
  time_zone,
  contact_methods: phone ? [{ type: "phone_contact_method", country_code: phone[0], address: phone[1] }] : [],
});
const ref = (id: string) => ({ user: { id, type: "user_reference" as const } });
const weekly = (id: string, name: string, virtualStart: string, users: string[], restrictions: PdWorld["schedules"][number]["schedule_layers"][number]["restrictions"] = []) => ({
  id,
  name,
  start: "2027-01-04T00:00:00Z",
  end: null,
  rotation_virtual_start: virtualStart,
  rotation_turn_length_seconds: 7 * 86400,
  users: users.map(ref),
  restrictions,
});
const daily = (start: string) => [{ type: "daily_restriction" as const, start_time_of_day: start, duration_seconds: 8 * 3600 }];

export const pdWorld: PdWorld = {
  users: [
    user("PANA", "Ana Souza", "ana@example.com", "Europe/London", [44, "7700900123"]),
    user("PBEN", "Ben Okafor", "ben.okafor@pd.test", "Europe/Berlin"),
    user("PCHE", "Chen Wei", "chen@pd.test", "Asia/Singapore"),
    user("PDEV", "Dev Patel", "dev@pd.test", "America/Los_Angeles"),
    user("PEVE", "Eve Martin", "eve.martin@pd.test", "America/New_York"),
    user("PFAY", "Fay Ops", "fay@pd.test", "Etc/UTC"),
  ],
  teams: [
    { id: "TPAY", name: "Payments" },
    { id: "TPLA", name: "Platform" },
    { id: "TLEG", name: "Legacy" },
  ],
  schedules: [
    {
      id: "SPAY",
      name: "Payments Primary",
      time_zone: "Europe/London",
      teams: [{ id: "TPAY", type: "team_reference" }],
      schedule_layers: [
        // Mondays 09:00 London: 09:00Z in winter, 08:00Z from 29 March.
        weekly("LPAY", "Weekly", "2027-01-04T09:00:00Z", ["PANA", "PBEN", "PEVE"]),
        { ...weekly("LOLD", "Old layer", "2026-01-05T09:00:00Z", ["PBEN"]), start: "2026-01-05T09:00:00Z", end: "2027-01-04T09:00:00Z" },
      ],
    },
    {
      id: "SPLA",
      name: "Platform Around the Clock",
      time_zone: "Etc/UTC",
      teams: [{ id: "TPLA", type: "team_reference" }],
      schedule_layers: [
        // Highest layer: weekends only, which Baton cannot hold as a rotation; the kept weeks still show it.
        weekly("LWKD", "Weekend cover", "2027-01-02T00:00:00Z", ["PANA"], [
          { type: "weekly_restriction", start_day_of_week: 6, start_time_of_day: "00:00:00", duration_seconds: 2 * 86400 },
        ]),
        weekly("LAPA", "APAC", "2027-01-04T00:00:00Z", ["PCHE", "PFAY"], daily("00:00:00")),
        weekly("LEME", "EMEA", "2027-01-04T08:00:00Z", ["PBEN", "PANA"], daily("08:00:00")),
        weekly("LAME", "Americas", "2027-01-04T16:00:00Z", ["PDEV", "PEVE"], daily("16:00:00")),
      ],
    },
    {
      id: "SLEG",
      name: "Legacy Daily",
      time_zone: "Europe/London",
      teams: [{ id: "TLEG", type: "team_reference" }],
      schedule_layers: [{ ...weekly("LDAY", "Daily", "2027-01-04T09:00:00Z", ["PBEN", "PCHE"]), rotation_turn_length_seconds: 86400 }],
    },
  ],
  overrides: {
    SPAY: [{ id: "OV1", start: "2027-03-20T08:00:00Z", end: "2027-03-21T20:00:00Z", user: { id: "PDEV", type: "user_reference" } }],
  },
  escalation_policies: [
    {
      id: "EPAY",
      name: "Payments Escalation",
      num_loops: 2,
      teams: [{ id: "TPAY", type: "team_reference" }],
      escalation_rules: [
        { id: "R1", escalation_delay_in_minutes: 10, targets: [{ id: "SPAY", type: "schedule_reference" }] },
        { id: "R2", escalation_delay_in_minutes: 20, targets: [{ id: "PANA", type: "user" }] },
        { id: "R3", escalation_delay_in_minutes: 5, targets: [{ id: "SPLA", type: "schedule" }] },
      ],
    },
    {
      id: "EPLA",
      name: "Platform Escalation",
      num_loops: 0,
      teams: [{ id: "TPLA", type: "team_reference" }],
      escalation_rules: [
        { id: "R4", escalation_delay_in_minutes: 15, targets: [{ id: "SPLA", type: "schedule_reference" }] },
        { id: "R5", escalation_delay_in_minutes: 30, targets: [{ id: "PDEV", type: "user_reference" }] },
      ],
    },
    {
      id: "ELEG",
      name: "Legacy Escalation",
      num_loops: 0,
      teams: [{ id: "TLEG", type: "team_reference" }],
      escalation_rules: [{ id: "R6", escalation_delay_in_minutes: 30, targets: [{ id: "SLEG", type: "schedule_reference" }] }],
    },
  ],
};

/** The Baton member each PagerDuty user becomes: by email, so ana stays the ana Baton already has. */
export const PD_MEMBER: Record<string, string> = { PANA: "ana", PBEN: "ben-okafor", PCHE: "chen", PDEV: "dev", PEVE: "eve-martin", PFAY: "fay-2" };
/** Who PagerDuty has on call at t on a schedule, as Baton member ids. */
export const pdMembersAt = (schedule: string) => (t: number) => {
  const who = pdOnCallAt(pdWorld, schedule, t);
  return who ? [PD_MEMBER[who]!] : [];
};
