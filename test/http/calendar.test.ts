import ICAL from "ical.js";
import { describe, expect, it } from "vitest";
import { loadOrg } from "../../src/db/org-store";
import { activeOverrides, currentAssignments } from "../../src/db/schedule-store";
import type { OrgFileInput } from "../../src/domain/org-file";
import { expandShifts } from "../../src/domain/shifts";
import { DAY_MS, isoFromMs } from "../../src/domain/time";
import type { Shift } from "../../src/domain/types";
import { createApp } from "../../src/http/app";
import { createTestApp, settableClock, type TestApp } from "../helpers/app";
import { member, team } from "../helpers/factories";
import { storeOverride, storeWeeks } from "../helpers/schedule";

const NOW = "2027-03-01T12:00:00Z";
/** Four weeks back from the UTC day of NOW: the oldest shift a feed still shows ends after this. */
const SINCE = isoFromMs(Math.floor(Date.parse(NOW) / DAY_MS) * DAY_MS - 28 * DAY_MS);
const WEEKS = 45;

const pools = {
  nyc: ["ana", "ben", "cat"],
  ldn: ["ana", "dan", "eve"],
  syd: ["ana", "fay", "gus"],
  lhi: ["ana", "hal", "ivy"],
  gap: ["jon", "kim"],
  dup: ["kim", "jon"],
  amer: ["ana", "ben"],
  emea: ["dan", "eve"],
  apac: ["hal", "ivy"],
};

function org(): OrgFileInput {
  const ids = [...new Set(Object.values(pools).flat())];
  return {
    version: 1,
    members: ids.map((id) => member(id, { name: `${id.charAt(0).toUpperCase()}${id.slice(1)} Example` })),
    teams: [
      team("nyc", pools.nyc, {
        name: "New York",
        timeZone: "America/New_York",
        escalation: {
          repeat: 1,
          levels: [
            { afterMinutes: 0, targets: [{ type: "oncall" }] },
            { afterMinutes: 15, targets: [{ type: "next-oncall" }] },
            { afterMinutes: 30, targets: [{ type: "team", team: "ldn" }] },
          ],
        },
      }),
      team("ldn", pools.ldn, { name: "London" }),
      team("syd", pools.syd, { name: "Sydney", timeZone: "Australia/Sydney" }),
      team("lhi", pools.lhi, { name: "Lord Howe", timeZone: "Australia/Lord_Howe" }),
      // Handoffs inside New York's spring-forward gap and its repeated hour.
      team("gap", pools.gap, { name: "Gap", timeZone: "America/New_York", handoff: { weekday: "sunday", time: "02:30" } }),
      team("dup", pools.dup, { name: "Dup", timeZone: "America/New_York", handoff: { weekday: "sunday", time: "01:30" } }),
      team("sun", [], {
        name: "Sun",
        rotations: [
          { id: "amer", name: "Americas", timeZone: "America/New_York", window: { start: "08:00", end: "16:00" }, members: pools.amer },
          { id: "emea", name: "EMEA", timeZone: "Europe/London", window: { start: "08:00", end: "16:00" }, members: pools.emea },
          { id: "apac", name: "APAC", timeZone: "Australia/Lord_Howe", window: { start: "08:00", end: "16:00" }, members: pools.apac },
        ],
      }),
    ],
  };
}

const rotate = (pool: string[], n: number) => Array.from({ length: n }, (_, i) => pool[i % pool.length]!);

/** A fresh app with every team planned for WEEKS weeks from the start of February 2027. */
async function setup() {
  const clock = settableClock("2027-01-20T09:00:00Z");
  const t = await createTestApp({ clock });
  await t.importOrg(org());
  for (const id of ["nyc", "ldn", "syd", "lhi", "gap", "dup"] as const) await storeWeeks(t, id, "primary", "2027-02-01", rotate(pools[id], WEEKS));
  for (const id of ["amer", "emea", "apac"] as const) await storeWeeks(t, "sun", id, "2027-02-01", rotate(pools[id], WEEKS));
  clock.set(NOW);
  return { t, clock };
}

type FeedEvent = { uid: string; summary: string; description: string; start: string; end: string; tzid: string | null; sequence: number; lastModified: string; alarms: string[] };

