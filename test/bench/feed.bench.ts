/**
 * Calendar feed benchmark: the personal feed of a member in five teams over a
 * year (two of them follow-the-sun, so hundreds of daily windows), timed as
 * served and as a ratio to ical-generator serialising the same events alone
 * (its own calendar text, with luxon dates as its documentation shows).
 * Run with `npx tsx test/bench/feed.bench.ts`, or call `runFeedBench()`.
 */
import ical, { ICalAlarmType, ICalCalendarMethod } from "ical-generator";
import { DateTime } from "luxon";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { tzlib_get_ical_block } from "timezones-ical-library";
import { loadConfig } from "../../src/config";
import { openDb } from "../../src/db/open";
import { loadOrg } from "../../src/db/org-store";
import { storeAssignments } from "../../src/db/schedule-store";
import type { FeedCalendar } from "../../src/domain/feed";
import type { OrgFileInput } from "../../src/domain/org-file";
import { fixedClock } from "../../src/domain/time";
import { handoffClock, weeksFrom } from "../../src/domain/weeks";
import { createApp } from "../../src/http/app";
import { CalendarFeeds } from "../../src/services/calendar";
import { issueToken } from "../../src/services/tokens";

const ADMIN = "bench-admin-token-0123456789";
const WEEKS = 52;

function org(): OrgFileInput {
  const person = (id: string, timeZone: string, country: string) => ({ id, name: `${id[0]!.toUpperCase()}${id.slice(1)} Bench`, email: `${id}@example.com`, timeZone, country });
  const pool = (prefix: string, n: number) => ["ana", ...Array.from({ length: n - 1 }, (_, i) => `${prefix}${i + 1}`)];
  const others = (prefix: string, n: number) => Array.from({ length: n }, (_, i) => `${prefix}${i + 1}`);
  const level = (afterMinutes: number, targets: OrgFileInput["teams"][number]["escalation"]["levels"][number]["targets"]) => ({ afterMinutes, targets });
  const weekly = (id: string, name: string, timeZone: string, members: string[], next: string) => ({
    id,
    name,
    timeZone,
    rotations: [{ id: "primary", name: "Primary", members }],
    escalation: { repeat: 1, levels: [level(0, [{ type: "oncall" }]), level(15, [{ type: "next-oncall" }]), level(30, [{ type: "team", team: next }])] },
  });
  const teams: OrgFileInput["teams"] = [
    weekly("payments", "Payments", "Europe/London", pool("pay", 6), "platform"),
    weekly("platform", "Platform", "America/New_York", pool("plt", 5), "payments"),
    weekly("search", "Search", "Australia/Sydney", pool("sea", 4), "payments"),
    {
      id: "sun",
      name: "Sun",
      timeZone: "Europe/London",
      rotations: [
        { id: "apac", name: "APAC", timeZone: "Australia/Lord_Howe", window: { start: "08:00", end: "16:00" }, members: others("sap", 3) },
        { id: "emea", name: "EMEA", timeZone: "Europe/London", window: { start: "08:00", end: "16:00" }, members: pool("sem", 3) },
        { id: "amer", name: "Americas", timeZone: "America/Los_Angeles", window: { start: "08:00", end: "16:00" }, members: others("sam", 3) },
      ],
      escalation: { repeat: 0, levels: [level(0, [{ type: "oncall" }]), level(10, [{ type: "team", team: "platform" }])] },
    },
    {
      id: "edge",
      name: "Edge",
      timeZone: "Asia/Singapore",
      rotations: [
        { id: "east", name: "East", timeZone: "Asia/Singapore", window: { start: "09:00", end: "21:00" }, members: pool("eea", 2) },
        { id: "west", name: "West", timeZone: "America/Chicago", window: { start: "09:00", end: "21:00" }, members: others("ewe", 2) },
      ],
      escalation: { repeat: 0, levels: [level(0, [{ type: "oncall" }]), level(5, [{ type: "next-oncall" }])] },
    },
  ];
  const ids = [...new Set(teams.flatMap((t) => t.rotations.flatMap((r) => r.members)))];
  return { version: 1, members: ids.map((id) => person(id, "Europe/London", "GB")), teams };
}

/** The same events through ical-generator's own calendar, with the same VTIMEZONEs: the baseline. */
function icalGeneratorAlone(calendar: FeedCalendar): string {
  const cal = ical({
    prodId: { company: "Baton", product: "On-call rota" },
    method: ICalCalendarMethod.PUBLISH,
    name: calendar.name,
    ttl: 3600,
    timezone: { name: null, generator: (tz) => (tzlib_get_ical_block(tz) as string[])[0] ?? null },
  });
  for (const event of calendar.events) {
    cal.createEvent({
      id: event.uid,
      sequence: event.sequence,
      stamp: event.lastModified,
      lastModified: event.lastModified,
      start: DateTime.fromISO(event.start, { zone: "utc" }),
      end: DateTime.fromISO(event.end, { zone: "utc" }),
      timezone: event.zone,
      summary: event.summary,
      description: event.description,
      url: event.url,
      alarms: calendar.reminderMinutes === null ? [] : [{ type: ICalAlarmType.display, trigger: calendar.reminderMinutes * 60 }],
    });
  }
  return cal.toString();
}

