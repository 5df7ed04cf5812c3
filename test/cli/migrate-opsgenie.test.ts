import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openTestDb } from "../helpers/database";
import { currentAssignments } from "../../src/db/schedule-store";
import { smallOrg } from "../helpers/factories";
import { migrateWorkspace, oncallDifferences } from "../helpers/migrate-workspace";
import { ogMembersAt as vendorAt, ogWorld as world } from "../helpers/opsgenie-world";
import { opsgenieServer } from "../helpers/vendor-servers";

// A Tuesday; Europe/London moves to summer time on Sunday 28 March, inside the four kept weeks.
const NOW = "2027-03-16T12:00:00Z";
const KEPT_UNTIL = "2027-04-13T12:00:00Z";
const HISTORY_FROM = "2026-12-16T12:00:00Z";
const KEY = "eb243592-faa2-4ba2-a551q-1afdf565c889";

/** An Opsgenie of its own for each suite, so that its request log and faults are that suite's alone. */
function startOpsgenie(faults?: Parameters<typeof opsgenieServer>[1]["faults"]) {
  const started = { server: null as unknown as Awaited<ReturnType<typeof opsgenieServer>> };
  beforeAll(async () => {
    started.server = await opsgenieServer(world, { apiKey: KEY, ...(faults ? { faults } : {}) });
  });
  afterAll(() => started.server.close());
  return started;
}