/** Parses a feed as a calendar client would: its own VTIMEZONEs registered first, nothing else. */
function parseFeed(text: string) {
  const root = new ICAL.Component(ICAL.parse(text));
  ICAL.TimezoneService.reset();
  const zones = root.getAllSubcomponents("vtimezone");
  for (const zone of zones) ICAL.TimezoneService.register(zone);
  const events: FeedEvent[] = root.getAllSubcomponents("vevent").map((vevent) => {
    const event = new ICAL.Event(vevent);
    const tzid = vevent.getFirstProperty("dtstart")!.getParameter("tzid");
    if (tzid) expect(event.startDate.zone?.tzid, `${event.uid} is read in its own zone`).toBe(tzid);
    return {
      uid: event.uid,
      summary: event.summary,
      description: event.description,
      start: isoFromMs(event.startDate.toUnixTime() * 1000),
      end: isoFromMs(event.endDate.toUnixTime() * 1000),
      tzid: typeof tzid === "string" ? tzid : null,
      sequence: event.sequence,
      lastModified: String(vevent.getFirstPropertyValue("last-modified")),
      alarms: vevent.getAllSubcomponents("valarm").map((a) => String(a.getFirstPropertyValue("trigger"))),
    };
  });
  return { root, zones: zones.map((z) => String(z.getFirstPropertyValue("tzid"))), events };
}

async function linkPath(t: TestApp, path: string, token?: string) {
  const res = await t.request("GET", path, token === undefined ? {} : { token });
  expect(res.status).toBe(200);
  return new URL((await res.json()).https).pathname;
}

const teamFeedPath = (t: TestApp, teamId: string) => linkPath(t, `/api/v1/teams/${teamId}/calendar`);
const memberFeedPath = (t: TestApp, memberId: string) => linkPath(t, `/api/v1/members/${memberId}/calendar`);

async function fetchFeed(t: TestApp, path: string, headers: Record<string, string> = {}) {
  const res = await t.request("GET", path, { token: null, headers });
  return { res, text: await res.text() };
}

/** What the API says: the team's stored schedule after overrides, every staffed shift the feed window reaches. */
async function apiShifts(t: TestApp, teamId: string): Promise<Shift[]> {
  const team = (await loadOrg(t.db)).teams.find((x) => x.id === teamId)!;
  const assignments = await currentAssignments(t.db, teamId);
  const from = assignments.reduce((min, a) => (a.weekStart < min ? a.weekStart : min), assignments[0]!.weekStart);
  const to = assignments.reduce((max, a) => (a.weekEnd > max ? a.weekEnd : max), assignments[0]!.weekEnd);
  return expandShifts(team, assignments, await activeOverrides(t.db, teamId), from, to).filter((s) => s.member !== null && s.end > SINCE);
}

const nameOf = (id: string) => `${id.charAt(0).toUpperCase()}${id.slice(1)} Example`;
const asEvents = (shifts: Shift[], teamName: (s: Shift) => string) =>
  shifts.map((s) => `${s.start} ${s.end} ${teamName(s)} — ${nameOf(s.member!)}`).sort();
const fromFeed = (events: FeedEvent[]) => events.map((e) => `${e.start} ${e.end} ${e.summary.replace(/^On call: /, "")}`).sort();

const hours = (e: { start: string; end: string }) => (Date.parse(e.end) - Date.parse(e.start)) / 3_600_000;

