/**
 * Local stand-ins for PagerDuty REST v2 and Opsgenie v2, answering in their
 * documented shapes (PagerDuty's OpenAPI; opsgenie-oas and recorded real
 * Opsgenie answers): their auth headers, their paging (offset/limit/more;
 * paging.next), 401 bodies, and 429/5xx with Retry-After when told to fail.
 * Each renders its final schedule the way the vendor does, from its layers or
 * rotations and overrides, so tests can compare Baton with the vendor's answer.
 */
import { DateTime } from "luxon";
import { listen } from "./browser";

export type Fault = { status: number; retryAfter?: string };
export type Logged = { path: string; search: URLSearchParams; headers: Headers };

type Served = { url: string; log: Logged[]; close: () => Promise<void> };

const MINUTE = 60_000;
const STEP = 15 * MINUTE;

/** A listening mock: checks the key, plays queued faults per path, then answers. */
async function serveVendor(
  authorized: (headers: Headers) => boolean,
  unauthorized: () => Response,
  faults: Record<string, Fault[]>,
  answer: (url: URL) => unknown,
): Promise<Served> {
  const log: Logged[] = [];
  const pending = Object.fromEntries(Object.entries(faults).map(([path, list]) => [path, [...list]]));
  const server = await listen(() => (request) => {
    const url = new URL(request.url);
    log.push({ path: url.pathname, search: url.searchParams, headers: request.headers });
    if (!authorized(request.headers)) return unauthorized();
    const fault = pending[url.pathname]?.shift();
    if (fault) {
      return Response.json({ message: "slow down" }, { status: fault.status, headers: fault.retryAfter ? { "retry-after": fault.retryAfter } : {} });
    }
    const body = answer(url);
    return body === undefined ? Response.json({ error: { message: "Not Found", code: 2100 } }, { status: 404 }) : Response.json(body);
  });
  return { ...server, log };
}

/** Merges on-call samples every STEP over [since, until) into runs of one person. */
function render(since: number, until: number, whoAt: (t: number) => string | null): { start: number; end: number; who: string }[] {
  const runs: { start: number; end: number; who: string }[] = [];
  for (let t = since; t < until; t += STEP) {
    const who = whoAt(t);
    const last = runs[runs.length - 1];
    if (who !== null && last && last.who === who && last.end === t) last.end = Math.min(t + STEP, until);
    else if (who !== null) runs.push({ start: t, end: Math.min(t + STEP, until), who });
  }
  return runs;
}

/** The index of the turn in force at t, turns counted on the wall clock of `zone` from `start`. */
function turnAt(start: string, zone: string, turn: { days?: number; hours?: number }, t: number): number {
  const origin = DateTime.fromISO(start, { zone: "utc" }).setZone(zone);
  const at = (k: number) => origin.plus({ days: (turn.days ?? 0) * k, hours: (turn.hours ?? 0) * k }).toMillis();
  const approx = (turn.days ?? 0) * 24 + (turn.hours ?? 0);
  let k = Math.floor((t - origin.toMillis()) / (approx * 3_600_000));
  while (at(k + 1) <= t) k++;
  while (at(k) > t) k--;
  return k;
}

const mod = (a: number, n: number) => ((a % n) + n) % n;
const iso = (ms: number) => new Date(ms).toISOString().replace(".000Z", "Z");

function localMinutes(t: number, zone: string): { ofDay: number; ofWeek: number } {
  const local = DateTime.fromMillis(t, { zone });
  const ofDay = local.hour * 60 + local.minute;
  return { ofDay, ofWeek: (local.weekday - 1) * 1440 + ofDay };
}

// ---------------------------------------------------------------- PagerDuty