describe("baton migrate opsgenie", () => {
  const og = startOpsgenie({ "/v2/users": [{ status: 500 }], "/v2/schedules": [{ status: 429, retryAfter: "1" }] });
  const w = migrateWorkspace(NOW);
  let first: Awaited<ReturnType<typeof w.cli>>;
  /** The first migration's requests alone: other tests here migrate again. */
  let requests: typeof og.server.log;
  const out = w.file("org.json");

  beforeAll(async () => {
    expect((await w.cli("import", w.file("existing.json", smallOrg()))).code).toBe(0);
    first = await w.cli("migrate", "opsgenie", "--api-key", KEY, "--base-url", og.server.url, "--out", out);
    requests = [...og.server.log];
  });

  it("reads Opsgenie with its GenieKey header, following paging.next on the host it was given, waiting out a 500 and a 429", () => {
    expect(first).toMatchObject({ code: 0, stderr: "" });
    const log = requests;
    expect(log.every((r) => r.headers.get("authorization") === `GenieKey ${KEY}`)).toBe(true);
    expect(log.filter((r) => r.path === "/v2/users").map((r) => r.search.get("offset"))).toEqual(["0", "0", "2", "4"]);
    expect(log.filter((r) => r.path === "/v2/schedules").every((r) => r.search.get("expand") === "rotation")).toBe(true);
    expect(w.sleeps.slice(0, 2)).toEqual([500, 1000]);
    const timeline = log.find((r) => r.path === "/v2/schedules/s-sre/timeline")!;
    expect(Object.fromEntries(timeline.search)).toEqual({ identifierType: "id", interval: "5", intervalUnit: "weeks", date: NOW });
  });

  it("maps owner teams and weekly rotations, windows and the overnight weekday form included", async () => {
    const { org } = await w.stored();
    expect(org.teams.map((t) => t.id)).toEqual(["alpha", "bravo", "og-sre", "og-follow"]);
    expect(org.teams.find((t) => t.id === "og-sre")).toMatchObject({
      name: "SRE",
      timeZone: "Europe/London",
      handoff: { weekday: "tuesday", time: "10:00" },
      rotations: [
        { id: "weekly", name: "Weekly", timeZone: "Europe/London", members: ["olivia", "bob", "cat"] },
        { id: "backup", name: "Backup", timeZone: "Europe/London", members: ["cat", "olivia"] },
      ],
    });
    expect(org.teams.find((t) => t.id === "og-follow")).toMatchObject({
      timeZone: "America/New_York",
      handoff: { weekday: "monday", time: "07:00" },
      rotations: [
        { id: "day", timeZone: "America/New_York", window: { start: "07:00", end: "19:00" }, members: ["dana", "lee"] },
        { id: "night", timeZone: "America/New_York", window: { start: "19:00", end: "07:00" }, members: ["olivia", "bob"] },
      ],
    });
    expect(first.stdout).toContain("og-follow: several daily windows → a follow-the-sun team");
  });

  it("takes Opsgenie's delays as counted from the alert, schedule notify types, and repeat.count", async () => {
    const { org } = await w.stored();
    expect(org.teams.find((t) => t.id === "og-sre")!.escalation).toEqual({
      repeat: 3,
      levels: [
        { afterMinutes: 0, targets: [{ type: "oncall" }] },
        { afterMinutes: 5, targets: [{ type: "next-oncall" }] },
        { afterMinutes: 60, targets: [{ type: "member", member: "lee" }] },
        { afterMinutes: 90, targets: [{ type: "team", team: "og-follow" }] },
      ],
    });
    expect(org.teams.find((t) => t.id === "og-follow")!.escalation).toEqual({
      repeat: 0,
      levels: [
        { afterMinutes: 0, targets: [{ type: "oncall" }] },
        { afterMinutes: 10, targets: [{ type: "team", team: "og-sre" }] },
      ],
    });
  });

  it("infers countries from the zones and keeps a known member by email", async () => {
    const { org } = await w.stored();
    const byId = new Map(org.members.map((m) => [m.id, m]));
    expect(byId.get("bob")).toMatchObject({ name: "Bob Stone", email: "bob@og.test", timeZone: "Europe/Dublin", country: "IE" });
    expect(byId.get("lee")).toMatchObject({ timeZone: "Asia/Tokyo", country: "JP" });
    expect(byId.get("dana")).toMatchObject({ country: "US" });
    expect(byId.get("cat")).toMatchObject({ name: "Cat Jones", email: "cat@example.com", country: "GB", subdivision: "ENG" });
    expect(first.stdout).toContain("+ lee  Lee Park <lee@og.test>  Asia/Tokyo  JP (inferred from Asia/Tokyo)");
  });

  it("reports by name what it cannot carry over, with the reason", () => {
    expect(first.stdout).toMatch(/layer "misc \/ Weekdays": weekday restrictions \(monday 09:00–monday 17:00, .*\)/);
    expect(first.stdout).toContain('layer "misc / Daily": daily turns of 1: Baton rotations take turns by the week');
    expect(first.stdout).toContain('team "Misc": none of its schedules could be taken over');
    expect(first.stdout).toContain('schedule "retired_schedule": disabled in Opsgenie');
    expect(first.stdout).toContain('escalation target "SRE_escalation / level 5": notify previous of schedule sre_schedule');
  });

  it("keeps Opsgenie's final timeline, override included, at every half hour of the kept weeks", async () => {
    expect(await oncallDifferences(await w.target(), NOW, "og-sre", NOW, KEPT_UNTIL, vendorAt("s-sre"))).toEqual([]);
    expect(await oncallDifferences(await w.target(), NOW, "og-follow", NOW, KEPT_UNTIL, vendorAt("s-follow"))).toEqual([]);
    expect(vendorAt("s-sre")(Date.parse("2027-03-23T12:00:00Z")).sort()).toEqual(["dana", "olivia"]);
  });

  it("hands over on the London wall clock across the change to summer time, not at a fixed UTC hour", async () => {
    const db = await openTestDb(await w.target());
    const starts = (await currentAssignments(db, "og-sre")).filter((a) => a.rotation === "weekly").map((a) => a.weekStart);
    await db.close();
    expect(starts).toEqual(expect.arrayContaining(["2027-03-23T10:00:00Z", "2027-03-30T09:00:00Z", "2027-04-06T09:00:00Z"]));
  });

  // Every past lookup reads history afresh (by design: it is rare); a loaded machine needs the time.
  it("imports the past 90 days of Opsgenie's on-call as history that lookups at past instants answer from", async () => {
    expect(first.stdout).toContain(`history: Opsgenie's on-call since ${HISTORY_FROM}`);
    expect(await oncallDifferences(await w.target(), NOW, "og-sre", HISTORY_FROM, NOW, vendorAt("s-sre"), 360)).toEqual([]);
    expect(await oncallDifferences(await w.target(), NOW, "og-follow", HISTORY_FROM, NOW, vendorAt("s-follow"), 360)).toEqual([]);
  }, 120_000);

  it("re-importing the written org file changes nothing, and migrating again stores nothing new", async () => {
    expect((await w.cli("import", out)).stdout).toContain("members +0 ~0 -0, teams +0 ~0 -0, time off +0 ~0 -0");
    const before = await w.stored();
    const rerun = await w.cli("migrate", "opsgenie", "--api-key", KEY, "--base-url", og.server.url);
    expect(rerun.code).toBe(0);
    expect(rerun.stdout).toMatch(/→ 0 fixed override\(s\) stored \(\d+ already stored\)/);
    expect(rerun.stdout).toContain("members +0 ~0 =5");
    expect(await w.stored()).toEqual(before);
  });
});

describe("baton migrate opsgenie stores nothing", () => {
  const og = startOpsgenie();

  it("on a dry run, while printing what it would create and skip", async () => {
    const w = migrateWorkspace(NOW);
    await w.cli("import", w.file("existing.json", smallOrg()));
    const before = await w.stored();
    const dry = await w.cli("migrate", "opsgenie", "--api-key", KEY, "--base-url", og.server.url, "--dry-run");
    expect(dry.code).toBe(0);
    expect(dry.stdout).toContain("Opsgenie → Baton (dry run: nothing stored)");
    expect(dry.stdout).toContain("members +4 ~1 =0");
    expect(await w.stored()).toEqual(before);
  });

  it("with a wrong key: exit 1 with Opsgenie's reason", async () => {
    const w = migrateWorkspace(NOW);
    await w.cli("import", w.file("existing.json", smallOrg()));
    const before = await w.stored();
    const wrong = await w.cli("migrate", "opsgenie", "--api-key", "wrong", "--base-url", og.server.url);
    expect(wrong).toEqual({ code: 1, stdout: "", stderr: "baton: Opsgenie rejected the API key (401 on /v2/users): Could not authenticate; nothing was stored\n" });
    expect(await w.stored()).toEqual(before);
  });
});