describe("GET /calendars/<token>.ics: what calendar clients read", () => {
  it.each([
    ["nyc", "New York", "America/New_York", { start: "2027-03-09T15:00:00Z", end: "2027-03-16T14:00:00Z" }],
    ["ldn", "London", "Europe/London", { start: "2027-03-23T10:00:00Z", end: "2027-03-30T09:00:00Z" }],
    ["syd", "Sydney", "Australia/Sydney", { start: "2027-03-29T23:00:00Z", end: "2027-04-06T00:00:00Z" }],
    ["lhi", "Lord Howe", "Australia/Lord_Howe", { start: "2027-03-29T23:00:00Z", end: "2027-04-05T23:30:00Z" }],
    ["gap", "Gap", "America/New_York", { start: "2027-03-07T07:30:00Z", end: "2027-03-14T07:30:00Z" }],
    ["dup", "Dup", "America/New_York", { start: "2027-11-07T05:30:00Z", end: "2027-11-14T06:30:00Z" }],
  ])("the %s team feed holds every shift at its UTC start and end, across both DST changes", async (teamId, teamName, zone, pinned) => {
    const { t } = await setup();
    const feed = parseFeed((await fetchFeed(t, await teamFeedPath(t, teamId))).text);
    const expected = await apiShifts(t, teamId);
    expect(expected.length).toBeGreaterThan(40);
    expect(fromFeed(feed.events)).toEqual(asEvents(expected, () => `${teamName} Primary`));
    expect(feed.events).toContainEqual(expect.objectContaining(pinned));
    // Both of the year's clock changes fall inside the feed: weeks of 167 and 169 hours (168.5 on Lord Howe).
    expect(new Set(feed.events.map(hours)).size).toBeGreaterThanOrEqual(3);
    expect(feed.zones).toEqual([zone]);
    // Only an instant in the repeated hour after a fall-back is written in UTC.
    const inUtc = feed.events.filter((e) => e.tzid === null);
    expect(inUtc.map((e) => e.start)).toEqual(teamId === "dup" ? ["2027-10-31T05:30:00Z", "2027-11-07T05:30:00Z"] : []);
  });

  it("gives a follow-the-sun team one event per region per day, at the windows' UTC times through the DST drift", async () => {
    const { t } = await setup();
    const feed = parseFeed((await fetchFeed(t, await teamFeedPath(t, "sun"))).text);
    const expected = await apiShifts(t, "sun");
    const rotationName = { amer: "Americas", emea: "EMEA", apac: "APAC" } as Record<string, string>;
    expect(fromFeed(feed.events)).toEqual(asEvents(expected, (s) => `Sun ${rotationName[s.rotation]}`));
    expect(feed.zones.sort()).toEqual(["America/New_York", "Australia/Lord_Howe", "Europe/London"]);
    const days = (rotation: string) => new Set(expected.filter((s) => s.rotation === rotation).map((s) => s.start.slice(0, 10))).size;
    expect(feed.events.filter((e) => e.summary.includes("EMEA"))).toHaveLength(days("emea"));
    expect(days("emea")).toBeGreaterThan(300);
  });

  it("gives a member their shifts in every team, a swap and a holiday cover included, with their reminder", async () => {
    const { t } = await setup();
    await storeOverride(t, { team: "nyc", rotation: "primary", start: "2027-03-17T12:00:00Z", end: "2027-03-19T12:00:00Z", member: "ana", replacedMember: "ben", source: "swap" });
    const emea = (await apiShifts(t, "sun")).find((s) => s.rotation === "emea" && s.start.startsWith("2027-04-05"))!;
    await storeOverride(t, { team: "sun", rotation: "emea", start: emea.start, end: emea.end, member: "ana", replacedMember: emea.member, source: "holiday-cover" });
    const set = await t.request("POST", "/api/v1/members/ana/calendar/reminder", { token: await t.memberToken("ana"), body: { minutesBefore: 1440 } });
    expect(set.status).toBe(200);
    expect((await set.json()).reminder).toEqual({ minutesBefore: 1440 });

    const feed = parseFeed((await fetchFeed(t, await memberFeedPath(t, "ana"))).text);
    const teamNames: Record<string, string> = { nyc: "New York", ldn: "London", syd: "Sydney", lhi: "Lord Howe", sun: "Sun" };
    const rotationNames: Record<string, string> = { primary: "Primary", amer: "Americas", emea: "EMEA", apac: "APAC" };
    const hers = (await Promise.all(Object.keys(teamNames).map(async (id) => (await apiShifts(t, id)).filter((s) => s.member === "ana")))).flat();
    expect(hers.map((s) => s.source)).toEqual(expect.arrayContaining(["schedule", "swap", "holiday-cover"]));
    expect(fromFeed(feed.events)).toEqual(asEvents(hers, (s) => `${teamNames[s.team]} ${rotationNames[s.rotation]}`));
    expect(feed.events.every((e) => e.alarms.length === 1 && e.alarms[0] === "-P1D")).toBe(true);
    const swap = feed.events.find((e) => e.start === "2027-03-17T12:00:00Z")!;
    expect(swap.description).toContain("Taken over through a swap.");
  });

  it("names the team, rotation and member, and describes the escalation chain with a link to the team page", async () => {
    const { t } = await setup();
    const feed = parseFeed((await fetchFeed(t, await teamFeedPath(t, "nyc"))).text);
    const week = feed.events.find((e) => e.start === "2027-03-09T15:00:00Z")!;
    const holder = (await apiShifts(t, "nyc")).find((s) => s.start === week.start)!.member!;
    const next = (await apiShifts(t, "nyc")).find((s) => s.start === week.end)!.member!;
    const london = (await apiShifts(t, "ldn")).find((s) => s.start <= week.start && s.end > week.start)!.member!;
    expect(week.summary).toBe(`On call: New York Primary — ${nameOf(holder)}`);
    expect(week.description).toBe(
      [
        `New York · Primary: ${nameOf(holder)}`,
        "",
        "Escalation if paged as this shift starts:",
        `1. at once: ${nameOf(holder)}`,
        `2. after 15 min: ${nameOf(next)}`,
        `3. after 30 min: ${nameOf(london)}`,
        "Then the chain repeats once more.",
        "",
        "Team page: https://baton.test/teams/nyc",
      ].join("\n"),
    );
  });

  it("answers text/calendar with METHOD:PUBLISH, a name, refresh hints, UTC stamps and validators", async () => {
    const { t } = await setup();
    const { res, text } = await fetchFeed(t, await teamFeedPath(t, "ldn"));
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("text/calendar; charset=utf-8");
    expect(res.headers.get("etag")).toMatch(/^"[A-Za-z0-9_-]{43}"$/);
    // Last changed when the four-week window moved past the last week that ended before it (the weeks were stored on 20 January):
    // derived from what was recorded, not from when a client first asked.
    expect(res.headers.get("last-modified")).toBe("Wed, 24 Feb 2027 00:00:00 GMT");
    expect(res.headers.get("cache-control")).toBe("private, no-cache");
    const { root } = parseFeed(text);
    expect(root.getFirstPropertyValue("method")).toBe("PUBLISH");
    expect(root.getFirstPropertyValue("x-wr-calname")).toBe("On call — London");
    expect(text).toContain("\r\nREFRESH-INTERVAL;VALUE=DURATION:PT1H\r\n");
    expect(text).toContain("\r\nX-PUBLISHED-TTL:PT1H\r\n");
    expect(text.match(/^DTSTAMP:.*$/gm)!.every((line) => /^DTSTAMP:\d{8}T\d{6}Z$/.test(line))).toBe(true);
    expect(text.split("\r\n").every((line) => Buffer.byteLength(line) <= 75)).toBe(true);
  });
});