export type PdRestriction = { type: "daily_restriction" | "weekly_restriction"; start_time_of_day: string; duration_seconds: number; start_day_of_week?: number };
export type PdLayer = {
  id: string;
  name: string;
  start: string;
  end: string | null;
  rotation_virtual_start: string;
  rotation_turn_length_seconds: number;
  users: { user: { id: string; type: "user_reference" } }[];
  restrictions: PdRestriction[];
};
export type PdWorld = {
  users: { id: string; name: string; email: string; time_zone: string; contact_methods: { type: string; address: string; country_code?: number }[] }[];
  teams: { id: string; name: string }[];
  schedules: { id: string; name: string; time_zone: string; teams: { id: string; type: "team_reference" }[]; schedule_layers: PdLayer[] }[];
  overrides: Record<string, { id: string; start: string; end: string; user: { id: string; type: "user_reference" } }[]>;
  escalation_policies: {
    id: string;
    name: string;
    num_loops: number;
    teams: { id: string; type: "team_reference" }[];
    escalation_rules: { id: string; escalation_delay_in_minutes: number; targets: { id: string; type: string }[] }[];
  }[];
};

function pdRestricted(restrictions: readonly PdRestriction[], zone: string, t: number): boolean {
  if (restrictions.length === 0) return true;
  const { ofDay, ofWeek } = localMinutes(t, zone);
  return restrictions.some((r) => {
    const [h, m] = r.start_time_of_day.split(":").map(Number) as [number, number];
    const minutes = r.duration_seconds / 60;
    return r.type === "daily_restriction"
      ? mod(ofDay - (h * 60 + m), 1440) < minutes
      : mod(ofWeek - ((r.start_day_of_week! - 1) * 1440 + h * 60 + m), 7 * 1440) < minutes;
  });
}

/** Who PagerDuty has on call at t: an override, else the highest layer that has someone. */
export function pdOnCallAt(world: PdWorld, scheduleId: string, t: number): string | null {
  const schedule = world.schedules.find((s) => s.id === scheduleId)!;
  const override = (world.overrides[scheduleId] ?? []).find((o) => Date.parse(o.start) <= t && t < Date.parse(o.end));
  if (override) return override.user.id;
  for (const layer of schedule.schedule_layers) {
    if (t < Date.parse(layer.start) || (layer.end && t >= Date.parse(layer.end))) continue;
    if (!pdRestricted(layer.restrictions, schedule.time_zone, t)) continue;
    const seconds = layer.rotation_turn_length_seconds;
    const turn = seconds % 86400 === 0 ? { days: seconds / 86400 } : { hours: seconds / 3600 };
    const k = turnAt(layer.rotation_virtual_start, schedule.time_zone, turn, t);
    return layer.users[mod(k, layer.users.length)]!.user.id;
  }
  return null;
}

/** PagerDuty caps this mock's pages below the asked limit, as the API may: clients must advance by what came back. */
const PD_PAGE_CAP = 2;

export function pagerDutyServer(world: PdWorld, options: { apiKey: string; faults?: Record<string, Fault[]> }): Promise<Served> {
  const page = (key: string, items: unknown[], url: URL) => {
    const offset = Number(url.searchParams.get("offset") ?? 0);
    const limit = Math.min(Number(url.searchParams.get("limit") ?? 25), PD_PAGE_CAP);
    const slice = items.slice(offset, offset + limit);
    return { [key]: slice, limit, offset, more: offset + slice.length < items.length, total: null };
  };
  return serveVendor(
    (h) => h.get("authorization") === `Token token=${options.apiKey}` && h.get("accept") === "application/vnd.pagerduty+json;version=2",
    () => Response.json({ error: { message: "Unauthorized", code: 2006 } }, { status: 401 }),
    options.faults ?? {},
    (url) => {
      const path = url.pathname;
      if (path === "/users") {
        const withContacts = url.searchParams.getAll("include[]").includes("contact_methods");
        return page("users", world.users.map((u) => (withContacts ? u : { ...u, contact_methods: u.contact_methods.map((c) => ({ id: c.address, type: `${c.type}_reference` })) })), url);
      }
      if (path === "/teams") return page("teams", world.teams.map((t) => ({ ...t, type: "team", summary: t.name })), url);
      if (path === "/schedules") return page("schedules", world.schedules.map((s) => ({ id: s.id, type: "schedule", summary: s.name, name: s.name, time_zone: s.time_zone })), url);
      if (path === "/escalation_policies") return page("escalation_policies", world.escalation_policies.map((p) => ({ ...p, type: "escalation_policy", summary: p.name })), url);
      const detail = /^\/schedules\/([^/]+)(\/overrides)?$/.exec(path);
      const schedule = detail && world.schedules.find((s) => s.id === decodeURIComponent(detail[1]!));
      if (!schedule) return undefined;
      const since = Date.parse(url.searchParams.get("since")!);
      const until = Date.parse(url.searchParams.get("until")!);
      if (detail![2]) {
        return { overrides: (world.overrides[schedule.id] ?? []).filter((o) => Date.parse(o.start) < until && since < Date.parse(o.end)) };
      }
      const entries = render(since, until, (t) => pdOnCallAt(world, schedule.id, t)).map((r) => ({
        start: iso(r.start),
        end: iso(r.end),
        user: { id: r.who, type: "user_reference", summary: world.users.find((u) => u.id === r.who)!.name },
      }));
      return {
        schedule: {
          ...schedule,
          type: "schedule",
          summary: schedule.name,
          final_schedule: { name: "Final Schedule", rendered_schedule_entries: entries, rendered_coverage_percentage: null },
          overrides_subschedule: { name: "Overrides", rendered_schedule_entries: [] },
        },
      };
    },
  );
}

