import { createHash } from "node:crypto";
import type { Config } from "../config";
import { audit } from "../db/audit";
import { feedAuditChanges, reminderMinutes, saveReminder, scheduleHistory } from "../db/feed-store";
import type { Db } from "../db/open";
import { findMember, type StoredOrg } from "../db/org-store";
import { forbidden, notFound } from "../domain/errors";
import { resolveEscalation } from "../domain/escalation";
import {
  eventDescription,
  eventSummary,
  renderFeed,
  slotShifts,
  slotStateKey,
  type FeedCalendar,
  type FeedEvent,
  type SlotState,
  type SlottedShift,
} from "../domain/feed";
import {
  changeInstants,
  feedLastModified,
  replaySlots,
  scheduleAsOf,
  type BodyChange,
  type ReplayStep,
  type SlotChange,
  type Span,
} from "../domain/feed-history";
import type { Team } from "../domain/org-file";
import { teamAtInstant, type TeamTimeline } from "../domain/oncall";
import { DAY_MS, instantMs, isoFromMs, type Clock } from "../domain/time";
import type { TokenKind } from "../db/token-store";
import { inTransaction, requireAdmin, type ServiceContext } from "./context";
import { timelineOf, type OncallIndex } from "./oncall-index";
import { getTeam } from "./teams";
import { currentToken, issueToken, lookupToken, rotateToken } from "./tokens";

/** Feeds reach this far back; the horizon ahead is whatever is planned. */
const FEED_PAST_DAYS = 28;
/**
 * How far before the feed window the replayed history reaches: past a
 * week-long slot split by overrides (nine days) and the week before it,
 * whose gap closing can move its start.
 */
const HISTORY_REACH_MS = 21 * DAY_MS;
/** Past a week-long slot split by overrides (nine days): how far a change to some rows can move slots or their names. */
const SLOT_MARGIN_MS = 9 * DAY_MS;

const widen = (span: Span, by: number): Span => ({ ...span, start: isoFromMs(instantMs(span.start) - by), end: isoFromMs(instantMs(span.end) + by) });
const touches = (span: Span, rotation: string, start: string, end: string) => span.rotations.includes(rotation) && start < span.end && span.start < end;

/** Rendered bodies kept in memory: a team-year of windowed shifts is about half a megabyte. */
const MAX_CACHED_FEEDS = 256;

export type ServedFeed = { body: string; etag: string; lastModified: string };

type TeamSlots = {
  team: Team;
  timeline: TeamTimeline;
  since: number;
  shifts: SlottedShift[];
  states: Map<string, SlotState>;
  /** When a slot in feed range changed, and when the team's configuration (its names, its escalation) did. */
  changes: SlotChange[];
  configuredAt: string[];
};

type CachedFeed = ServedFeed & { org: StoredOrg; timelines: TeamTimeline[]; since: number; reminder: number | null };

const sameItems = <T>(a: readonly T[], b: readonly T[]) => a.length === b.length && a.every((x, i) => x === b[i]);

/** The team and every team its escalation reaches, whose on-call people appear in its event descriptions. */
function escalationReach(org: StoredOrg, teamId: string): Team[] {
  const reached = new Map<string, Team>();
  const visit = (id: string) => {
    const team = org.teams.find((t) => t.id === id);
    if (!team || reached.has(id)) return;
    reached.set(id, team);
    for (const level of team.escalation.levels) for (const target of level.targets) if (target.type === "team") visit(target.team);
  };
  visit(teamId);
  return [...reached.values()];
}

/**
 * Calendar feeds, built from the on-call index's expanded shifts. A body is
 * kept until something it was built from changes: the org, a timeline the
 * index rebuilt after a write, the day (the four weeks back move on) or the
 * member's reminder. Every SEQUENCE and LAST-MODIFIED is derived from the
 * history the write paths recorded, so serving a feed writes nothing and
 * re-serving an unchanged schedule bumps nothing.
 */
