import ical, { ICalAlarmType, escape, type ICalTemporalPlainDateTimeStub, type ICalTemporalZonedDateTimeStub } from "ical-generator";
import { tzlib_get_ical_block, tzlib_get_offset } from "timezones-ical-library";
import type { ResolvedEscalation } from "./escalation";
import type { Team } from "./org-file";
import { rotationZone } from "./org-file";
import type { TeamTimeline } from "./oncall";
import { DAY_MS, HOUR_MS, MINUTE_MS, instantMs, isoFromMs, localToInstantMs, zoneOffsetMinutes } from "./time";
import type { Shift } from "./types";
import { windowOccurrences } from "./weeks";

/**
 * A staffed shift placed in its slot: the week (whole-day rotations) or the
 * day's window (windowed rotations) it was scheduled in. `slot` names the
 * slot by its scheduled start, so a calendar event keeps its UID however the
 * shift's own times move (gap closing, a swap of part of it); a slot split by
 * overrides gives its later parts their offset from the slot start in minutes.
 */
export type SlottedShift = Shift & { member: string; slot: string; zone: string };

/** What a feed last published for a slot. */
export type SlotState = { member: string; start: string; end: string; sequence: number; lastModified: string };

/** A slot split by an override starts no earlier than this before any part of it ends: a 169-hour week plus a closed gap. */
const SLOT_REACH_MS = 9 * DAY_MS;

const compactInstant = (ms: number) => isoFromMs(ms).replace(/[-:]/g, "").replace(/\.\d+/, "");

/** Index of the last of `starts` at or before `at`, or -1. */
function lastStartAtOrBefore(starts: readonly number[], at: number): number {
  let lo = 0;
  let hi = starts.length - 1;
  let found = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (starts[mid]! <= at) {
      found = mid;
      lo = mid + 1;
    } else hi = mid - 1;
  }
  return found;
}

/**
 * The staffed shifts of a team's timeline that end after `since` (epoch ms),
 * each with its slot. Unstaffed shifts give no event but still count as parts
 * of their slot, so the parts around them keep their names.
 */
export function slotShifts(team: Team, timeline: TeamTimeline, since: number): SlottedShift[] {
  const result: SlottedShift[] = [];
  for (const rotation of team.rotations) {
    const zone = rotationZone(team, rotation);
    const lane = timeline.rotations.find((r) => r.id === rotation.id);
    const shifts = (lane?.shifts ?? []).filter((s) => instantMs(s.end) > since - SLOT_REACH_MS);
    if (shifts.length === 0) continue;
    const ranges = shifts.map((s) => ({ start: instantMs(s.start), end: instantMs(s.end) }));
    let slotStartOf: (i: number) => number;
    if (rotation.window) {
      const span = { start: ranges[0]!.start - DAY_MS, end: ranges.reduce((max, x) => Math.max(max, x.end), 0) + DAY_MS };
      const occurrences = windowOccurrences(rotation.window, zone, span);
      const starts = occurrences.map((o) => o.start);
      // The window a shift grew from overlaps it most: gap closing only extends shifts, overrides only cut them.
      slotStartOf = (i) => {
        const { start, end } = ranges[i]!;
        let best = start;
        let most = 0;
        for (let o = Math.max(0, lastStartAtOrBefore(starts, start)); o < occurrences.length && occurrences[o]!.start < end; o++) {
          const overlap = Math.min(end, occurrences[o]!.end) - Math.max(start, occurrences[o]!.start);
          if (overlap > most) [best, most] = [occurrences[o]!.start, overlap];
        }
        return best;
      };
    } else {
      const weeks = lane?.weeks ?? [];
      const starts = weeks.map((w) => instantMs(w.weekStart));
      slotStartOf = (i) => {
        const w = lastStartAtOrBefore(starts, ranges[i]!.start);
        return w >= 0 && instantMs(weeks[w]!.weekEnd) > ranges[i]!.start ? starts[w]! : ranges[i]!.start;
      };
    }
    const named = new Set<number>();
    shifts.forEach((shift, i) => {
      const slotStart = slotStartOf(i);
      const offset = Math.round((ranges[i]!.start - slotStart) / MINUTE_MS);
      const slot = named.has(slotStart) ? `${compactInstant(slotStart)}${offset < 0 ? "-" : "+"}${Math.abs(offset)}` : compactInstant(slotStart);
      named.add(slotStart);
      if (shift.member !== null && ranges[i]!.end > since) result.push({ ...shift, member: shift.member, slot, zone });
    });
  }
  return result;
}