// ----------------------------------------------------------------- Opsgenie

type OgDayTime = { startHour: number; startMin: number; endHour: number; endMin: number };
export type OgRotation = {
  id: string;
  name: string;
  startDate: string;
  endDate?: string;
  type: "weekly" | "daily" | "hourly";
  length: number;
  participants: { type: "user"; id: string; username: string }[];
  timeRestriction?:
    | { type: "time-of-day"; restriction: OgDayTime }
    | { type: "weekday-and-time-of-day"; restrictions: (OgDayTime & { startDay: string; endDay: string })[] };
};
export type OgWorld = {
  users: { id: string; username: string; fullName: string; timeZone: string; role: { id: string; name: string } }[];
  teams: { id: string; name: string; description: string }[];
  schedules: { id: string; name: string; description: string; timezone: string; enabled: boolean; ownerTeam: { id: string; name: string }; rotations: OgRotation[] }[];
  overrides: Record<string, { alias: string; user: { type: "user"; id: string; username: string }; startDate: string; endDate: string; rotations: { id: string; name: string }[] }[]>;
  escalations: {
    id: string;
    name: string;
    description: string;
    ownerTeam: { id: string; name: string };
    rules: { condition: string; notifyType: string; delay: { timeAmount: number; timeUnit: string }; recipient: { type: string; id: string; name?: string; username?: string } }[];
    repeat: { waitInterval: number; count: number; resetRecipientStates: boolean; closeAlertAfterAll: boolean };
  }[];
};

const OG_DAYS = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"];

function ogRestricted(rotation: OgRotation, zone: string, t: number): boolean {
  const r = rotation.timeRestriction;
  if (!r) return true;
  const { ofDay, ofWeek } = localMinutes(t, zone);
  if (r.type === "time-of-day") {
    const start = r.restriction.startHour * 60 + r.restriction.startMin;
    const end = r.restriction.endHour * 60 + r.restriction.endMin;
    return mod(ofDay - start, 1440) < mod(end - start, 1440);
  }
  return r.restrictions.some((x) => {
    const start = OG_DAYS.indexOf(x.startDay) * 1440 + x.startHour * 60 + x.startMin;
    const end = OG_DAYS.indexOf(x.endDay) * 1440 + x.endHour * 60 + x.endMin;
    return mod(ofWeek - start, 7 * 1440) < mod(end - start, 7 * 1440);
  });
}

/** Who a rotation of an Opsgenie schedule has on call at t, and whether by an override. */
export function ogRotationAt(world: OgWorld, scheduleId: string, rotation: OgRotation, t: number): { user: string; override: boolean } | null {
  const schedule = world.schedules.find((s) => s.id === scheduleId)!;
  if (t < Date.parse(rotation.startDate) || (rotation.endDate && t >= Date.parse(rotation.endDate))) return null;
  if (!ogRestricted(rotation, schedule.timezone, t)) return null;
  const override = (world.overrides[scheduleId] ?? []).find(
    (o) => Date.parse(o.startDate) <= t && t < Date.parse(o.endDate) && o.rotations.some((r) => r.id === rotation.id),
  );
  if (override) return { user: override.user.id, override: true };
  const turn = rotation.type === "weekly" ? { days: 7 * rotation.length } : rotation.type === "daily" ? { days: rotation.length } : { hours: rotation.length };
  const k = turnAt(rotation.startDate, schedule.timezone, turn, t);
  return { user: rotation.participants[mod(k, rotation.participants.length)]!.id, override: false };
}