export class CalendarFeeds {
  private readonly slots = new Map<string, TeamSlots>();
  private readonly feeds = new Map<string, CachedFeed>();

  constructor(private readonly deps: { db: Db; index: OncallIndex; clock: Clock; config: Config }) {}

  /** The feed a calendar token opens, or null for an unknown or revoked token or a retired member or team. */
  async feedForToken(token: string): Promise<ServedFeed | null> {
    const { db } = this.deps;
    const member = await lookupToken(db, token, "calendar");
    if (member?.memberId) return this.memberFeed(member.memberId);
    const team = await lookupToken(db, token, "team-calendar");
    if (team?.teamId) return this.teamFeed(team.teamId);
    return null;
  }

  async memberFeed(memberId: string): Promise<ServedFeed | null> {
    const { index } = this.deps;
    const org = await index.currentOrg();
    if (!(await index.memberMap()).has(memberId)) return null;
    const reminder = await reminderMinutes(this.deps.db, memberId);
    return this.cached(`member:${memberId}`, org, org.teams, reminder, async () => ({
      calendar: (await this.memberCalendar(memberId, reminder))!,
      changes: await this.memberFeedChanges(memberId),
    }));
  }

  async teamFeed(teamId: string): Promise<ServedFeed | null> {
    const org = await this.deps.index.currentOrg();
    if (!org.teams.some((t) => t.id === teamId)) return null;
    return this.cached(`team:${teamId}`, org, escalationReach(org, teamId), null, async () => ({
      calendar: (await this.teamCalendar(teamId))!,
      changes: await this.teamFeedChanges(teamId),
    }));
  }

  /** A member's shifts in every team, swaps and covers included. */
  async memberCalendar(memberId: string, reminder: number | null): Promise<FeedCalendar | null> {
    const member = (await this.deps.index.memberMap()).get(memberId);
    if (!member) return null;
    const since = this.since();
    const sinceIso = isoFromMs(since);
    const events: FeedEvent[] = [];
    for (const team of await this.teamsServedBy(memberId, sinceIso)) events.push(...(await this.events(team, "member", (s) => s.member === memberId)));
    return { name: `On call — ${member.name}`, description: `${member.name}'s on-call shifts in every team (Baton)`, events: sortEvents(events), reminderMinutes: reminder };
  }

  /** Every shift of a team. */
  async teamCalendar(teamId: string): Promise<FeedCalendar | null> {
    const team = await this.deps.index.team(teamId);
    if (!team) return null;
    return { name: `On call — ${team.name}`, description: `Every on-call shift of ${team.name} (Baton)`, events: sortEvents(await this.events(team, "team", () => true)), reminderMinutes: null };
  }

  private since(): number {
    const now = this.deps.clock.now().toMillis();
    return Math.floor(now / DAY_MS) * DAY_MS - FEED_PAST_DAYS * DAY_MS;
  }

  private timeline(team: Team): Promise<TeamTimeline> {
    return this.deps.index.current(team);
  }

  /** The teams in which the member has a shift in the feed's range. */
  private async teamsServedBy(memberId: string, sinceIso: string): Promise<Team[]> {
    const serving: Team[] = [];
    for (const team of (await this.deps.index.currentOrg()).teams) {
      if ((await this.timeline(team)).rotations.some((r) => r.shifts.some((s) => s.member === memberId && s.end > sinceIso))) serving.push(team);
    }
    return serving;
  }

  private async cached(
    key: string,
    org: StoredOrg,
    dependsOn: readonly Team[],
    reminder: number | null,
    build: () => Promise<{ calendar: FeedCalendar; changes: BodyChange[] }>,
  ): Promise<ServedFeed> {
    const timelines = await Promise.all(dependsOn.map((team) => this.timeline(team)));
    const since = this.since();
    const hit = this.feeds.get(key);
    if (hit && hit.org === org && hit.since === since && hit.reminder === reminder && sameItems(hit.timelines, timelines)) {
      this.feeds.delete(key);
      this.feeds.set(key, hit);
      return hit;
    }
    const { calendar, changes } = await build();
    const body = renderFeed(calendar);
    const served = { body, etag: `"${createHash("sha256").update(body).digest("base64url")}"`, lastModified: feedLastModified(changes) };
    this.feeds.delete(key);
    this.feeds.set(key, { ...served, org, timelines, since, reminder });
    if (this.feeds.size > MAX_CACHED_FEEDS) this.feeds.delete(this.feeds.keys().next().value!);
    return served;
  }