describe("feed revisions", () => {
  it("keeps every UID and byte after a re-plan that changes nothing, and after a restart", async () => {
    const { t, clock } = await setup();
    const path = await teamFeedPath(t, "sun");
    const first = await fetchFeed(t, path);
    clock.set("2027-03-01T18:00:00Z");
    for (const id of ["amer", "emea", "apac"] as const) await storeWeeks(t, "sun", id, "2027-02-01", rotate(pools[id], WEEKS));
    const again = await fetchFeed(t, path);
    expect(again.text).toBe(first.text);
    expect(again.res.headers.get("etag")).toBe(first.res.headers.get("etag"));
    expect(again.res.headers.get("last-modified")).toBe(first.res.headers.get("last-modified"));

    const restarted = createApp({ db: t.db, clock, config: t.config });
    const fresh = await restarted.request(path);
    expect(await fresh.text()).toBe(first.text);
    expect(fresh.headers.get("last-modified")).toBe(first.res.headers.get("last-modified"));
    expect(parseFeed(first.text).events.every((e) => e.sequence === 0)).toBe(true);
  });

  it("raises SEQUENCE and LAST-MODIFIED of a reassigned week only, in the team feed and the new holder's feed", async () => {
    const { t, clock } = await setup();
    const teamPath = await teamFeedPath(t, "nyc");
    const before = await fetchFeed(t, teamPath);
    const catPath = await memberFeedPath(t, "cat");
    const benPath = await memberFeedPath(t, "ben");
    const target = parseFeed(before.text).events.find((e) => e.start === "2027-03-16T14:00:00Z")!;
    expect(target.summary).toMatch(/Ben Example$/);
    await fetchFeed(t, catPath);

    clock.set("2027-03-02T08:30:00Z");
    const weeks = rotate(pools.nyc, WEEKS);
    weeks[7] = "cat";
    await storeWeeks(t, "nyc", "primary", "2027-02-01", weeks);

    const after = await fetchFeed(t, teamPath);
    expect(after.res.headers.get("etag")).not.toBe(before.res.headers.get("etag"));
    expect(after.res.headers.get("last-modified")).toBe("Tue, 02 Mar 2027 08:30:00 GMT");
    const events = parseFeed(after.text).events;
    const moved = events.find((e) => e.uid === target.uid)!;
    expect(moved).toMatchObject({ start: target.start, end: target.end, sequence: 1, lastModified: "2027-03-02T08:30:00Z" });
    expect(moved.summary).toMatch(/Cat Example$/);
    // The week before names the new holder as next on call in its description: that alone revises nothing.
    const revision = (e: FeedEvent) => [e.uid, e.start, e.end, e.summary, e.sequence, e.lastModified];
    const others = (list: FeedEvent[]) => list.filter((e) => e.uid !== target.uid).map(revision);
    expect(others(events)).toEqual(others(parseFeed(before.text).events));

    const cat = parseFeed((await fetchFeed(t, catPath)).text).events;
    expect(cat.find((e) => e.start === target.start)).toMatchObject({ sequence: 1, lastModified: "2027-03-02T08:30:00Z" });
    expect(parseFeed((await fetchFeed(t, benPath)).text).events.some((e) => e.start === target.start)).toBe(false);
  });

  it("serves the same bytes, SEQUENCE and Last-Modified after a change however often and whenever that day it is read, and after a restart", async () => {
    const { t, clock } = await setup();
    const path = await teamFeedPath(t, "nyc");
    clock.set("2027-03-02T08:30:00Z");
    const weeks = rotate(pools.nyc, WEEKS);
    weeks[7] = "cat";
    await storeWeeks(t, "nyc", "primary", "2027-02-01", weeks);
    clock.set("2027-03-02T11:00:00Z");
    const first = await fetchFeed(t, path);
    clock.set("2027-03-02T23:59:00Z");
    const later = await fetchFeed(t, path);
    const restarted = await createApp({ db: t.db, clock, config: t.config }).request(path);
    for (const again of [later.res, restarted]) {
      expect(again.headers.get("etag")).toBe(first.res.headers.get("etag"));
      expect(again.headers.get("last-modified")).toBe("Tue, 02 Mar 2027 08:30:00 GMT");
    }
    expect(await restarted.text()).toBe(first.text);
    expect(parseFeed(first.text).events.find((e) => e.start === "2027-03-16T14:00:00Z")).toMatchObject({ sequence: 1, lastModified: "2027-03-02T08:30:00Z" });
  });

  it("keeps a swapped week's UID for its first part and raises its SEQUENCE as its end moves", async () => {
    const { t, clock } = await setup();
    const path = await teamFeedPath(t, "ldn");
    const week = parseFeed((await fetchFeed(t, path)).text).events.find((e) => e.start === "2027-03-16T10:00:00Z")!;
    clock.set("2027-03-03T10:00:00Z");
    await storeOverride(t, { team: "ldn", rotation: "primary", start: "2027-03-18T10:00:00Z", end: "2027-03-20T10:00:00Z", member: "ana", replacedMember: null, source: "swap" });
    const parts = parseFeed((await fetchFeed(t, path)).text).events.filter((e) => e.start >= week.start && e.start < week.end);
    expect(parts.map((e) => [e.start, e.end, e.sequence])).toEqual([
      [week.start, "2027-03-18T10:00:00Z", 1],
      ["2027-03-18T10:00:00Z", "2027-03-20T10:00:00Z", 0],
      ["2027-03-20T10:00:00Z", week.end, 0],
    ]);
    expect(parts[0]!.uid).toBe(week.uid);
    expect(new Set(parts.map((e) => e.uid)).size).toBe(3);
  });

  it("moves a week covered through the swaps API from the requester's feed to the taker's, raising its SEQUENCE", async () => {
    const { t, clock } = await setup();
    const week = { team: "syd", rotation: "primary", start: "2027-03-15T23:00:00Z", end: "2027-03-22T23:00:00Z" };
    const [teamPath, fayPath, gusPath] = [await teamFeedPath(t, "syd"), await memberFeedPath(t, "fay"), await memberFeedPath(t, "gus")];
    const before = parseFeed((await fetchFeed(t, teamPath)).text).events.find((e) => e.start === week.start)!;
    expect(parseFeed((await fetchFeed(t, fayPath)).text).events.map((e) => e.start)).toContain(week.start);

    clock.set("2027-03-02T09:00:00Z");
    const asked = await t.request("POST", "/api/v1/swaps", { token: await t.memberToken("fay"), body: { shift: week, type: "cover" } });
    expect(asked.status, await asked.clone().text()).toBe(201);
    const accepted = await t.request("POST", `/api/v1/swaps/${(await asked.json()).id}/accept`, { token: await t.memberToken("gus") });
    expect(accepted.status, await accepted.clone().text()).toBe(200);

    const after = parseFeed((await fetchFeed(t, teamPath)).text).events.find((e) => e.uid === before.uid)!;
    expect(after).toMatchObject({ start: week.start, end: week.end, sequence: 1, lastModified: "2027-03-02T09:00:00Z", summary: "On call: Sydney Primary — Gus Example" });
    expect(after.description).toContain("Taken over through a swap.");
    expect(parseFeed((await fetchFeed(t, fayPath)).text).events.map((e) => e.start)).not.toContain(week.start);
    expect(parseFeed((await fetchFeed(t, gusPath)).text).events.find((e) => e.start === week.start)).toMatchObject({ end: week.end, sequence: 1 });
  });

  it("answers 304 to a matching If-None-Match or an If-Modified-Since at Last-Modified, and 200 otherwise", async () => {
    const { t } = await setup();
    const path = await teamFeedPath(t, "syd");
    const { res } = await fetchFeed(t, path);
    const etag = res.headers.get("etag")!;
    const lastModified = res.headers.get("last-modified")!;
    for (const ifNoneMatch of [etag, `W/${etag}`, `"other", ${etag}`, "*"]) {
      const cached = await fetchFeed(t, path, { "if-none-match": ifNoneMatch });
      expect(cached.res.status, ifNoneMatch).toBe(304);
      expect(cached.text).toBe("");
      expect(cached.res.headers.get("etag")).toBe(etag);
    }
    expect((await fetchFeed(t, path, { "if-none-match": '"other"' })).res.status).toBe(200);
    expect((await fetchFeed(t, path, { "if-modified-since": lastModified })).res.status).toBe(304);
    const secondBefore = new Date(Date.parse(lastModified) - 1000).toUTCString();
    expect((await fetchFeed(t, path, { "if-modified-since": secondBefore })).res.status).toBe(200);
    expect((await fetchFeed(t, path, { "if-none-match": '"other"', "if-modified-since": lastModified })).res.status).toBe(200);
  });

  it("adds and removes the reminder alarm without touching any event's SEQUENCE", async () => {
    const { t } = await setup();
    const path = await memberFeedPath(t, "ana");
    const plain = parseFeed((await fetchFeed(t, path)).text).events;
    expect(plain.every((e) => e.alarms.length === 0)).toBe(true);
    await t.request("POST", "/api/v1/members/ana/calendar/reminder", { body: { minutesBefore: 90 } });
    const reminded = parseFeed((await fetchFeed(t, path)).text).events;
    expect(reminded.every((e) => e.alarms[0] === "-PT1H30M" && e.sequence === 0)).toBe(true);
    await t.request("POST", "/api/v1/members/ana/calendar/reminder", { body: { minutesBefore: null } });
    expect(parseFeed((await fetchFeed(t, path)).text).events).toEqual(plain);
  });

  it("never moves Last-Modified backwards when the body changes within the same second", async () => {
    const { t } = await setup();
    const path = await memberFeedPath(t, "ana");
    const stamps: number[] = [];
    for (const minutesBefore of [10, 20, 10]) {
      await t.request("POST", "/api/v1/members/ana/calendar/reminder", { body: { minutesBefore } });
      stamps.push(Date.parse((await fetchFeed(t, path)).res.headers.get("last-modified")!));
    }
    expect(stamps[1]! > stamps[0]! && stamps[2]! > stamps[1]!).toBe(true);
  });
});

