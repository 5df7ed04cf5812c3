import { ogOnCallAt, type OgRotation, type OgWorld } from "./vendor-servers";

/**
 * An Opsgenie account as its API describes it: an SRE team whose schedule has
 * two whole-day weekly rotations in London (both on call at once, as Opsgenie
 * does) and an override; a follow-the-sun team in New York whose night rotation
 * is written as seven overnight weekday restrictions; and a team whose
 * weekday-only and daily rotations Baton cannot take over.
 */
const user = (id: string, fullName: string, username: string, timeZone: string) => ({ id, username, fullName, timeZone, role: { id: "User", name: "User" } });
const who = (id: string) => ({ type: "user" as const, id, username: ogWorld.users.find((u) => u.id === id)!.username });
const rotation = (id: string, name: string, startDate: string, participants: string[], extra: Partial<OgRotation> = {}): OgRotation => ({
  id,
  name,
  startDate,
  type: "weekly",
  length: 1,
  participants: participants.map(who),
  ...extra,
});
const DAYS = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"];
const team = (id: string, name: string) => ({ id, name });

export const ogWorld: OgWorld = {
  users: [
    user("u-olivia", "Olivia Reed", "olivia@og.test", "Europe/London"),
    user("u-bob", "Bob Stone", "bob@og.test", "Europe/Dublin"),
    user("u-cat", "Cat Jones", "cat@example.com", "Europe/London"),
    user("u-dana", "Dana Kim", "dana@og.test", "America/New_York"),
    user("u-lee", "Lee Park", "lee@og.test", "Asia/Tokyo"),
  ],
  teams: [
    { ...team("g-sre", "SRE"), description: "" },
    { ...team("g-follow", "Follow"), description: "" },
    { ...team("g-misc", "Misc"), description: "" },
  ],
  schedules: [],
  overrides: {},
  escalations: [],
};

ogWorld.schedules = [
  {
    id: "s-sre",
    name: "sre_schedule",
    description: "",
    timezone: "Europe/London",
    enabled: true,
    ownerTeam: team("g-sre", "SRE"),
    rotations: [
      // Tuesdays 10:00 London: 10:00Z in winter, 09:00Z from 30 March.
      rotation("r-weekly", "Weekly", "2027-01-05T10:00:00Z", ["u-olivia", "u-bob", "u-cat"]),
      rotation("r-backup", "Backup", "2027-01-05T10:00:00Z", ["u-cat", "u-olivia"]),
    ],
  },
  {
    id: "s-follow",
    name: "follow_sun",
    description: "",
    timezone: "America/New_York",
    enabled: true,
    ownerTeam: team("g-follow", "Follow"),
    rotations: [
      rotation("r-day", "Day", "2027-01-04T12:00:00Z", ["u-dana", "u-lee"], {
        timeRestriction: { type: "time-of-day", restriction: { startHour: 7, startMin: 0, endHour: 19, endMin: 0 } },
      }),
      rotation("r-night", "Night", "2027-01-05T00:00:00Z", ["u-olivia", "u-bob"], {
        timeRestriction: {
          type: "weekday-and-time-of-day",
          // Written in no particular order, Sunday wrapping to Monday, as Opsgenie answers.
          restrictions: [4, 6, 0, 1, 2, 3, 5].map((d) => ({ startDay: DAYS[d]!, endDay: DAYS[(d + 1) % 7]!, startHour: 19, startMin: 0, endHour: 7, endMin: 0 })),
        },
      }),
    ],
  },
  {
    id: "s-misc",
    name: "misc",
    description: "",
    timezone: "Europe/London",
    enabled: true,
    ownerTeam: team("g-misc", "Misc"),
    rotations: [
      rotation("r-weekdays", "Weekdays", "2027-01-04T09:00:00Z", ["u-bob"], {
        timeRestriction: {
          type: "weekday-and-time-of-day",
          restrictions: [0, 1, 2, 3, 4].map((d) => ({ startDay: DAYS[d]!, endDay: DAYS[d]!, startHour: 9, startMin: 0, endHour: 17, endMin: 0 })),
        },
      }),
      rotation("r-daily", "Daily", "2027-01-04T09:00:00Z", ["u-bob", "u-lee"], { type: "daily" }),
    ],
  },
  { id: "s-off", name: "retired_schedule", description: "", timezone: "Europe/London", enabled: false, ownerTeam: team("g-sre", "SRE"), rotations: [] },
];

ogWorld.overrides = {
  "s-sre": [{ alias: "dana-covers", user: who("u-dana"), startDate: "2027-03-23T10:00:00Z", endDate: "2027-03-24T10:00:00Z", rotations: [{ id: "r-weekly", name: "Weekly" }] }],
};

const rule = (minutes: number, recipient: { type: string; id: string; name?: string }, notifyType = "default", timeUnit = "minutes") => ({
  condition: "if-not-acked",
  notifyType,
  delay: { timeAmount: timeUnit === "hours" ? minutes / 60 : minutes, timeUnit },
  recipient,
});

ogWorld.escalations = [
  {
    id: "e-sre",
    name: "SRE_escalation",
    description: "",
    ownerTeam: team("g-sre", "SRE"),
    rules: [
      rule(0, { type: "schedule", id: "s-sre", name: "sre_schedule" }),
      rule(5, { type: "schedule", id: "s-sre", name: "sre_schedule" }, "next"),
      rule(60, { type: "user", id: "u-lee", name: "lee@og.test" }, "default", "hours"),
      rule(90, { type: "team", id: "g-follow", name: "Follow" }),
      rule(95, { type: "schedule", id: "s-sre", name: "sre_schedule" }, "previous"),
    ],
    repeat: { waitInterval: 10, count: 3, resetRecipientStates: false, closeAlertAfterAll: false },
  },
  {
    id: "e-follow",
    name: "Follow_escalation",
    description: "",
    ownerTeam: team("g-follow", "Follow"),
    rules: [rule(0, { type: "schedule", id: "s-follow", name: "follow_sun" }), rule(10, { type: "schedule", id: "s-sre", name: "sre_schedule" })],
    repeat: { waitInterval: 0, count: 0, resetRecipientStates: false, closeAlertAfterAll: false },
  },
];

export const OG_MEMBER: Record<string, string> = { "u-olivia": "olivia", "u-bob": "bob", "u-cat": "cat", "u-dana": "dana", "u-lee": "lee" };

/** Everyone Opsgenie has on call at t on a schedule, as Baton member ids. */
export const ogMembersAt = (schedule: string) => (t: number) => ogOnCallAt(ogWorld, schedule, t).map((id) => OG_MEMBER[id]!);
