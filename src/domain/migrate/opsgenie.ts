import { z } from "zod";
import type { RenderedEntry, Restriction, Turn, VendorEscalation, VendorSchedule, VendorSnapshot, VendorTarget } from "./snapshot";

/*
 * Opsgenie v2 answers (the `data` of each envelope), as far as Baton reads
 * them: opsgenie-oas and the Go SDK's types, and recorded real answers.
 */
export const ogUserSchema = z.looseObject({ id: z.string(), username: z.string(), fullName: z.string().nullish(), timeZone: z.string().nullish() });

export const ogTeamSchema = z.looseObject({ id: z.string(), name: z.string() });

const participantSchema = z.looseObject({ type: z.string(), id: z.string().nullish(), name: z.string().nullish(), username: z.string().nullish() });

const dayTime = z.looseObject({ startHour: z.number(), startMin: z.number(), endHour: z.number(), endMin: z.number() });
const weekdayTime = dayTime.extend({ startDay: z.string(), endDay: z.string() });

export const ogScheduleSchema = z.looseObject({
  id: z.string(),
  name: z.string(),
  timezone: z.string(),
  enabled: z.boolean().default(true),
  ownerTeam: z.looseObject({ id: z.string(), name: z.string().nullish() }).nullish(),
  rotations: z
    .array(
      z.looseObject({
        id: z.string(),
        name: z.string(),
        startDate: z.string(),
        endDate: z.string().nullish(),
        type: z.string(),
        length: z.number().default(1),
        participants: z.array(participantSchema).default([]),
        timeRestriction: z
          .looseObject({ type: z.string(), restriction: dayTime.nullish(), restrictions: z.array(weekdayTime).nullish() })
          .nullish(),
      }),
    )
    .default([]),
});

export const ogTimelineSchema = z.looseObject({
  finalTimeline: z
    .looseObject({
      rotations: z
        .array(
          z.looseObject({
            id: z.string(),
            name: z.string().nullish(),
            periods: z
              .array(z.looseObject({ startDate: z.string(), endDate: z.string(), type: z.string().nullish(), recipient: participantSchema.nullish() }))
              .default([]),
          }),
        )
        .default([]),
    })
    .nullish(),
});

export const ogOverrideSchema = z.looseObject({ alias: z.string().nullish(), startDate: z.string(), endDate: z.string() });

export const ogEscalationSchema = z.looseObject({
  id: z.string(),
  name: z.string(),
  ownerTeam: z.looseObject({ id: z.string() }).nullish(),
  rules: z.array(
    z.looseObject({
      notifyType: z.string().default("default"),
      delay: z.looseObject({ timeAmount: z.number(), timeUnit: z.string().default("minutes") }),
      recipient: participantSchema,
    }),
  ),
  repeat: z.looseObject({ count: z.number().nullish() }).nullish(),
});

export type OgUser = z.output<typeof ogUserSchema>;
export type OgTeam = z.output<typeof ogTeamSchema>;
export type OgSchedule = z.output<typeof ogScheduleSchema>;
export type OgTimeline = z.output<typeof ogTimelineSchema>;
export type OgOverride = z.output<typeof ogOverrideSchema>;
export type OgEscalation = z.output<typeof ogEscalationSchema>;

export type OpsgenieAnswers = {
  users: OgUser[];
  teams: OgTeam[];
  /** Each schedule from `GET /v2/schedules?expand=rotation`, its timeline over the kept weeks and over the past, and its overrides. */
  schedules: { schedule: OgSchedule; timeline: OgTimeline; pastTimeline: OgTimeline; overrides: OgOverride[] }[];
  escalations: OgEscalation[];
};

const DAYS = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"];
const clock = (hour: number, minute: number) => `${String(hour).padStart(2, "0")}:${String(minute).padStart(2, "0")}`;

function turnOf(type: string, length: number): Turn {
  if (type === "weekly" && length === 1) return { kind: "weekly" };
  return { kind: "unsupported", reason: `${type} turns of ${length}` };
}

/**
 * A rotation's time restriction in Baton's terms. Hours are local to the
 * schedule's zone. The same hours on all seven days, each on its own day or
 * each running into the next (the days may wrap past Sunday), are a daily
 * window; restrictions that leave some weekdays out are not representable.
 */
export function restrictionOf(restriction: OgSchedule["rotations"][number]["timeRestriction"]): Restriction {
  if (!restriction) return { kind: "none" };
  if (restriction.type === "time-of-day" && restriction.restriction) {
    const r = restriction.restriction;
    const start = clock(r.startHour, r.startMin);
    const end = clock(r.endHour, r.endMin);
    return start === end ? { kind: "none" } : { kind: "daily", start, end };
  }
  const all = restriction.restrictions ?? [];
  const first = all[0];
  if (restriction.type === "weekday-and-time-of-day" && first) {
    const start = clock(first.startHour, first.startMin);
    const end = clock(first.endHour, first.endMin);
    const dayShift = end > start ? 0 : 1;
    const days = new Set(all.map((r) => DAYS.indexOf(r.startDay)));
    const uniform = all.every(
      (r) =>
        clock(r.startHour, r.startMin) === start &&
        clock(r.endHour, r.endMin) === end &&
        DAYS.indexOf(r.endDay) === (DAYS.indexOf(r.startDay) + dayShift) % 7,
    );
    if (uniform && all.length === 7 && days.size === 7 && start !== end) return { kind: "daily", start, end };
    const described = all.map((r) => `${r.startDay} ${clock(r.startHour, r.startMin)}–${r.endDay} ${clock(r.endHour, r.endMin)}`).join(", ");
    return { kind: "unsupported", reason: `weekday restrictions (${described})` };
  }
  return { kind: "unsupported", reason: `a ${restriction.type} restriction` };
}

