import { getTimezone } from "countries-and-timezones";
import { DateTime } from "luxon";
import { isDeepStrictEqual } from "node:util";
import { isKnownCountry } from "../holidays";
import type { EscalationTarget, Member, OrgFile, OrgFileInput, Rotation, Team } from "../org-file";
import { intersect, type Range } from "../ranges";
import { addDays, instantMs, isoFromMs, parseInstant, WEEKDAYS, type Weekday } from "../time";
import { handoffClock, weekContaining, weekStartingOn, windowOccurrences, type DailyWindow } from "../weeks";
import type { RenderedEntry, Vendor, VendorEscalation, VendorLayer, VendorSchedule, VendorSnapshot, VendorUser } from "./snapshot";

/** Something of the vendor's that Baton does not carry over, by name, with the reason. */
export type Skipped = { what: string; name: string; reason: string };

/** A member as the migration maps it, for review: the country is inferred from the zone. */
export type MappedMember = { id: string; email: string; name: string; timeZone: string; country: string; countryFrom: string; existing: boolean };

/** Who the vendor has on call for [start, end) on a rotation: kept as a fixed override. */
export type FixedInterval = { team: string; rotation: string; start: string; end: string; member: string };

/** A past week of a rotation, held by whoever the vendor had on call longest in it (null: nobody). */
export type HistoryWeek = { team: string; rotation: string; weekStart: string; weekEnd: string; member: string | null };

export type MigrationPlan = {
  vendor: Vendor;
  /** The existing org with the vendor's members and teams added or updated. */
  org: OrgFileInput;
  members: MappedMember[];
  teams: Team[];
  /** How vendor things became Baton things, one line each. */
  mapped: string[];
  skipped: Skipped[];
  /** The vendor's final schedule over the kept weeks, per rotation. */
  fixed: FixedInterval[];
  /** The vendor's on-call over [historyFrom, now): the weeks that held it and the exact intervals. */
  history: { weeks: HistoryWeek[]; intervals: FixedInterval[] };
};

const TEAM_PREFIX: Record<Vendor, string> = { pagerduty: "pd", opsgenie: "og" };
const VENDOR_NAME: Record<Vendor, string> = { pagerduty: "PagerDuty", opsgenie: "Opsgenie" };
/** When a zone names no country (UTC, Etc/*), members still need one for holidays: this one, flagged for review. */
const FALLBACK_COUNTRY = "US";
const MAX_REPEAT = 10;

/** An id as Baton's org file allows: lowercase letters, digits, '-' and '_'. */
function slug(text: string): string {
  const base = text
    .normalize("NFKD")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, 56);
  return base || "x";
}

function unique(base: string, taken: Set<string>): string {
  let id = base;
  for (let n = 2; taken.has(id); n++) id = `${base}-${n}`;
  taken.add(id);
  return id;
}

/**
 * The country a zone belongs to, from the IANA zone table (zone1970.tab lists
 * a zone's main country first), limited to countries Baton has holidays for.
 */
export function countryForZone(zone: string): string | null {
  const countries = getTimezone(zone)?.countries ?? [];
  return countries.find(isKnownCountry) ?? null;
}

function hhmm(at: DateTime): string {
  return at.toFormat("HH:mm");
}

function localHandoff(turnStart: string, zone: string): { weekday: Weekday; time: string } {
  const local = DateTime.fromISO(turnStart, { zone: "utc" }).setZone(zone);
  return { weekday: WEEKDAYS[local.weekday - 1]!, time: hhmm(local) };
}

const MINUTES_PER_DAY = 24 * 60;
const minutesOf = (time: string) => Number(time.slice(0, 2)) * 60 + Number(time.slice(3, 5));

/** The minutes of a day [from, to) a window covers, split at midnight. */
function windowMinutes(window: DailyWindow | undefined): [number, number][] {
  if (!window) return [[0, MINUTES_PER_DAY]];
  const start = minutesOf(window.start);
  const end = minutesOf(window.end);
  return end > start ? [[start, end]] : [[start, MINUTES_PER_DAY], [0, end]];
}