export const slotStateKey = (rotation: string, slot: string) => `${rotation}\n${slot}`;

export type SlotRevision = SlotState & { rotation: string; slot: string };

/**
 * The state each slot is published with: unchanged while its member and times
 * are, else with SEQUENCE one higher and LAST-MODIFIED at `revisedAt` (never
 * earlier than before). `revised` lists what must be stored.
 */
export function reviseSlots(
  previous: ReadonlyMap<string, SlotState>,
  shifts: readonly SlottedShift[],
  revisedAt: string,
): { states: Map<string, SlotState>; revised: SlotRevision[] } {
  const states = new Map<string, SlotState>();
  const revised: SlotRevision[] = [];
  for (const shift of shifts) {
    const key = slotStateKey(shift.rotation, shift.slot);
    const before = previous.get(key);
    if (before && before.member === shift.member && before.start === shift.start && before.end === shift.end) {
      states.set(key, before);
      continue;
    }
    const state: SlotState = {
      member: shift.member,
      start: shift.start,
      end: shift.end,
      sequence: before ? before.sequence + 1 : 0,
      lastModified: before && before.lastModified > revisedAt ? before.lastModified : revisedAt,
    };
    states.set(key, state);
    revised.push({ ...state, rotation: shift.rotation, slot: shift.slot });
  }
  return { states, revised };
}

const SOURCE_NOTE: Record<Shift["source"], string | null> = {
  schedule: null,
  swap: "Taken over through a swap.",
  "holiday-cover": "Holiday cover.",
  override: "Set by an admin.",
};

function afterText(minutes: number): string {
  return minutes === 0 ? "at once" : `after ${minutes} min`;
}

export type EventText = {
  teamName: string;
  rotationName: string;
  memberName: string;
  source: Shift["source"];
  /** The chain as it resolves when the shift starts. */
  escalation: ResolvedEscalation;
  nameOf: (memberId: string) => string;
  teamUrl: string;
};

export function eventSummary(t: Pick<EventText, "teamName" | "rotationName" | "memberName">): string {
  return `On call: ${t.teamName} ${t.rotationName} — ${t.memberName}`;
}

/** The description: who holds the shift, the escalation chain when it starts, and the team page. */
export function eventDescription(t: EventText): string {
  const lines = [`${t.teamName} · ${t.rotationName}: ${t.memberName}`];
  const note = SOURCE_NOTE[t.source];
  if (note) lines.push(note);
  lines.push("", "Escalation if paged as this shift starts:");
  for (const level of t.escalation.levels) {
    const people = level.members.length > 0 ? level.members.map(t.nameOf).join(", ") : "nobody";
    lines.push(`${level.level}. ${afterText(level.afterMinutes)}: ${people}`);
  }
  if (t.escalation.repeat > 0) lines.push(`Then the chain repeats ${t.escalation.repeat === 1 ? "once more" : `${t.escalation.repeat} more times`}.`);
  lines.push("", `Team page: ${t.teamUrl}`);
  return lines.join("\n");
}

export type FeedEvent = {
  uid: string;
  summary: string;
  description: string;
  url: string;
  start: string;
  end: string;
  /** The rotation's zone: the event is written in its wall time. */
  zone: string;
  sequence: number;
  lastModified: string;
};

export type FeedCalendar = {
  name: string;
  description: string;
  events: readonly FeedEvent[];
  /** A display alarm this many minutes before each event, or none. */
  reminderMinutes: number | null;
};

type ZoneBlock = { tzid: string; vtimezone: string };
const zoneBlocks = new Map<string, ZoneBlock | null>();
const agreements = new Map<string, boolean>();

function offsetMinutes(text: string): number {
  const sign = text.startsWith("-") ? -1 : 1;
  return sign * (Number(text.slice(1, 3)) * 60 + Number(text.slice(3, 5)));
}

