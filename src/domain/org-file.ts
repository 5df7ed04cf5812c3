import { z } from "zod";
import { HHMM, WEEKDAYS, isValidDate, isValidZone } from "./time";
import { isKnownCountry, isKnownSubdivision } from "./holidays";
import { rruleProblem } from "./availability";
import { countryHint, withHint, zoneHint } from "./hints";
import { dateSchema, nameSchema, noteSchema } from "./input";

const id = z
  .string()
  .regex(/^[a-z0-9][a-z0-9_-]{0,62}$/, "must be 1–63 lowercase letters, digits, '-' or '_', starting with a letter or digit");
const date = dateSchema;
const zone = z.string().superRefine((s, ctx) => {
  if (!isValidZone(s)) ctx.addIssue({ code: "custom", message: withHint("must be an IANA time zone such as Europe/London", zoneHint(s)) });
});
const COUNTRY_CODE = /^[A-Z]{2}$/;
const hhmm = z.string().regex(HHMM, "must be a time HH:mm between 00:00 and 23:59");

export const memberSchema = z
  .strictObject({
    id,
    name: nameSchema(200),
    email: z.email(),
    timeZone: zone,
    country: z.string().regex(COUNTRY_CODE, {
      error: (issue) => withHint("must be an ISO 3166-1 alpha-2 code such as GB", typeof issue.input === "string" ? countryHint(issue.input) : null),
    }),
    subdivision: z.string().min(1).max(10).optional(),
    phone: z.string().max(40).optional(),
    startDate: date.nullable().optional(),
    endDate: date.nullable().optional(),
  })
  .superRefine((m, ctx) => {
    // A code of the wrong shape is reported by the field's own check.
    if (COUNTRY_CODE.test(m.country) && !isKnownCountry(m.country)) {
      ctx.addIssue({ code: "custom", path: ["country"], message: withHint(`no public holiday data for country ${m.country}`, countryHint(m.country)) });
    } else if (isKnownCountry(m.country) && m.subdivision !== undefined && !isKnownSubdivision(m.country, m.subdivision)) {
      ctx.addIssue({ code: "custom", path: ["subdivision"], message: `${m.subdivision} is not a subdivision of ${m.country}` });
    }
    if (m.startDate && m.endDate && isValidDate(m.startDate) && isValidDate(m.endDate) && m.endDate < m.startDate) {
      ctx.addIssue({ code: "custom", path: ["endDate"], message: "must be on or after startDate" });
    }
  });

const windowSchema = z
  .strictObject({ start: hhmm, end: hhmm })
  .refine((w) => w.start !== w.end, { path: ["end"], message: "must differ from start (omit the window for the whole day)" });

export const rotationSchema = z.strictObject({
  id,
  name: nameSchema(200),
  timeZone: zone.optional(),
  window: windowSchema.optional(),
  members: z.array(id).min(1, "a rotation needs at least one member"),
});

const targetSchema = z.discriminatedUnion("type", [
  z.strictObject({ type: z.literal("oncall"), rotation: id.optional() }),
  z.strictObject({ type: z.literal("next-oncall"), rotation: id.optional() }),
  z.strictObject({ type: z.literal("member"), member: id }),
  z.strictObject({ type: z.literal("team"), team: id }),
]);

export const escalationSchema = z.strictObject({
  repeat: z.number().int().min(0).max(10).default(0),
  levels: z
    .array(
      z.strictObject({
        afterMinutes: z.number().int().min(0).max(24 * 60),
        targets: z.array(targetSchema).min(1, "a level needs at least one target"),
      }),
    )
    .min(1, "an escalation policy needs at least one level"),
});

export const teamSchema = z.strictObject({
  id,
  name: nameSchema(200),
  timeZone: zone,
  handoff: z
    .strictObject({ weekday: z.enum(WEEKDAYS), time: hhmm })
    .default({ weekday: "tuesday", time: "10:00" }),
  freezeWeeks: z.number().int().min(0).max(52).default(2),
  holidays: z
    .strictObject({
      policy: z.enum(["avoid", "block", "ignore"]).default("avoid"),
      cover: z.enum(["other-rotations", "same-rotation"]).default("same-rotation"),
      countBank: z.boolean().default(false),
    })
    .default({ policy: "avoid", cover: "same-rotation", countBank: false }),
  gapPolicy: z.enum(["previous", "next"]).default("previous"),
  rotations: z.array(rotationSchema).min(1, "a team needs at least one rotation"),
  escalation: escalationSchema,
});

const timeOffFields = {
  start: date,
  end: date.optional(),
  rrule: z.string().min(1).max(500).optional(),
  note: noteSchema(500).optional(),
};

function checkTimeOff(t: { start: string; end?: string | undefined; rrule?: string | undefined }, ctx: z.RefinementCtx): void {
  // zod still runs refinements when a field failed; only compare dates that are dates.
  if (!isValidDate(t.start) || (t.end !== undefined && !isValidDate(t.end))) return;
  if (t.end !== undefined && t.end < t.start) {
    ctx.addIssue({ code: "custom", path: ["end"], message: "must be on or after start" });
  }
  if (t.rrule === undefined && t.end === undefined) {
    ctx.addIssue({ code: "custom", path: ["end"], message: "is required unless the time off recurs (rrule)" });
  }
  if (t.rrule !== undefined) {
    const problem = rruleProblem(t.rrule, t.start);
    if (problem) ctx.addIssue({ code: "custom", path: ["rrule"], message: problem });
  }
}

/** Time off as a member posts it for themselves: dates inclusive, in the member's zone. */
export const timeOffEntrySchema = z.strictObject(timeOffFields).superRefine(checkTimeOff);