function windowsOverlap(a: DailyWindow | undefined, b: DailyWindow | undefined): boolean {
  return windowMinutes(a).some(([s1, e1]) => windowMinutes(b).some(([s2, e2]) => s1 < e2 && s2 < e1));
}

type RotationOfLayer = { layer: VendorLayer; rotation: Rotation };
type MappedSchedule = { schedule: VendorSchedule; teamId: string; rotations: RotationOfLayer[] };

/**
 * Maps a vendor snapshot onto Baton's org and merges it into `existing`:
 * vendor members (matched by email) and teams are added or updated, nothing
 * else is touched or retired. Pure: `now` and the end of the kept weeks are given.
 */
export function planMigration(input: { snapshot: VendorSnapshot; existing: OrgFile; historyFrom: string; now: string; keepUntil: string }): MigrationPlan {
  const { snapshot, existing, historyFrom, now, keepUntil } = input;
  const vendorName = VENDOR_NAME[snapshot.vendor];
  const skipped: Skipped[] = [...snapshot.unsupported];
  const mapped: string[] = [];
  const skip = (what: string, name: string, reason: string) => skipped.push({ what, name, reason });

  // Members: by email, so a person already in Baton (or in the other vendor) stays one member.
  const byEmail = new Map(existing.members.map((m) => [m.email.toLowerCase(), m]));
  const memberIds = new Set(existing.members.map((m) => m.id));
  const memberOfUser = new Map<string, string>();
  const members: MappedMember[] = [];
  const memberRecords = new Map<string, Member>(existing.members.map((m) => [m.id, m]));
  const usersById = new Map(snapshot.users.map((u) => [u.vendorId, u]));
  const mapUser = (user: VendorUser, fallbackZone: string): string => {
    const known = memberOfUser.get(user.vendorId);
    if (known) return known;
    const stored = byEmail.get(user.email.toLowerCase());
    const timeZone = user.timeZone ?? stored?.timeZone ?? fallbackZone;
    const inferred = countryForZone(timeZone);
    const country = stored?.country ?? inferred ?? FALLBACK_COUNTRY;
    const countryFrom = stored ? "kept from Baton" : inferred ? `inferred from ${timeZone}` : `${timeZone} names no country: set to ${FALLBACK_COUNTRY}, review it`;
    const id = stored?.id ?? unique(slug(user.email.split("@")[0]!), memberIds);
    const member: Member = {
      ...stored,
      id,
      name: user.name,
      email: user.email,
      timeZone,
      country,
      ...(user.phone ? { phone: user.phone.slice(0, 40) } : stored?.phone ? { phone: stored.phone } : {}),
    };
    memberRecords.set(id, member);
    memberOfUser.set(user.vendorId, id);
    members.push({ id, email: user.email, name: user.name, timeZone, country, countryFrom, existing: stored !== undefined });
    return id;
  };

  // Teams: the vendor's teams, plus one per schedule that no team owns.
  const teamIds = new Set(existing.teams.map((t) => t.id));
  const teamOfVendor = new Map<string, { id: string; name: string }>();
  const vendorTeamIds = new Set<string>();
  const teamFor = (vendorId: string, name: string) => {
    const found = teamOfVendor.get(vendorId);
    if (found) return found;
    const id = `${TEAM_PREFIX[snapshot.vendor]}-${slug(name)}`;
    const team = { id: unique(id, vendorTeamIds), name };
    teamIds.add(team.id);
    teamOfVendor.set(vendorId, team);
    return team;
  };
  const teamNames = new Map(snapshot.teams.map((t) => [t.vendorId, t.name]));
  const scheduleTeamKey = (s: VendorSchedule) => (s.teamVendorId && teamNames.has(s.teamVendorId) ? s.teamVendorId : `schedule:${s.vendorId}`);

  const mappedSchedules: MappedSchedule[] = [];
  for (const schedule of snapshot.schedules) {
    if (!schedule.enabled) {
      skip("schedule", schedule.name, "disabled in " + vendorName);
      continue;
    }
    const key = scheduleTeamKey(schedule);
    const team = teamFor(key, teamNames.get(key) ?? schedule.name);
    const rotations: RotationOfLayer[] = [];
    for (const layer of schedule.layers) {
      const label = `${schedule.name} / ${layer.name}`;
      if (layer.end !== null && instantMs(layer.end) <= instantMs(now)) {
        skip("layer", label, `ended ${layer.end}`);
        continue;
      }
      if (layer.turn.kind === "unsupported") {
        skip("layer", label, layer.turn.reason + ": Baton rotations take turns by the week");
        continue;
      }
      if (layer.restriction.kind === "unsupported") {
        skip("layer", label, layer.restriction.reason + ": Baton rotations cover the whole day or one daily window");
        continue;
      }
      const window = layer.restriction.kind === "daily" ? { start: layer.restriction.start, end: layer.restriction.end } : undefined;
      if (schedule.layering === "top-wins") {
        const hiding = rotations.find((r) => windowsOverlap(r.rotation.window, window));
        if (hiding) {
          skip("layer", label, `overlaps the higher layer ${hiding.layer.name}, which wins there; Baton does not layer rotations`);
          continue;
        }
      }
      for (const other of layer.otherParticipants) skip("participant", `${label} / ${other}`, "only people take turns in Baton");
      const people: string[] = [];
      for (const userId of layer.users) {
        const user = usersById.get(userId);
        if (!user) {
          skip("participant", `${label} / ${userId}`, `no such user in ${vendorName}`);
          continue;
        }
        const id = mapUser(user, schedule.timeZone);
        if (!people.includes(id)) people.push(id);
      }
      if (people.length === 0) {
        skip("layer", label, "has nobody to take turns");
        continue;
      }
      rotations.push({
        layer,
        rotation: { id: slug(layer.name), name: layer.name, timeZone: schedule.timeZone, ...(window ? { window } : {}), members: people },
      });
    }
    if (rotations.length === 0) {
      skip("schedule", schedule.name, "no layer or rotation Baton can take over");
      continue;
    }
    mappedSchedules.push({ schedule, teamId: team.id, rotations });
    if (schedule.overrides > 0) mapped.push(`${schedule.name}: ${schedule.overrides} ${vendorName} override(s), kept as part of its final schedule`);
  }

  const teams: Team[] = [];
  const existingTeams = new Map(existing.teams.map((t) => [t.id, t]));
  for (const team of teamOfVendor.values()) {
    const schedules = mappedSchedules.filter((m) => m.teamId === team.id);
    if (schedules.length === 0) {
      skip("team", team.name, "none of its schedules could be taken over");
      teamIds.delete(team.id);
      continue;
    }
    const rotationIds = new Set<string>();
    const rotations: Rotation[] = [];
    for (const s of schedules) {
      for (const r of s.rotations) {
        const base = schedules.length > 1 ? `${slug(s.schedule.name)}-${r.rotation.id}` : r.rotation.id;
        r.rotation.id = unique(base.slice(0, 63), rotationIds);
        rotations.push(r.rotation);
      }
    }
    const first = schedules[0]!;
    const handoff = localHandoff(first.rotations[0]!.layer.turnStart, first.schedule.timeZone);
    for (const s of schedules) {
      for (const r of s.rotations) {
        const own = localHandoff(r.layer.turnStart, s.schedule.timeZone);
        const time = r.rotation.window?.start ?? handoff.time;
        if (own.weekday !== handoff.weekday || own.time !== time) {
          mapped.push(
            `${s.schedule.name} / ${r.layer.name}: hands over ${own.weekday} ${own.time} in ${vendorName}; ` +
              `in Baton every rotation of ${team.id} hands over ${handoff.weekday} ${time} ${s.schedule.timeZone} (after the kept weeks)`,
          );
        }
        mapped.push(
          `${s.schedule.name} / ${r.layer.name} → ${team.id}/${r.rotation.id}: weekly in ${s.schedule.timeZone}` +
            (r.rotation.window ? `, ${r.rotation.window.start}–${r.rotation.window.end}` : ", whole day") +
            `, order ${r.rotation.members.join(", ")}`,
        );
      }
    }
    const stored = existingTeams.get(team.id);
    teams.push({
      // Settings a Baton admin may have tuned since the last migration stay as they are.
      freezeWeeks: 2,
      holidays: { policy: "avoid", cover: "same-rotation", countBank: false },
      gapPolicy: "previous",
      ...stored,
      id: team.id,
      name: team.name,
      timeZone: first.schedule.timeZone,
      handoff,
      rotations,
      escalation: { repeat: 0, levels: [] },
    });
    if (schedules.some((s) => s.rotations.filter((r) => r.rotation.window).length > 1)) {
      mapped.push(`${team.id}: several daily windows → a follow-the-sun team`);
    }
  }

  // Escalation: one policy per team, the first the vendor lists for it.
  const scheduleById = new Map(mappedSchedules.map((m) => [m.schedule.vendorId, m]));
  const teamById = new Map(teams.map((t) => [t.id, t]));
  const teamOfEscalation = (e: VendorEscalation): string | null => {
    if (e.teamVendorId && teamOfVendor.has(e.teamVendorId)) return teamOfVendor.get(e.teamVendorId)!.id;
    for (const level of e.levels) {
      for (const target of level.targets) {
        if (target.kind === "schedule" && scheduleById.has(target.vendorId)) return scheduleById.get(target.vendorId)!.teamId;
      }
    }
    return null;
  };
  const withEscalation = new Set<string>();
  for (const escalation of snapshot.escalations) {
    const teamId = teamOfEscalation(escalation);
    const team = teamId ? teamById.get(teamId) : undefined;
    if (!team) {
      skip("escalation policy", escalation.name, "belongs to no team that was taken over");
      continue;
    }
    if (withEscalation.has(team.id)) {
      skip("escalation policy", escalation.name, `${team.id} already escalates by another policy; Baton keeps one per team`);
      continue;
    }
    const levels: Team["escalation"]["levels"] = [];
    escalation.levels.forEach((level, l) => {
      const targets: EscalationTarget[] = [];
      const name = `${escalation.name} / level ${l + 1}`;
      for (const target of level.targets) {
        if (target.kind === "unsupported") {
          skip("escalation target", name, target.reason);
        } else if (target.kind === "user") {
          const user = usersById.get(target.vendorId);
          if (user) targets.push({ type: "member", member: mapUser(user, team.timeZone) });
          else skip("escalation target", name, `user ${target.vendorId} is not in ${vendorName}`);
        } else if (target.kind === "team") {
          const other = teamOfVendor.get(target.vendorId);
          if (other && teamIds.has(other.id) && other.id !== team.id) targets.push({ type: "team", team: other.id });
          else if (other?.id === team.id) targets.push({ type: "oncall" });
          else skip("escalation target", name, `team ${target.vendorId} was not taken over`);
        } else {
          const schedule = scheduleById.get(target.vendorId);
          if (!schedule) skip("escalation target", name, `schedule ${target.vendorId} was not taken over`);
          else if (schedule.teamId !== team.id) targets.push({ type: "team", team: schedule.teamId });
          else {
            const type = target.next ? "next-oncall" : "oncall";
            const whole = team.rotations.length === schedule.rotations.length;
            if (whole) targets.push({ type });
            else for (const r of schedule.rotations) targets.push({ type, rotation: r.rotation.id });
          }
        }
      }
      const distinct = targets.filter((t, i) => targets.findIndex((u) => isDeepStrictEqual(u, t)) === i);
      if (distinct.length === 0) {
        skip("escalation level", name, "has no target Baton can page");
        return;
      }
      if (level.afterMinutes > MINUTES_PER_DAY) skip("escalation delay", name, `${level.afterMinutes} minutes after the alert; Baton waits at most a day, so ${MINUTES_PER_DAY}`);
      const afterMinutes = Math.min(level.afterMinutes, MINUTES_PER_DAY);
      const last = levels[levels.length - 1];
      if (last && last.afterMinutes === afterMinutes) last.targets.push(...distinct.filter((t) => !last.targets.some((u) => isDeepStrictEqual(u, t))));
      else levels.push({ afterMinutes, targets: distinct });
    });
    if (levels.length === 0) {
      skip("escalation policy", escalation.name, "has no level Baton can page");
      continue;
    }
    if (escalation.repeat > MAX_REPEAT) skip("escalation repeat", escalation.name, `repeats ${escalation.repeat} times; Baton repeats at most ${MAX_REPEAT}`);
    team.escalation = { repeat: Math.min(escalation.repeat, MAX_REPEAT), levels };
    withEscalation.add(team.id);
    mapped.push(
      `${escalation.name} → ${team.id} escalation: ` +
        levels.map((l) => `${l.afterMinutes} min ${l.targets.map((t) => t.type + ("member" in t ? `:${t.member}` : "team" in t ? `:${t.team}` : "rotation" in t && t.rotation ? `:${t.rotation}` : "")).join("+")}`).join(", ") +
        `, repeat ${Math.min(escalation.repeat, MAX_REPEAT)}`,
    );
  }
  for (const team of teams) {
    if (withEscalation.has(team.id)) continue;
    team.escalation = { repeat: 0, levels: [{ afterMinutes: 0, targets: [{ type: "oncall" }] }] };
    mapped.push(`${team.id}: no escalation policy in ${vendorName}; Baton pages whoever is on call`);
  }

  const fixed = onRotations(mappedSchedules, (s) => s.rendered, memberOfUser, { start: instantMs(now), end: instantMs(keepUntil) }, (count, schedule) =>
    skip("kept shift", schedule, `${count} stretch(es) of ${vendorName}'s final schedule fall outside every rotation Baton took over`),
  );
  const historyIntervals = onRotations(mappedSchedules, (s) => s.history, memberOfUser, { start: instantMs(historyFrom), end: instantMs(now) }, (count, schedule) =>
    skip("history", schedule, `${count} past stretch(es) fall outside every rotation Baton took over`),
  );
  const history = { weeks: historyWeeks(teams, historyIntervals, historyFrom, now), intervals: historyIntervals };

  const vendorTeams = new Map(teams.map((t) => [t.id, t]));
  const org: OrgFileInput = {
    version: 1,
    members: [...memberRecords.values()],
    teams: [...existing.teams.map((t) => vendorTeams.get(t.id) ?? t), ...teams.filter((t) => !existingTeams.has(t.id))],
    timeOff: existing.timeOff,
  };
  return { vendor: snapshot.vendor, org, members, teams, mapped, skipped, fixed, history };
}