describe("feed tokens and links", () => {
  it("gives https, webcal and Google subscribe links built from the public URL", async () => {
    const { t } = await setup();
    const res = await t.request("GET", "/api/v1/members/ana/calendar", { token: await t.memberToken("ana") });
    expect(res.status).toBe(200);
    const links = await res.json();
    expect(links.https).toMatch(/^https:\/\/baton\.test\/calendars\/bt_c_[A-Za-z0-9_-]{43}\.ics$/);
    expect(links.webcal).toBe(links.https.replace("https://", "webcal://"));
    expect(links.google).toBe(`https://calendar.google.com/calendar/r?cid=${encodeURIComponent(links.webcal)}`);
    expect(links.reminder).toBeNull();
    const team = await (await t.request("GET", "/api/v1/teams/nyc/calendar", { token: await t.memberToken("ben") })).json();
    expect(team.https).toMatch(/^https:\/\/baton\.test\/calendars\/bt_t_[A-Za-z0-9_-]{43}\.ics$/);
  });

  it("revokes the old link on rotate: it answers 404 exactly as an unknown token does, and the new one works", async () => {
    const { t } = await setup();
    const old = await memberFeedPath(t, "ana");
    expect((await fetchFeed(t, old)).res.status).toBe(200);
    const rotated = await t.request("POST", "/api/v1/members/ana/calendar/rotate", { token: await t.memberToken("ana") });
    expect(rotated.status).toBe(200);
    const fresh = new URL((await rotated.json()).https).pathname;
    expect(fresh).not.toBe(old);
    expect(await memberFeedPath(t, "ana")).toBe(fresh);
    expect((await fetchFeed(t, fresh)).res.status).toBe(200);

    const revoked = await fetchFeed(t, old);
    const unknown = await fetchFeed(t, `/calendars/bt_c_${"A".repeat(43)}.ics`);
    const garbage = await fetchFeed(t, "/calendars/not-a-token");
    for (const answer of [revoked, unknown, garbage]) {
      expect(answer.res.status).toBe(404);
      expect(answer.res.headers.get("content-type")).toMatch(/^text\/plain/);
      expect(answer.text).toBe(revoked.text);
    }
  });

  it("rotates a team link for an admin only", async () => {
    const { t } = await setup();
    const old = await teamFeedPath(t, "nyc");
    expect((await t.request("POST", "/api/v1/teams/nyc/calendar/rotate", { token: await t.memberToken("ana") })).status).toBe(403);
    const res = await t.request("POST", "/api/v1/teams/nyc/calendar/rotate");
    expect(res.status).toBe(200);
    expect((await fetchFeed(t, old)).res.status).toBe(404);
    expect((await fetchFeed(t, new URL((await res.json()).https).pathname)).res.status).toBe(200);
  });

  it.each([
    ["GET", "/api/v1/members/ana/calendar"],
    ["POST", "/api/v1/members/ana/calendar/rotate"],
    ["POST", "/api/v1/members/ana/calendar/reminder"],
  ])("%s %s is the member's own or an admin's: another member gets 403 problem+json", async (method, path) => {
    const { t } = await setup();
    const res = await t.request(method, path, { token: await t.memberToken("ben"), body: method === "POST" ? { minutesBefore: 5 } : undefined });
    expect(res.status).toBe(403);
    expect(res.headers.get("content-type")).toBe("application/problem+json");
    expect((await res.json()).detail).toMatch(/only ana or an admin/);
  });

  it("answers 404 for an unknown member or team to an admin", async () => {
    const { t } = await setup();
    expect((await t.request("GET", "/api/v1/members/nobody/calendar")).status).toBe(404);
    expect((await t.request("GET", "/api/v1/teams/nobody/calendar")).status).toBe(404);
  });

  it.each([
    [{ minutesBefore: -1 }, "minutesBefore"],
    [{ minutesBefore: 2.5 }, "minutesBefore"],
    [{ minutesBefore: "60" }, "minutesBefore"],
    [{ minutesBefore: 40321 }, "minutesBefore"],
    [{}, "minutesBefore"],
    [{ minutesBefore: 5, extra: true }, "extra"],
  ])("refuses the reminder %j at %s", async (body, path) => {
    const { t } = await setup();
    const res = await t.request("POST", "/api/v1/members/ana/calendar/reminder", { body });
    expect(res.status).toBe(400);
    expect((await res.json()).errors.map((e: { path: string }) => e.path)).toContain(path);
    expect((await (await t.request("GET", "/api/v1/members/ana/calendar")).json()).reminder).toBeNull();
  });
});