export const timeOffSchema = z
  .strictObject({
    member: id,
    ...timeOffFields,
    // "api": the member (or an admin) posted it, and imports of files that lack it keep it. The export says so.
    source: z.enum(["org", "api"]).optional(),
  })
  .superRefine(checkTimeOff);

export const orgFileSchema = z
  .strictObject({
    version: z.literal(1),
    members: z.array(memberSchema),
    teams: z.array(teamSchema),
    timeOff: z.array(timeOffSchema).default([]),
  })
  .superRefine((org, ctx) => {
    const issue = (path: (string | number)[], message: string) => ctx.addIssue({ code: "custom", path, message });
    const memberIds = new Set<string>();
    const emails = new Map<string, string>();
    org.members.forEach((m, i) => {
      if (memberIds.has(m.id)) issue(["members", i, "id"], `duplicate member id ${m.id}`);
      memberIds.add(m.id);
      // Addresses are compared as mail systems do in practice: case does not make a second person.
      const email = m.email.toLowerCase();
      const owner = emails.get(email);
      if (owner !== undefined) issue(["members", i, "email"], `${m.email} is already the email of ${owner}`);
      else emails.set(email, m.id);
    });
    const teamIds = new Set(org.teams.map((t) => t.id));
    const seenTeams = new Set<string>();
    org.teams.forEach((team, t) => {
      if (seenTeams.has(team.id)) issue(["teams", t, "id"], `duplicate team id ${team.id}`);
      seenTeams.add(team.id);
      const rotationIds = new Set<string>();
      team.rotations.forEach((rotation, r) => {
        if (rotationIds.has(rotation.id)) issue(["teams", t, "rotations", r, "id"], `duplicate rotation id ${rotation.id} in team ${team.id}`);
        rotationIds.add(rotation.id);
        const inRotation = new Set<string>();
        rotation.members.forEach((member, m) => {
          if (!memberIds.has(member)) issue(["teams", t, "rotations", r, "members", m], `unknown member ${member}`);
          else if (inRotation.has(member)) issue(["teams", t, "rotations", r, "members", m], `${member} is listed twice`);
          inRotation.add(member);
        });
      });
      let previousAfter = -1;
      team.escalation.levels.forEach((level, l) => {
        if (level.afterMinutes < previousAfter) {
          issue(["teams", t, "escalation", "levels", l, "afterMinutes"], "levels must be in order of afterMinutes");
        }
        previousAfter = level.afterMinutes;
        level.targets.forEach((target, g) => {
          const path = ["teams", t, "escalation", "levels", l, "targets", g];
          if (target.type === "member" && !memberIds.has(target.member)) issue([...path, "member"], `unknown member ${target.member}`);
          if (target.type === "team" && !teamIds.has(target.team)) issue([...path, "team"], `unknown team ${target.team}`);
          if (target.type === "team" && target.team === team.id) issue([...path, "team"], "a team cannot escalate to itself");
          if ((target.type === "oncall" || target.type === "next-oncall") && target.rotation && !rotationIds.has(target.rotation)) {
            issue([...path, "rotation"], `unknown rotation ${target.rotation} in team ${team.id}`);
          }
        });
      });
    });
    org.timeOff.forEach((t, i) => {
      if (!memberIds.has(t.member)) issue(["timeOff", i, "member"], `unknown member ${t.member}`);
    });
    org.teams.forEach((team, t) => {
      const loop = escalationDeadEnd(org.teams, team.id);
      if (loop) issue(["teams", t, "escalation"], `reaches no person: ${loop.join(" → ")}`);
    });
  });

/**
 * The teams a chain walks through without reaching a person, when it never
 * does: a \`team\` target pages that team's first level only, so a team whose
 * every level points at teams whose first levels point back pages nobody.
 * Null when some level reaches a person (a rotation's on call, a member).
 */
export function escalationDeadEnd(teams: readonly Pick<Team, "id" | "escalation">[], teamId: string): string[] | null {
  const byId = new Map(teams.map((t) => [t.id, t]));
  // Walks the levels given; answers the path to the first team seen twice, or null once a person is reached.
  const walk = (levels: Escalation["levels"], path: string[]): string[] | null => {
    let deadEnd: string[] | null = null;
    for (const target of levels.flatMap((level) => level.targets)) {
      if (target.type !== "team") return null;
      const next = byId.get(target.team);
      // An unknown team is reported on its own path; here it reaches nobody either way.
      const found = path.includes(target.team) || !next ? [...path, target.team] : walk(next.escalation.levels.slice(0, 1), [...path, target.team]);
      if (found === null) return null;
      deadEnd ??= found;
    }
    return deadEnd;
  };
  const team = byId.get(teamId);
  return team ? walk(team.escalation.levels, [teamId]) : null;
}

export type OrgFileInput = z.input<typeof orgFileSchema>;
export type OrgFile = z.output<typeof orgFileSchema>;
export type Member = z.output<typeof memberSchema>;
export type Team = z.output<typeof teamSchema>;
export type Rotation = z.output<typeof rotationSchema>;
export type Escalation = z.output<typeof escalationSchema>;
export type EscalationTarget = z.output<typeof targetSchema>;
export type TimeOffInput = z.output<typeof timeOffSchema>;
export type TimeOff = TimeOffInput & { id?: number };

/** A rotation with its zone resolved from its team. */
export function rotationZone(team: Team, rotation: Rotation): string {
  return rotation.timeZone ?? team.timeZone;
}

/** JSON Schema of the org file as authors write it (defaults optional). */
export function orgFileJsonSchema(): unknown {
  return z.toJSONSchema(orgFileSchema, { io: "input", unrepresentable: "any" });
}