/** Everyone an Opsgenie schedule has on call at t: each rotation's person. */
export function ogOnCallAt(world: OgWorld, scheduleId: string, t: number): string[] {
  const schedule = world.schedules.find((s) => s.id === scheduleId)!;
  return schedule.rotations.flatMap((r) => ogRotationAt(world, scheduleId, r, t)?.user ?? []);
}

const OG_USERS_PAGE = 2;

export function opsgenieServer(world: OgWorld, options: { apiKey: string; faults?: Record<string, Fault[]> }): Promise<Served & { publicHost: string }> {
  const envelope = (data: unknown, extra: Record<string, unknown> = {}) => ({ data, ...extra, took: 0.01, requestId: "b1a7f2c4-0000-4000-8000-000000000000" });
  // Opsgenie writes paging links on its own host; the client must keep its key on the one it was given.
  const publicHost = "https://api.opsgenie.com";
  return serveVendor(
    (h) => h.get("authorization") === `GenieKey ${options.apiKey}`,
    () => Response.json({ message: "Could not authenticate", took: 0.0, requestId: "0e5e-401" }, { status: 401 }),
    options.faults ?? {},
    (url) => {
      const path = url.pathname;
      if (path === "/v2/users") {
        const offset = Number(url.searchParams.get("offset") ?? 0);
        const limit = Math.min(Number(url.searchParams.get("limit") ?? 20), OG_USERS_PAGE);
        const next = offset + limit < world.users.length ? { next: `${publicHost}/v2/users?limit=${limit}&offset=${offset + limit}&order=ASC&sort=username` } : {};
        return envelope(world.users.slice(offset, offset + limit), { totalCount: world.users.length, paging: { first: `${publicHost}/v2/users?limit=${limit}&offset=0`, ...next } });
      }
      if (path === "/v2/teams") return envelope(world.teams);
      if (path === "/v2/escalations") return envelope(world.escalations);
      if (path === "/v2/schedules") {
        const expanded = url.searchParams.get("expand") === "rotation";
        return envelope(world.schedules.map((s) => (expanded ? s : { ...s, rotations: undefined })), { expandable: ["rotation"] });
      }
      const detail = /^\/v2\/schedules\/([^/]+)\/(timeline|overrides)$/.exec(path);
      const schedule = detail && world.schedules.find((s) => s.id === decodeURIComponent(detail[1]!));
      if (!schedule) return undefined;
      if (detail![2] === "overrides") return envelope(world.overrides[schedule.id] ?? []);
      const unit = url.searchParams.get("intervalUnit") ?? "weeks";
      const interval = Number(url.searchParams.get("interval") ?? 1);
      const start = DateTime.fromISO(url.searchParams.get("date")!, { zone: "utc" });
      const end = start.plus({ [unit]: interval });
      const rotations = schedule.rotations.map((rotation, order) => ({
        id: rotation.id,
        name: rotation.name,
        order,
        periods: render(start.toMillis(), end.toMillis(), (t) => {
          const who = ogRotationAt(world, schedule.id, rotation, t);
          return who ? `${who.user}|${who.override ? "override" : "default"}` : null;
        }).map((r) => {
          const [user, type] = r.who.split("|") as [string, string];
          return { startDate: iso(r.start), endDate: iso(r.end), type, recipient: { type: "user", id: user, name: world.users.find((u) => u.id === user)!.username } };
        }),
      }));
      return envelope({
        _parent: { id: schedule.id, name: schedule.name, enabled: schedule.enabled },
        startDate: start.toISO({ suppressMilliseconds: true }),
        endDate: end.toISO({ suppressMilliseconds: true }),
        finalTimeline: { rotations },
        baseTimeline: { rotations: [] },
        overrideTimeline: { rotations: [] },
      });
    },
  ).then((served) => ({ ...served, publicHost }));
}
