import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openTestDb } from "../helpers/database";
import { currentAssignments } from "../../src/db/schedule-store";
import { smallOrg } from "../helpers/factories";
import { migrateWorkspace, oncallDifferences } from "../helpers/migrate-workspace";
import { pdMembersAt as vendorAt, pdWorld as world } from "../helpers/pagerduty-world";
import { pagerDutyServer } from "../helpers/vendor-servers";

// A Tuesday; Europe/London moves to summer time on Sunday 28 March, inside the four kept weeks.
const NOW = "2027-03-16T12:00:00Z";
const KEPT_UNTIL = "2027-04-13T12:00:00Z";
const HISTORY_FROM = "2026-12-16T12:00:00Z";
const KEY = "u+pd-test-key";

/** A PagerDuty of its own for each suite, so that its request log and faults are that suite's alone. */
function startPagerDuty(faults?: Parameters<typeof pagerDutyServer>[1]["faults"]) {
  const started = { server: null as unknown as Awaited<ReturnType<typeof pagerDutyServer>> };
  beforeAll(async () => {
    started.server = await pagerDutyServer(world, { apiKey: KEY, ...(faults ? { faults } : {}) });
  });
  afterAll(() => started.server.close());
  return started;
}

describe("baton migrate pagerduty", () => {
  const pd = startPagerDuty({ "/users": [{ status: 429, retryAfter: "2" }], "/teams": [{ status: 503 }] });
  const w = migrateWorkspace(NOW);
  let first: Awaited<ReturnType<typeof w.cli>>;
  /** The first migration's requests alone: other tests here migrate again. */
  let requests: typeof pd.server.log;
  let server: typeof pd.server;
  const out = w.file("org.json");

  beforeAll(async () => {
    server = pd.server;
    expect((await w.cli("import", w.file("existing.json", smallOrg()))).code).toBe(0);
    first = await w.cli("migrate", "pagerduty", "--api-key", KEY, "--base-url", server.url, "--out", out);
    requests = [...server.log];
  });

  it("reads PagerDuty with its auth headers, paging by what came back, waiting out a 429 and a 503", () => {
    expect(first).toMatchObject({ code: 0, stderr: "" });
    const users = requests.filter((r) => r.path === "/users");
    // One 429, then three pages of two (the mock gives fewer than asked for).
    expect(users.map((r) => r.search.get("offset"))).toEqual(["0", "0", "2", "4"]);
    expect(users.every((r) => r.search.get("limit") === "100" && r.search.getAll("include[]").includes("contact_methods"))).toBe(true);
    expect(w.sleeps.slice(0, 2)).toEqual([2000, 500]);
    const detail = requests.find((r) => r.path === "/schedules/SPAY")!;
    expect(Object.fromEntries(detail.search)).toEqual({ since: NOW, until: KEPT_UNTIL, time_zone: "UTC" });
  });

  it("maps teams and weekly layers to rotations in the schedule's zone with order and wall-clock handoff", async () => {
    const { org } = await w.stored();
    expect(org.teams.map((t) => t.id)).toEqual(["alpha", "bravo", "pd-payments", "pd-platform"]);
    const payments = org.teams.find((t) => t.id === "pd-payments")!;
    expect(payments).toMatchObject({
      name: "Payments",
      timeZone: "Europe/London",
      handoff: { weekday: "monday", time: "09:00" },
      rotations: [{ id: "weekly", name: "Weekly", timeZone: "Europe/London", members: ["ana", "ben-okafor", "eve-martin"] }],
    });
    const platform = org.teams.find((t) => t.id === "pd-platform")!;
    expect(platform.rotations).toEqual([
      { id: "apac", name: "APAC", timeZone: "Etc/UTC", window: { start: "00:00", end: "08:00" }, members: ["chen", "fay-2"] },
      { id: "emea", name: "EMEA", timeZone: "Etc/UTC", window: { start: "08:00", end: "16:00" }, members: ["ben-okafor", "ana"] },
      { id: "americas", name: "Americas", timeZone: "Etc/UTC", window: { start: "16:00", end: "00:00" }, members: ["dev", "eve-martin"] },
    ]);
    expect(first.stdout).toContain("pd-platform: several daily windows → a follow-the-sun team");
  });

  it("sums PagerDuty's per-rule delays into afterMinutes and maps targets and num_loops", async () => {
    const { org } = await w.stored();
    expect(org.teams.find((t) => t.id === "pd-payments")!.escalation).toEqual({
      repeat: 2,
      levels: [
        { afterMinutes: 0, targets: [{ type: "oncall" }] },
        { afterMinutes: 10, targets: [{ type: "member", member: "ana" }] },
        { afterMinutes: 30, targets: [{ type: "team", team: "pd-platform" }] },
      ],
    });
    expect(org.teams.find((t) => t.id === "pd-platform")!.escalation).toEqual({
      repeat: 0,
      levels: [
        { afterMinutes: 0, targets: [{ type: "oncall" }] },
        { afterMinutes: 15, targets: [{ type: "member", member: "dev" }] },
      ],
    });
  });

  it("takes members by email with name, zone and phone, infers countries from the zone and lists them for review", async () => {
    const { org } = await w.stored();
    const byId = new Map(org.members.map((m) => [m.id, m]));
    // ana was already in Baton: her reviewed country and subdivision stay.
    expect(byId.get("ana")).toMatchObject({ name: "Ana Souza", email: "ana@example.com", timeZone: "Europe/London", country: "GB", subdivision: "ENG", phone: "+44 7700900123" });
    expect(byId.get("ben-okafor")).toMatchObject({ timeZone: "Europe/Berlin", country: "DE" });
    expect(byId.get("chen")).toMatchObject({ timeZone: "Asia/Singapore", country: "SG" });
    expect(byId.get("dev")).toMatchObject({ timeZone: "America/Los_Angeles", country: "US" });
    // Baton's own fay keeps her id; PagerDuty's fay is another person.
    expect(byId.get("fay")).toMatchObject({ email: "fay@example.com" });
    expect(byId.get("fay-2")).toMatchObject({ email: "fay@pd.test", country: "US" });
    expect(first.stdout).toContain("+ chen  Chen Wei <chen@pd.test>  Asia/Singapore  SG (inferred from Asia/Singapore)");
    expect(first.stdout).toContain("~ ana  Ana Souza <ana@example.com>  Europe/London  GB (kept from Baton)");
    expect(first.stdout).toContain("fay-2  Fay Ops <fay@pd.test>  Etc/UTC  US (Etc/UTC names no country: set to US, review it)");
  });

  it("reports by name what it cannot carry over, with the reason", () => {
    expect(first.stdout).toContain('layer "Payments Primary / Old layer": ended 2027-01-04T09:00:00Z');
    expect(first.stdout).toMatch(/layer "Platform Around the Clock \/ Weekend cover": restricted by weekday .*Saturday 00:00 for 48 h/);
    expect(first.stdout).toContain('layer "Legacy Daily / Daily": turns of 1 day(s): Baton rotations take turns by the week');
    expect(first.stdout).toContain('schedule "Legacy Daily": no layer or rotation Baton can take over');
    expect(first.stdout).toContain('escalation policy "Legacy Escalation": belongs to no team that was taken over');
  });

  it("merges: the teams and members Baton had stay, none retired", async () => {
    const { org } = await w.stored();
    const before = smallOrg();
    expect(org.members.map((m) => m.id)).toEqual(expect.arrayContaining(before.members.map((m) => m.id)));
    expect(org.teams.find((t) => t.id === "alpha")!.rotations[0]!.members).toEqual(["ana", "ben", "cat", "dan"]);
    expect(org.timeOff).toHaveLength(before.timeOff!.length);
  });

  it("keeps PagerDuty's final schedule, override and weekend layer included, at every half hour of the kept weeks", async () => {
    expect(await oncallDifferences(await w.target(), NOW, "pd-payments", NOW, KEPT_UNTIL, vendorAt("SPAY"))).toEqual([]);
    expect(await oncallDifferences(await w.target(), NOW, "pd-platform", NOW, KEPT_UNTIL, vendorAt("SPLA"))).toEqual([]);
    // The override and the weekend layer really are in there.
    expect(vendorAt("SPAY")(Date.parse("2027-03-20T12:00:00Z"))).toEqual(["dev"]);
    expect(vendorAt("SPLA")(Date.parse("2027-03-20T03:00:00Z"))).toEqual(["ana"]);
  });

  it("plans Baton's own weeks on the London wall clock across the change to summer time", async () => {
    const db = await openTestDb(await w.target());
    const starts = (await currentAssignments(db, "pd-payments")).map((a) => a.weekStart);
    await db.close();
    expect(starts).toEqual(expect.arrayContaining(["2027-03-22T09:00:00Z", "2027-03-29T08:00:00Z", "2027-04-05T08:00:00Z"]));
  });

  // Every past lookup reads history afresh (by design: it is rare); a loaded machine needs the time.
  it("imports the past 90 days of PagerDuty's on-call as history that lookups at past instants answer from", async () => {
    expect(first.stdout).toContain(`history: PagerDuty's on-call since ${HISTORY_FROM}`);
    expect(await oncallDifferences(await w.target(), NOW, "pd-payments", HISTORY_FROM, NOW, vendorAt("SPAY"), 360)).toEqual([]);
    expect(await oncallDifferences(await w.target(), NOW, "pd-platform", HISTORY_FROM, NOW, vendorAt("SPLA"), 360)).toEqual([]);
  }, 120_000);

  it("re-importing the written org file changes nothing, and migrating again stores nothing new", async () => {
    const again = await w.cli("import", out);
    expect(again.stdout).toContain("members +0 ~0 -0, teams +0 ~0 -0, time off +0 ~0 -0");
    const before = await w.stored();
    const rerun = await w.cli("migrate", "pagerduty", "--api-key", KEY, "--base-url", server.url);
    expect(rerun.code).toBe(0);
    expect(rerun.stdout).toMatch(/→ 0 fixed override\(s\) stored \(\d+ already stored\)/);
    expect(rerun.stdout).toContain("members +0 ~0 =6");
    expect(await w.stored()).toEqual(before);
  });
});

