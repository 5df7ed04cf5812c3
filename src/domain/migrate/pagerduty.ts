import { z } from "zod";
import type { RenderedEntry, Restriction, Turn, VendorEscalation, VendorSchedule, VendorSnapshot, VendorTarget, VendorUser } from "./snapshot";

/*
 * PagerDuty REST v2 answers, as far as Baton reads them (PagerDuty's OpenAPI,
 * reference/REST/openapiv3.json). Loose objects: PagerDuty adds fields.
 */
const reference = z.looseObject({ id: z.string(), type: z.string().optional(), summary: z.string().nullish() });

export const pdUserSchema = z.looseObject({
  id: z.string(),
  name: z.string(),
  email: z.string(),
  time_zone: z.string().nullish(),
  contact_methods: z
    .array(z.looseObject({ type: z.string(), address: z.string().nullish(), country_code: z.number().nullish() }))
    .default([]),
});

export const pdTeamSchema = z.looseObject({ id: z.string(), name: z.string().nullish(), summary: z.string().nullish() });

const restrictionSchema = z.looseObject({
  type: z.string(),
  start_time_of_day: z.string(),
  duration_seconds: z.number(),
  start_day_of_week: z.number().nullish(),
});

export const pdScheduleSchema = z.looseObject({
  id: z.string(),
  name: z.string().nullish(),
  summary: z.string().nullish(),
  time_zone: z.string(),
  teams: z.array(reference).default([]),
  schedule_layers: z
    .array(
      z.looseObject({
        id: z.string(),
        name: z.string(),
        start: z.string(),
        end: z.string().nullish(),
        rotation_virtual_start: z.string(),
        rotation_turn_length_seconds: z.number(),
        users: z.array(z.looseObject({ user: reference })),
        restrictions: z.array(restrictionSchema).nullish(),
      }),
    )
    .default([]),
  final_schedule: z
    .looseObject({
      rendered_schedule_entries: z.array(z.looseObject({ start: z.string(), end: z.string(), user: reference.nullish() })).default([]),
    })
    .nullish(),
});

export const pdOverrideSchema = z.looseObject({ id: z.string().nullish(), start: z.string(), end: z.string(), user: reference });

export const pdEscalationPolicySchema = z.looseObject({
  id: z.string(),
  name: z.string().nullish(),
  summary: z.string().nullish(),
  num_loops: z.number().nullish(),
  teams: z.array(reference).default([]),
  escalation_rules: z.array(
    z.looseObject({ escalation_delay_in_minutes: z.number(), targets: z.array(reference) }),
  ),
});

export type PdUser = z.output<typeof pdUserSchema>;
export type PdTeam = z.output<typeof pdTeamSchema>;
export type PdSchedule = z.output<typeof pdScheduleSchema>;
export type PdOverride = z.output<typeof pdOverrideSchema>;
export type PdEscalationPolicy = z.output<typeof pdEscalationPolicySchema>;

export type PagerDutyAnswers = {
  users: PdUser[];
  teams: PdTeam[];
  /**
   * Each schedule as `GET /schedules/{id}?since&until&time_zone=UTC` answers over the kept weeks,
   * final schedule included; `past` is the same over the history asked for.
   */
  schedules: { schedule: PdSchedule; past: PdSchedule; overrides: PdOverride[] }[];
  escalationPolicies: PdEscalationPolicy[];
};