/** The VTIMEZONE of a zone under the TZID the generator names it by (it resolves links), or null when it has none. */
function zoneBlock(zone: string): ZoneBlock | null {
  if (zoneBlocks.has(zone)) return zoneBlocks.get(zone)!;
  const block = tzlib_get_ical_block(zone);
  const found = Array.isArray(block) && block.length === 2 ? { vtimezone: block[0]!, tzid: block[1]!.replace(/^TZID=/, "") } : null;
  zoneBlocks.set(zone, found);
  return found;
}

/**
 * Whether the generator's rules give the zone the offsets Baton computes with
 * (Node's tz database) in a year: the two databases are released separately,
 * and a zone whose rules changed in one of them would shift events by an hour.
 * A zone that disagrees is written in UTC instead.
 */
function generatorAgrees(zone: string, tzid: string, year: number): boolean {
  const key = `${tzid} ${year}`;
  let agrees = agreements.get(key);
  if (agrees === undefined) {
    agrees = [1, 4, 7, 10].every((month) => {
      const date = `${year}-${String(month).padStart(2, "0")}-15`;
      const at = localToInstantMs(date, "12:00", zone);
      return offsetMinutes(tzlib_get_offset(tzid, date, "12:00")) === zoneOffsetMinutes(zone, at);
    });
    agreements.set(key, agrees);
  }
  return agrees;
}

/**
 * Whether an instant can be written as a wall time in `zone`. A wall time in
 * the repeated hour after a fall-back names two instants: RFC 5545 §3.3.5
 * means the first, but clients differ, so such an instant is written in UTC.
 */
function writableAsLocal(ms: number, zone: string): boolean {
  if (ms % MINUTE_MS !== 0) return false;
  const wall = ms + zoneOffsetMinutes(zone, ms) * MINUTE_MS;
  // Offsets differ by at most a couple of hours, so any twin of the instant lies within three.
  return [ms - 3 * HOUR_MS, ms + 3 * HOUR_MS].every((probe) => {
    const offset = zoneOffsetMinutes(zone, probe);
    const twin = wall - offset * MINUTE_MS;
    return twin === ms || zoneOffsetMinutes(zone, twin) !== offset;
  });
}

/** The TZID to write an event in, or null for UTC. */
function eventZone(event: FeedEvent): string | null {
  if (event.zone === "UTC" || event.zone === "Etc/UTC") return null;
  const block = zoneBlock(event.zone);
  if (!block) return null;
  const start = instantMs(event.start);
  const end = instantMs(event.end);
  const years = new Set([new Date(start).getUTCFullYear(), new Date(end).getUTCFullYear()]);
  if (![...years].every((year) => generatorAgrees(event.zone, block.tzid, year))) return null;
  return writableAsLocal(start, event.zone) && writableAsLocal(end, event.zone) ? block.tzid : null;
}

/**
 * An instant as a wall time in a zone, in the shape of Temporal.ZonedDateTime
 * that ical-generator formats field by field. Given luxon DateTimes it would
 * convert each through Intl, which took half of a feed's time; offsets here
 * come from Baton's cached zone transitions.
 */
class ZonedWallTime implements ICalTemporalZonedDateTimeStub {
  readonly year: number;
  readonly month: number;
  readonly day: number;
  readonly hour: number;
  readonly minute: number;
  readonly second: number;

  constructor(
    private readonly epochMs: number,
    readonly timeZoneId: string,
  ) {
    const wall = new Date(epochMs + (timeZoneId === "UTC" ? 0 : zoneOffsetMinutes(timeZoneId, epochMs)) * MINUTE_MS);
    this.year = wall.getUTCFullYear();
    this.month = wall.getUTCMonth() + 1;
    this.day = wall.getUTCDate();
    this.hour = wall.getUTCHours();
    this.minute = wall.getUTCMinutes();
    this.second = wall.getUTCSeconds();
  }

  withTimeZone(timeZone: string): ZonedWallTime {
    return new ZonedWallTime(this.epochMs, timeZone);
  }