/** Median and best of `runs` timings in ms: the best shows the cost on a quiet machine, the median what a busy one gives. */
type Timing = { median: number; best: number };

async function time(runs: number, work: () => unknown): Promise<Timing> {
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const started = performance.now();
    await work();
    times.push(performance.now() - started);
  }
  times.sort((a, b) => a - b);
  return { median: times[Math.floor(times.length / 2)]!, best: times[0]! };
}

export type FeedBenchResult = {
  events: number;
  bytes: number;
  afterOneTeamReplan: Timing;
  fromScratch: Timing;
  cached: Timing;
  notModified: Timing;
  baseline: Timing;
};

export async function runFeedBench(): Promise<FeedBenchResult> {
  const dir = mkdtempSync(join(tmpdir(), "baton-feed-bench-"));
  try {
    const db = await openDb(join(dir, "baton.db"));
    const clock = fixedClock("2027-01-05T12:00:00Z");
    const config = loadConfig({ BATON_ADMIN_TOKEN: ADMIN, BATON_PUBLIC_URL: "https://baton.example" });
    const app = createApp({ db, clock, config });
    const imported = await app.request("/api/v1/org", { method: "PUT", headers: { authorization: `Bearer ${ADMIN}`, "content-type": "application/json" }, body: JSON.stringify(org()) });
    if (imported.status !== 200) throw new Error(`org import failed: ${imported.status} ${await imported.text()}`);
    for (const team of (await loadOrg(db)).teams) {
      const planned = team.rotations.flatMap((rotation) =>
        weeksFrom(handoffClock(team, rotation), "2027-01-05", WEEKS).map((week, i) => ({
          team: team.id,
          rotation: rotation.id,
          weekStart: week.start,
          weekEnd: week.end,
          member: rotation.members[i % rotation.members.length]!,
          reason: "bench",
        })),
      );
      await db.transact(async (tx) => storeAssignments({ tx, actor: { kind: "admin", via: "system" }, at: "2027-01-01T00:00:00Z" }, team.id, planned));
    }
    app.index.invalidate({ all: true });
    const token = await issueToken(db, "calendar", "ana");
    const path = `/calendars/${token}.ics`;
    const first = await app.request(path);
    const body = await first.text();
    const etag = first.headers.get("etag")!;
    const feeds = new CalendarFeeds({ db, index: app.index, clock, config });
    const calendar = (await feeds.memberCalendar("ana", null))!;

    // The index drops a team's shifts after a write to it; the feed sees a new timeline and rebuilds.
    const afterOneTeamReplan = await time(30, () => {
      app.index.invalidate({ teams: ["sun"] });
      return feeds.feedForToken(token);
    });
    const fromScratch = await time(30, () => {
      app.index.invalidate({ all: true });
      return new CalendarFeeds({ db, index: app.index, clock, config }).feedForToken(token);
    });
    const cached = await time(300, async () => (await app.request(path)).text());
    const notModified = await time(300, () => app.request(path, { headers: { "if-none-match": etag } }));
    const baseline = await time(30, () => icalGeneratorAlone(calendar));
    return { events: calendar.events.length, bytes: body.length, afterOneTeamReplan, fromScratch, cached, notModified, baseline };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export function printFeedBench(r: FeedBenchResult): void {
  const ms = (x: number) => x.toFixed(2).padStart(7);
  const row = (label: string, t: Timing) =>
    `  ${label.padEnd(54)} ${ms(t.median)} ms (best ${ms(t.best)})   ${(t.median / r.baseline.median).toFixed(2)}× ical-generator (best ${(t.best / r.baseline.best).toFixed(2)}×)`;
  console.log(`calendar feed: a member's personal feed, five teams, ${WEEKS} weeks: ${r.events} events, ${(r.bytes / 1024).toFixed(0)} KiB`);
  console.log(row("rebuilt after a re-plan of one team", r.afterOneTeamReplan));
  console.log(row("built from scratch (every team's shifts re-expanded)", r.fromScratch));
  console.log(row("served over HTTP from the feed cache", r.cached));
  console.log(row("304 Not Modified over HTTP", r.notModified));
  console.log(row("ical-generator serialising the same events alone", r.baseline));
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) printFeedBench(await runFeedBench());