/**
 * The weeks of each rotation from the one in force at `from` to the one in
 * force at `now`, each held by whoever has most of it in `intervals`: the
 * planned weeks that history's exact intervals lie over.
 */
function historyWeeks(teams: readonly Team[], intervals: readonly FixedInterval[], from: string, now: string): HistoryWeek[] {
  const weeks: HistoryWeek[] = [];
  for (const team of teams) {
    for (const rotation of team.rotations) {
      const clock = handoffClock(team, rotation);
      const last = weekContaining(clock, parseInstant(now)).start;
      const own = intervals.filter((i) => i.team === team.id && i.rotation === rotation.id);
      for (let week = weekContaining(clock, parseInstant(from)); week.start <= last; week = weekStartingOn(clock, addDays(week.startDate, 7))) {
        const span = { start: instantMs(week.start), end: instantMs(week.end) };
        const held = new Map<string, number>();
        for (const i of own) {
          const part = intersect(span, { start: instantMs(i.start), end: instantMs(i.end) });
          if (part) held.set(i.member, (held.get(i.member) ?? 0) + part.end - part.start);
        }
        const longest = [...held].sort((a, b) => b[1] - a[1])[0];
        weeks.push({ team: team.id, rotation: rotation.id, weekStart: week.start, weekEnd: week.end, member: longest?.[0] ?? null });
      }
    }
  }
  return weeks;
}