const UNIT_MINUTES: Record<string, number> = { minutes: 1, hours: 60, days: 24 * 60 };

function targetOf(rule: OgEscalation["rules"][number]): VendorTarget {
  const { recipient, notifyType } = rule;
  const name = recipient.name ?? recipient.username ?? recipient.id ?? recipient.type;
  if (!recipient.id) return { kind: "unsupported", reason: `${recipient.type} ${name} has no id` };
  if (recipient.type === "user") return { kind: "user", vendorId: recipient.id };
  if (recipient.type === "schedule" && (notifyType === "default" || notifyType === "next")) {
    return { kind: "schedule", vendorId: recipient.id, next: notifyType === "next" };
  }
  if (recipient.type === "team" && notifyType === "default") return { kind: "team", vendorId: recipient.id };
  return { kind: "unsupported", reason: `notify ${notifyType} of ${recipient.type} ${name}` };
}

/** Opsgenie counts each rule's delay from the alert: it is Baton's afterMinutes as it is. */
function escalationOf(escalation: OgEscalation): VendorEscalation | { unsupported: string } {
  const levels: VendorEscalation["levels"] = [];
  for (const rule of escalation.rules) {
    const unit = UNIT_MINUTES[rule.delay.timeUnit];
    if (unit === undefined) return { unsupported: `a delay in ${rule.delay.timeUnit}` };
    levels.push({ afterMinutes: rule.delay.timeAmount * unit, targets: [targetOf(rule)] });
  }
  levels.sort((a, b) => a.afterMinutes - b.afterMinutes);
  return { vendorId: escalation.id, name: escalation.name, teamVendorId: escalation.ownerTeam?.id ?? null, levels, repeat: escalation.repeat?.count ?? 0 };
}

/** A final timeline's periods, each tied to its rotation; recipients that are not people are not on call in Baton. */
function renderedOf(timeline: OgTimeline, userByName: ReadonlyMap<string, string>): RenderedEntry[] {
  const rendered: RenderedEntry[] = [];
  for (const rotation of timeline.finalTimeline?.rotations ?? []) {
    for (const period of rotation.periods) {
      const recipient = period.recipient;
      if (!recipient || recipient.type !== "user") continue;
      const userId = recipient.id ?? userByName.get((recipient.name ?? recipient.username ?? "").toLowerCase());
      if (userId) rendered.push({ start: period.startDate, end: period.endDate, userVendorId: userId, layerVendorId: rotation.id });
    }
  }
  return rendered;
}

function scheduleOf({ schedule, timeline, pastTimeline, overrides }: OpsgenieAnswers["schedules"][number], userByName: ReadonlyMap<string, string>): VendorSchedule {
  return {
    vendorId: schedule.id,
    name: schedule.name,
    timeZone: schedule.timezone,
    teamVendorId: schedule.ownerTeam?.id ?? null,
    enabled: schedule.enabled,
    layering: "all-on-call",
    layers: schedule.rotations.map((rotation) => ({
      vendorId: rotation.id,
      name: rotation.name,
      turnStart: rotation.startDate,
      end: rotation.endDate ?? null,
      turn: turnOf(rotation.type, rotation.length),
      restriction: restrictionOf(rotation.timeRestriction),
      users: rotation.participants.flatMap((p) => {
        const id = p.type === "user" ? (p.id ?? userByName.get((p.username ?? p.name ?? "").toLowerCase())) : undefined;
        return id ? [id] : [];
      }),
      otherParticipants: rotation.participants.filter((p) => p.type !== "user").map((p) => `${p.type} ${p.name ?? p.id ?? ""}`.trim()),
    })),
    rendered: renderedOf(timeline, userByName),
    history: renderedOf(pastTimeline, userByName),
    overrides: overrides.length,
  };
}

export function opsgenieSnapshot(answers: OpsgenieAnswers): VendorSnapshot {
  const userByName = new Map(answers.users.map((u) => [u.username.toLowerCase(), u.id]));
  const escalations: VendorEscalation[] = [];
  const unsupported: VendorSnapshot["unsupported"] = [];
  for (const e of answers.escalations) {
    const mapped = escalationOf(e);
    if ("unsupported" in mapped) unsupported.push({ what: "escalation policy", name: e.name, reason: mapped.unsupported });
    else escalations.push(mapped);
  }
  return {
    vendor: "opsgenie",
    users: answers.users.map((u) => ({ vendorId: u.id, email: u.username, name: u.fullName?.trim() || u.username, timeZone: u.timeZone ?? null, phone: null })),
    teams: answers.teams.map((t) => ({ vendorId: t.id, name: t.name })),
    schedules: answers.schedules.map((s) => scheduleOf(s, userByName)),
    escalations,
    unsupported,
  };
}