  /**
   * What a team feed's body is made of changed: its own slots and those of
   * the teams its escalation reaches (named in its descriptions), their
   * configurations, the members' names, and shifts leaving the window.
   */
  private async teamFeedChanges(teamId: string): Promise<BodyChange[]> {
    const org = await this.deps.index.currentOrg();
    const team = org.teams.find((t) => t.id === teamId)!;
    const reached = escalationReach(org, teamId);
    return [
      ...(await Promise.all(reached.map(async (t) => [...await this.slotChanges(t, () => true), ...await this.configChanges(t)]))).flat(),
      ...await feedAuditChanges(this.deps.db, null),
      ...await this.leftWindow(team, () => true),
    ];
  }

  /**
   * A member feed's: every slot change that concerned them in any team, all
   * those of the teams they serve in and the teams those reach, the members'
   * names, their reminder, and their shifts leaving the window.
   */
  private async memberFeedChanges(memberId: string): Promise<BodyChange[]> {
    const org = await this.deps.index.currentOrg();
    const sinceIso = isoFromMs(this.since());
    const serving = await this.teamsServedBy(memberId, sinceIso);
    const reached = new Set(serving.flatMap((team) => escalationReach(org, team.id)));
    const changes: BodyChange[] = [];
    for (const team of org.teams) changes.push(...(await this.slotChanges(team, (c) => reached.has(team) || c.members.includes(memberId))));
    for (const team of reached) changes.push(...(await this.configChanges(team)));
    changes.push(...(await feedAuditChanges(this.deps.db, memberId)));
    for (const team of org.teams) changes.push(...(await this.leftWindow(team, (s) => s.member === memberId)));
    return changes;
  }

  private async slotChanges(team: Team, relevant: (change: SlotChange) => boolean): Promise<BodyChange[]> {
    return (await this.teamSlots(team))
      .changes.filter(relevant)
      .map(({ at }) => ({ key: `schedule ${at}`, at }));
  }

  private async configChanges(team: Team): Promise<BodyChange[]> {
    return (await this.teamSlots(team)).configuredAt.map((at) => ({ key: `schedule ${at}`, at }));
  }

  /** The day the window last moved past one of the team's shifts (those `include` picks), so the body lost it. */
  private async leftWindow(team: Team, include: (shift: { member: string | null }) => boolean): Promise<BodyChange[]> {
    const sinceIso = isoFromMs(this.since());
    let latest: string | null = null;
    for (const rotation of (await this.timeline(team)).rotations) {
      for (const s of rotation.shifts) if (s.member !== null && s.end <= sinceIso && include(s) && (latest === null || s.end > latest)) latest = s.end;
    }
    if (latest === null) return [];
    const at = isoFromMs(Math.ceil((instantMs(latest) + FEED_PAST_DAYS * DAY_MS) / DAY_MS) * DAY_MS);
    return [{ key: `schedule ${at}`, at }];
  }