const WEEK_SECONDS = 7 * 24 * 3600;
const DAY_SECONDS = 24 * 3600;
const DAY_NAMES = ["", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"];

function turnOf(seconds: number): Turn {
  if (seconds === WEEK_SECONDS) return { kind: "weekly" };
  const span = seconds % DAY_SECONDS === 0 ? `${seconds / DAY_SECONDS} day(s)` : `${seconds / 3600} hour(s)`;
  return { kind: "unsupported", reason: `turns of ${span}` };
}

/** "HH:mm:ss" plus a duration as a daily window, or null when it is not in whole minutes. */
function dailyWindow(startTime: string, durationSeconds: number): { start: string; end: string } | null {
  const [h, m, s] = startTime.split(":").map(Number) as [number, number, number?];
  if ((s ?? 0) !== 0 || durationSeconds % 60 !== 0) return null;
  const startMinutes = h * 60 + m;
  const endMinutes = (startMinutes + durationSeconds / 60) % (24 * 60);
  const fmt = (minutes: number) => `${String(Math.floor(minutes / 60)).padStart(2, "0")}:${String(minutes % 60).padStart(2, "0")}`;
  return { start: fmt(startMinutes), end: fmt(endMinutes) };
}

/**
 * A layer's restrictions in Baton's terms: one daily restriction (or the same
 * weekly restriction on all seven days) is a daily window; anything tied to
 * weekdays is not representable.
 */
export function restrictionOf(restrictions: readonly z.output<typeof restrictionSchema>[]): Restriction {
  if (restrictions.length === 0) return { kind: "none" };
  const first = restrictions[0]!;
  const sameTimes = restrictions.every((r) => r.start_time_of_day === first.start_time_of_day && r.duration_seconds === first.duration_seconds);
  const daily = restrictions.every((r) => r.type === "daily_restriction");
  const everyDay =
    restrictions.every((r) => r.type === "weekly_restriction") &&
    new Set(restrictions.map((r) => r.start_day_of_week)).size === 7 &&
    restrictions.length === 7;
  if (restrictions.length === 1 && first.type === "weekly_restriction" && first.duration_seconds >= WEEK_SECONDS) return { kind: "none" };
  if (((daily && restrictions.length === 1) || (everyDay && sameTimes)) && first.duration_seconds >= DAY_SECONDS) return { kind: "none" };
  if ((daily && restrictions.length === 1) || (everyDay && sameTimes)) {
    const window = dailyWindow(first.start_time_of_day, first.duration_seconds);
    if (window) return { kind: "daily", ...window };
    return { kind: "unsupported", reason: `a restriction not in whole minutes (${first.start_time_of_day} for ${first.duration_seconds} s)` };
  }
  const described = restrictions
    .map((r) => `${r.type === "weekly_restriction" ? `${DAY_NAMES[r.start_day_of_week ?? 0] ?? "?"} ` : "daily "}${r.start_time_of_day.slice(0, 5)} for ${r.duration_seconds / 3600} h`)
    .join(", ");
  return { kind: "unsupported", reason: `restricted by weekday or several times a day (${described})` };
}

function phoneOf(user: PdUser): string | null {
  const method = user.contact_methods.find((c) => c.type === "phone_contact_method") ?? user.contact_methods.find((c) => c.type === "sms_contact_method");
  if (!method?.address) return null;
  return method.country_code ? `+${method.country_code} ${method.address}` : method.address;
}

function targetOf(target: z.output<typeof reference>): VendorTarget {
  switch (target.type) {
    case "user":
    case "user_reference":
      return { kind: "user", vendorId: target.id };
    case "schedule":
    case "schedule_reference":
      return { kind: "schedule", vendorId: target.id, next: false };
    default:
      return { kind: "unsupported", reason: `a ${target.type ?? "target"} (${target.summary ?? target.id})` };
  }
}

/**
 * PagerDuty's escalation delay is the wait after a rule before the next one,
 * so each Baton level starts at the running sum of the delays before it.
 */
function escalationOf(policy: PdEscalationPolicy): VendorEscalation {
  let afterMinutes = 0;
  const levels = policy.escalation_rules.map((rule) => {
    const level = { afterMinutes, targets: rule.targets.map(targetOf) };
    afterMinutes += rule.escalation_delay_in_minutes;
    return level;
  });
  return { vendorId: policy.id, name: policy.name ?? policy.summary ?? policy.id, teamVendorId: policy.teams[0]?.id ?? null, levels, repeat: policy.num_loops ?? 0 };
}

function renderedOf(schedule: PdSchedule): RenderedEntry[] {
  return (schedule.final_schedule?.rendered_schedule_entries ?? []).flatMap((e) =>
    e.user ? [{ start: e.start, end: e.end, userVendorId: e.user.id, layerVendorId: null }] : [],
  );
}

function scheduleOf({ schedule, past, overrides }: PagerDutyAnswers["schedules"][number]): VendorSchedule {
  return {
    vendorId: schedule.id,
    name: schedule.name ?? schedule.summary ?? schedule.id,
    timeZone: schedule.time_zone,
    teamVendorId: schedule.teams[0]?.id ?? null,
    enabled: true,
    layering: "top-wins",
    layers: schedule.schedule_layers.map((layer) => ({
      vendorId: layer.id,
      name: layer.name,
      turnStart: layer.rotation_virtual_start,
      end: layer.end ?? null,
      turn: turnOf(layer.rotation_turn_length_seconds),
      restriction: restrictionOf(layer.restrictions ?? []),
      users: layer.users.map((u) => u.user.id),
      otherParticipants: [],
    })),
    rendered: renderedOf(schedule),
    history: renderedOf(past),
    overrides: overrides.length,
  };
}

export function pagerDutySnapshot(answers: PagerDutyAnswers): VendorSnapshot {
  const users: VendorUser[] = answers.users.map((u) => ({ vendorId: u.id, email: u.email, name: u.name, timeZone: u.time_zone ?? null, phone: phoneOf(u) }));
  return {
    vendor: "pagerduty",
    users,
    teams: answers.teams.map((t) => ({ vendorId: t.id, name: t.name ?? t.summary ?? t.id })),
    schedules: answers.schedules.map(scheduleOf),
    escalations: answers.escalationPolicies.map(escalationOf),
    unsupported: [],
  };
}