describe("baton migrate pagerduty stores nothing", () => {
  const pd = startPagerDuty();
  it("on a dry run, while printing what it would create and skip", async () => {
    const w = migrateWorkspace(NOW);
    await w.cli("import", w.file("existing.json", smallOrg()));
    const before = await w.stored();
    const dry = await w.cli("migrate", "pagerduty", "--api-key", KEY, "--base-url", pd.server.url, "--dry-run");
    expect(dry.code).toBe(0);
    expect(dry.stdout).toContain("PagerDuty → Baton (dry run: nothing stored)");
    expect(dry.stdout).toContain("teams +2 ~0 =0");
    expect(dry.stdout).toMatch(/fixed override\(s\) to store/);
    expect(await w.stored()).toEqual(before);
  });

  it("with a wrong key: exit 1 with PagerDuty's reason", async () => {
    const w = migrateWorkspace(NOW);
    await w.cli("import", w.file("existing.json", smallOrg()));
    const before = await w.stored();
    const wrong = await w.cli("migrate", "pagerduty", "--api-key", "not-the-key", "--base-url", pd.server.url);
    expect(wrong).toEqual({ code: 1, stdout: "", stderr: "baton: PagerDuty rejected the API key (401 on /users): Unauthorized; nothing was stored\n" });
    expect(await w.stored()).toEqual(before);
  });
});

describe("baton migrate usage errors", () => {
  it.each([
    [["migrate"], "migrate takes one vendor: pagerduty or opsgenie"],
    [["migrate", "victorops", "--api-key", "k"], "migrate takes one vendor: pagerduty or opsgenie"],
    [["migrate", "pagerduty"], "migrate needs --api-key K"],
    [["migrate", "pagerduty", "--api-key", "k", "--keep-weeks", "0"], "--keep-weeks must be a whole number of weeks from 1 to 52"],
    [["migrate", "opsgenie", "--api-key", "k", "--base-url", "not a url"], "--base-url not a url is not a URL"],
  ])("%j: exit 2", async (argv, reason) => {
    const w = migrateWorkspace(NOW);
    const result = await w.cli(...argv);
    expect(result.code).toBe(2);
    expect(result.stderr.split("\n")[0]).toBe(`baton: ${reason}`);
  });
});