  /**
   * A team's staffed shifts in feed range with the state each slot is
   * published with, replayed from the recorded history once per timeline and day.
   */
  private async teamSlots(team: Team): Promise<TeamSlots> {
    const timeline = await this.timeline(team);
    const since = this.since();
    const hit = this.slots.get(team.id);
    if (hit && hit.team === team && hit.timeline === timeline && hit.since === since) return hit;
    const shifts = slotShifts(team, timeline, since);
    const history = await scheduleHistory(this.deps.db, team.id, isoFromMs(since - HISTORY_REACH_MS));
    const instants = changeInstants(history);
    function* steps(): Generator<ReplayStep> {
      for (const [i, { at, span }] of instants.entries()) {
        const then = scheduleAsOf(history, at);
        const configured = then.team === undefined ? team : then.team;
        if (!configured) {
          yield { at, region: null, shifts: [] };
          continue;
        }
        // A change re-slots only around the rows it touched, in their rotations: the schedule is expanded there alone, with room for slot names and closed gaps.
        const region = i === 0 || span === null ? null : widen(span, SLOT_MARGIN_MS);
        const around = region === null ? null : widen(span!, 3 * SLOT_MARGIN_MS);
        const assignments = around === null ? then.assignments : then.assignments.filter((a) => touches(around, a.rotation, a.weekStart, a.weekEnd));
        const overrides = around === null ? then.overrides : then.overrides.filter((o) => touches(around, o.rotation, o.start, o.end));
        yield { at, region, shifts: slotShifts(configured, timelineOf(configured, assignments, overrides), since) };
      }
      // The rows in force now, read as the index reads them, have the last word: every shift shown has a state.
      yield { at: instants.at(-1)?.at ?? isoFromMs(0), region: null, shifts };
    }
    const { states, changes } = replaySlots(steps());
    const entry = { team, timeline, since, shifts, states, changes, configuredAt: history.versions.map((v) => v.recordedAt) };
    this.slots.set(team.id, entry);
    return entry;
  }

  private async events(team: Team, scope: "member" | "team", include: (shift: SlottedShift) => boolean): Promise<FeedEvent[]> {
    const { index, config } = this.deps;
    const { shifts, states } = await this.teamSlots(team);
    const members = await index.memberMap();
    const nameOf = (id: string) => members.get(id)?.name ?? id;
    const teamUrl = `${config.publicUrl}/teams/${encodeURIComponent(team.id)}`;
    const host = new URL(config.publicUrl).host;
    const rotationNames = new Map(team.rotations.map((r) => [r.id, r.name]));
    const timelines = new Map(await Promise.all((await index.currentOrg()).teams.map(async (t) => [t.id, await this.timeline(t)] as const)));
    const teamAt = (teamId: string, at: string) => {
      const other = timelines.get(teamId);
      return other ? teamAtInstant(other, at) : null;
    };
    return shifts.filter(include).map((shift) => {
      const state = states.get(slotStateKey(shift.rotation, shift.slot))!;
      const escalation = resolveEscalation(team.id, (id) => teamAt(id, shift.start))!;
      const text = { teamName: team.name, rotationName: rotationNames.get(shift.rotation) ?? shift.rotation, memberName: nameOf(shift.member) };
      return {
        // Distinct per feed kind: a client subscribed to both a member's and their team's feed keeps the two copies apart.
        uid: `${scope}-${team.id}-${shift.rotation}-${shift.slot}@${host}`,
        summary: eventSummary(text),
        description: eventDescription({ ...text, source: shift.source, escalation, nameOf, teamUrl }),
        url: teamUrl,
        start: shift.start,
        end: shift.end,
        zone: shift.zone,
        sequence: state.sequence,
        lastModified: state.lastModified,
      };
    });
  }
}

function sortEvents(events: FeedEvent[]): FeedEvent[] {
  return events.sort((a, b) => (a.start < b.start ? -1 : a.start > b.start ? 1 : a.uid < b.uid ? -1 : 1));
}

export type CalendarLinks = { https: string; webcal: string; google: string };