/**
 * The vendor's rendered on-call over `span`, as fixed intervals on the
 * rotations that carry it: an entry the vendor ties to a rotation goes to that
 * rotation; one it does not (PagerDuty's merged final schedule) is cut along
 * the daily windows of the schedule's rotations.
 */
function onRotations(
  schedules: readonly MappedSchedule[],
  entriesOf: (schedule: VendorSchedule) => readonly RenderedEntry[],
  memberOfUser: ReadonlyMap<string, string>,
  span: Range,
  reportUncovered: (count: number, schedule: string) => void,
): FixedInterval[] {
  const fixed: FixedInterval[] = [];
  for (const { schedule, teamId, rotations } of schedules) {
    let uncovered = 0;
    for (const entry of entriesOf(schedule)) {
      const clipped = intersect({ start: instantMs(entry.start), end: instantMs(entry.end) }, span);
      if (!clipped) continue;
      const member = memberOfUser.get(entry.userVendorId);
      if (!member) {
        uncovered++;
        continue;
      }
      const candidates = entry.layerVendorId === null ? rotations : rotations.filter((r) => r.layer.vendorId === entry.layerVendorId);
      let covered = 0;
      for (const { rotation } of candidates) {
        const parts = rotation.window
          ? windowOccurrences(rotation.window, rotation.timeZone!, clipped).flatMap((o) => intersect(o, clipped) ?? [])
          : [clipped];
        for (const part of parts) {
          fixed.push({ team: teamId, rotation: rotation.id, start: isoFromMs(part.start), end: isoFromMs(part.end), member });
          covered += part.end - part.start;
        }
        // A merged entry belongs to one layer: the first whole-day rotation takes all of it.
        if (entry.layerVendorId === null && !rotation.window) break;
      }
      if (entry.layerVendorId === null && covered < clipped.end - clipped.start) uncovered++;
      if (candidates.length === 0) uncovered++;
    }
    if (uncovered > 0) reportUncovered(uncovered, schedule.name);
  }
  return fixed;
}

export type ChangeSummary = {
  members: { created: string[]; updated: string[]; unchanged: string[] };
  teams: { created: string[]; updated: string[]; unchanged: string[] };
};

/** What importing `after` would create and change, compared with the org as it stands (`before`, both parsed). */
export function describeChanges(before: OrgFile, after: OrgFile, touched: { members: string[]; teams: string[] }): ChangeSummary {
  const summary: ChangeSummary = { members: { created: [], updated: [], unchanged: [] }, teams: { created: [], updated: [], unchanged: [] } };
  const sort = <T extends { id: string }>(kind: "members" | "teams", ids: string[], was: T[], now: T[]) => {
    for (const id of ids) {
      const old = was.find((x) => x.id === id);
      const next = now.find((x) => x.id === id);
      if (!old) summary[kind].created.push(id);
      else if (isDeepStrictEqual(JSON.parse(JSON.stringify(old)), JSON.parse(JSON.stringify(next)))) summary[kind].unchanged.push(id);
      else summary[kind].updated.push(id);
    }
  };
  sort("members", touched.members, before.members, after.members);
  sort("teams", touched.teams, before.teams, after.teams);
  return summary;
}
