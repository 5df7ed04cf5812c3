import type { Hono } from "hono";
import { z } from "zod";
import {
  memberCalendar,
  rotateMemberCalendar,
  rotateTeamCalendar,
  setCalendarReminder,
  teamCalendar,
  type CalendarFeeds,
  type ServedFeed,
} from "../../services/calendar";
import { apiRoute } from "../api-route";
import type { AppEnv } from "../env";

const memberParams = z.object({ member: z.string().min(1) });
const teamParams = z.object({ team: z.string().min(1) });

/** Up to four weeks ahead; null removes the reminder. */
export const reminderSchema = z.strictObject({
  minutesBefore: z.number().int().min(0).max(4 * 7 * 24 * 60, "must be at most 40320 (four weeks)").nullable(),
});

export const calendarRoutes = [
  apiRoute({
    method: "get",
    path: "/members/:member/calendar",
    summary: "The member's personal feed links (https, webcal, Google Calendar) and reminder; the member themselves or an admin",
    access: "reader",
    params: memberParams,
    handle: ({ ctx, params }) => memberCalendar(ctx, params.member),
  }),
  apiRoute({
    method: "post",
    path: "/members/:member/calendar/rotate",
    summary: "Revoke the member's feed link and issue a new one; the member themselves or an admin",
    access: "reader",
    params: memberParams,
    handle: ({ ctx, params }) => rotateMemberCalendar(ctx, params.member),
  }),
  apiRoute({
    method: "post",
    path: "/members/:member/calendar/reminder",
    summary: "Set the alarm before each shift in the personal feed ({ minutesBefore }, null for none); the member themselves or an admin",
    access: "reader",
    params: memberParams,
    body: reminderSchema,
    handle: ({ ctx, params, body }) => setCalendarReminder(ctx, params.member, body.minutesBefore),
  }),
  apiRoute({
    method: "get",
    path: "/teams/:team/calendar",
    summary: "The team feed links (https, webcal, Google Calendar)",
    access: "reader",
    params: teamParams,
    handle: ({ ctx, params }) => teamCalendar(ctx, params.team),
  }),
  apiRoute({
    method: "post",
    path: "/teams/:team/calendar/rotate",
    summary: "Revoke the team feed link and issue a new one",
    access: "admin",
    params: teamParams,
    handle: ({ ctx, params }) => rotateTeamCalendar(ctx, params.team),
  }),
];

const FEED_ROUTE = "/calendars/:token.ics";

const opaque = (etag: string) => etag.replace(/^W\//, "");

/** RFC 9110 §13.1.2: If-None-Match compares weakly; If-Modified-Since counts only without it. */
function notModified(feed: ServedFeed, ifNoneMatch: string | undefined, ifModifiedSince: string | undefined): boolean {
  if (ifNoneMatch !== undefined) {
    return ifNoneMatch.trim() === "*" || ifNoneMatch.split(",").some((tag) => opaque(tag.trim()) === feed.etag);
  }
  if (ifModifiedSince === undefined) return false;
  const since = Date.parse(ifModifiedSince);
  return !Number.isNaN(since) && Date.parse(feed.lastModified) <= since;
}

/**
 * `GET /calendars/<token>.ics`: the token is the only credential, so the feed
 * sits outside /api/v1 and its bearer auth, and calendar apps can fetch it.
 */
export function mountCalendarFeed(app: Hono<AppEnv>, feeds: CalendarFeeds): void {
  app.get("/calendars/:file", async (c) => {
    c.set("route", FEED_ROUTE);
    const file = c.req.param("file");
    const feed = file.endsWith(".ics") ? await feeds.feedForToken(file.slice(0, -".ics".length)) : null;
    // One answer for an unknown token, a revoked one and a malformed name: nothing tells them apart.
    if (!feed) return c.text("Not Found\n", 404, { "Cache-Control": "no-store" });
    const headers = {
      ETag: feed.etag,
      "Last-Modified": new Date(feed.lastModified).toUTCString(),
      // The URL is a secret: no shared cache may keep it, and every client revalidates (cheaply, by ETag).
      "Cache-Control": "private, no-cache",
    };
    if (notModified(feed, c.req.header("if-none-match"), c.req.header("if-modified-since"))) return c.body(null, 304, headers);
    return c.body(feed.body, 200, { ...headers, "Content-Type": "text/calendar; charset=utf-8" });
  });
}