  toInstant() {
    const ms = this.epochMs;
    return { epochMilliseconds: ms, toJSON: () => isoFromMs(ms), toString: () => isoFromMs(ms), toZonedDateTimeISO: (zone: string) => new ZonedWallTime(ms, zone) };
  }

  toPlainDateTime(): ICalTemporalPlainDateTimeStub {
    const { year, month, day, hour, minute, second } = this;
    const text = () => this.toString().slice(0, 19);
    return {
      year,
      month,
      day,
      hour,
      minute,
      second,
      toJSON: text,
      toString: text,
      toPlainDate: () => ({ year, month, day, toJSON: () => text().slice(0, 10), toString: () => text().slice(0, 10) }),
      toZonedDateTime: (zone: string) => this.withTimeZone(zone),
    };
  }

  toJSON(): string {
    return this.toString();
  }

  toString(): string {
    const pad = (n: number) => String(n).padStart(2, "0");
    return `${this.year}-${pad(this.month)}-${pad(this.day)}T${pad(this.hour)}:${pad(this.minute)}:${pad(this.second)}[${this.timeZoneId}]`;
  }
}

export const FEED_TTL_SECONDS = 3600;

const FOLD_OCTETS = 75;

/** RFC 5545 §3.1: a line longer than 75 octets continues on lines starting with a space, never splitting a character. */
function foldLine(line: string): string {
  if (Buffer.byteLength(line) <= FOLD_OCTETS) return line;
  let folded = "";
  let octets = 0;
  for (const char of line) {
    const code = char.codePointAt(0)!;
    const size = code < 0x80 ? 1 : code < 0x800 ? 2 : code < 0x10000 ? 3 : 4;
    if (octets + size > FOLD_OCTETS) {
      folded += "\r\n ";
      octets = 1;
    }
    folded += char;
    octets += size;
  }
  return folded;
}

/**
 * The calendar as RFC 5545 text. ical-generator writes each VEVENT (escaping,
 * dates in the event's zone, alarms); the calendar around them is written
 * here, with a VTIMEZONE from timezones-ical-library for every zone an event
 * uses, because ical-generator's own calendar text folds the whole body one
 * character at a time through a TextEncoder, four fifths of a feed's cost.
 * DTSTAMP is the event's LAST-MODIFIED, not the time of the request, so that
 * an unchanged feed is byte for byte the same and its ETag holds.
 */
export function renderFeed(feed: FeedCalendar): string {
  // No calendar-wide zone: ical-generator would write DTSTAMP and LAST-MODIFIED in it instead of UTC.
  const calendar = ical();
  const vtimezones = new Map<string, string>();
  const events = feed.events.map((event) => {
    const tzid = eventZone(event);
    if (tzid) vtimezones.set(tzid, zoneBlock(event.zone)!.vtimezone);
    return calendar
      .createEvent({
        id: event.uid,
        sequence: event.sequence,
        stamp: event.lastModified,
        lastModified: event.lastModified,
        start: new ZonedWallTime(instantMs(event.start), event.zone),
        end: new ZonedWallTime(instantMs(event.end), event.zone),
        timezone: tzid,
        summary: event.summary,
        description: event.description,
        url: event.url,
        alarms:
          feed.reminderMinutes === null
            ? []
            : [{ type: ICalAlarmType.display, trigger: feed.reminderMinutes * 60, description: event.summary }],
      })
      .toString();
  });
  const text = [
    "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Baton//On-call rota//EN\r\nMETHOD:PUBLISH\r\n",
    `NAME:${escape(feed.name, false)}\r\nX-WR-CALNAME:${escape(feed.name, false)}\r\nX-WR-CALDESC:${escape(feed.description, false)}\r\n`,
    `REFRESH-INTERVAL;VALUE=DURATION:PT${FEED_TTL_SECONDS / 3600}H\r\nX-PUBLISHED-TTL:PT${FEED_TTL_SECONDS / 3600}H\r\n`,
    ...[...vtimezones.values()].map((block) => `${block.trim()}\r\n`),
    ...events,
    "END:VCALENDAR\r\n",
  ].join("");
  return text.split("\r\n").map(foldLine).join("\r\n");
}