/** The subscribe links of a feed token: https, webcal (opens the calendar app) and Google Calendar's subscribe page. */
export function calendarLinks(publicUrl: string, token: string): CalendarLinks {
  const https = `${publicUrl}/calendars/${token}.ics`;
  const webcal = https.replace(/^https?:\/\//, "webcal://");
  return { https, webcal, google: `https://calendar.google.com/calendar/r?cid=${encodeURIComponent(webcal)}` };
}

/**
 * A feed link is a bearer credential for that member's shifts, so only the
 * member and admins see it, although members may read everyone's shifts
 * through the API: a link handed to someone else keeps working after their
 * own access ends, until the member rotates it.
 */
function requireOwnCalendar(ctx: ServiceContext, memberId: string): void {
  if (ctx.actor.kind === "admin" || (ctx.actor.kind === "member" && ctx.actor.memberId === memberId)) return;
  throw forbidden(`only ${memberId} or an admin may see or change ${memberId}'s calendar`);
}

async function requireActiveMember(ctx: ServiceContext, memberId: string): Promise<void> {
  const member = await findMember(ctx.db, memberId);
  if (!member || member.retired) throw notFound(`member ${memberId}`);
}

export type MemberCalendar = CalendarLinks & { member: string; reminder: { minutesBefore: number } | null };

async function describeMemberCalendar(ctx: ServiceContext, memberId: string, token: string): Promise<MemberCalendar> {
  const minutes = await reminderMinutes(ctx.db, memberId);
  return { member: memberId, ...calendarLinks(ctx.config.publicUrl, token), reminder: minutes === null ? null : { minutesBefore: minutes } };
}

export async function memberCalendar(ctx: ServiceContext, memberId: string): Promise<MemberCalendar> {
  requireOwnCalendar(ctx, memberId);
  await requireActiveMember(ctx, memberId);
  return describeMemberCalendar(ctx, memberId, await feedToken(ctx, "calendar", memberId));
}

/** A feed link as issued on import or at start; reads never issue one. */
async function feedToken(ctx: ServiceContext, kind: "calendar" | "team-calendar", subject: string): Promise<string> {
  const token = await currentToken(ctx.db, kind, subject);
  if (token === null) throw notFound(`a calendar link for ${subject} (POST its calendar/rotate to issue one)`);
  return token;
}

function rotate(ctx: ServiceContext, kind: TokenKind, subject: string): Promise<string> {
  return inTransaction(ctx, async (w) => {
    const token = await rotateToken({ tx: w.tx, secret: ctx.db.secret }, kind, subject, w.at);
    await audit(w, { action: "calendar.rotate", entity: kind === "calendar" ? "member" : "team", entityId: subject });
    return token;
  });
}

/** Revokes the member's feed link and issues a new one: the old link answers 404 from now on. */
export async function rotateMemberCalendar(ctx: ServiceContext, memberId: string): Promise<MemberCalendar> {
  requireOwnCalendar(ctx, memberId);
  await requireActiveMember(ctx, memberId);
  return describeMemberCalendar(ctx, memberId, await rotate(ctx, "calendar", memberId));
}

/** Sets (or with null, removes) the alarm before each shift in the member's personal feed. */
export async function setCalendarReminder(ctx: ServiceContext, memberId: string, minutesBefore: number | null): Promise<MemberCalendar> {
  requireOwnCalendar(ctx, memberId);
  await requireActiveMember(ctx, memberId);
  await inTransaction(ctx, async (w) => {
        await saveReminder(w.tx, memberId, minutesBefore);
        await audit(w, { action: "calendar.reminder", entity: "member", entityId: memberId, after: { minutesBefore } });
      });
  return describeMemberCalendar(ctx, memberId, await issueToken(ctx.db, "calendar", memberId));
}

export type TeamCalendar = CalendarLinks & { team: string };

/** Any member may subscribe to a team's feed: it shows nothing the shifts API does not. */
export async function teamCalendar(ctx: ServiceContext, teamId: string): Promise<TeamCalendar> {
  await getTeam(ctx, teamId);
  return { team: teamId, ...calendarLinks(ctx.config.publicUrl, await feedToken(ctx, "team-calendar", teamId)) };
}

export async function rotateTeamCalendar(ctx: ServiceContext, teamId: string): Promise<TeamCalendar> {
  requireAdmin(ctx);
  await getTeam(ctx, teamId);
  return { team: teamId, ...calendarLinks(ctx.config.publicUrl, await rotate(ctx, "team-calendar", teamId)) };
}
