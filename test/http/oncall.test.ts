import { describe, expect, it } from "vitest";
import { backendEnv } from "../helpers/database";
import type { OrgFileInput } from "../../src/domain/org-file";
import { runCli } from "../../src/cli/main";
import { OUTSIDE_WRITE_CHECK_MS } from "../../src/db/open";
import { ADMIN_TOKEN, createTestApp, settableClock } from "../helpers/app";
import { member, team } from "../helpers/factories";
import { storeOverride, storeWeeks } from "../helpers/schedule";

const london = ["ana", "ben", "cat", "dan"];
const newYork = ["eve", "fay", "gil", "hal"];
const sun = { apac: ["sia", "sam"], emea: ["lea", "leo"], amer: ["amy", "abe"] };

function org(): OrgFileInput {
  return {
    version: 1,
    members: [
      ...london.map((id) => member(id, { phone: `+44 20 7946 00${id.length}` })),
      ...newYork.map((id) => member(id, { timeZone: "America/New_York", country: "US", subdivision: "NY" })),
      ...sun.apac.map((id) => member(id, { timeZone: "Asia/Singapore", country: "SG", subdivision: undefined })),
      ...sun.emea.map((id) => member(id)),
      ...sun.amer.map((id) => member(id, { timeZone: "America/Los_Angeles", country: "US", subdivision: "CA" })),
    ],
    teams: [
      team("alpha", london, {
        escalation: {
          repeat: 2,
          levels: [
            { afterMinutes: 0, targets: [{ type: "oncall" }] },
            { afterMinutes: 10, targets: [{ type: "next-oncall" }] },
            { afterMinutes: 20, targets: [{ type: "member", member: "hal" }] },
            { afterMinutes: 30, targets: [{ type: "team", team: "bravo" }] },
          ],
        },
      }),
      team("bravo", newYork, {
        timeZone: "America/New_York",
        escalation: { repeat: 0, levels: [{ afterMinutes: 0, targets: [{ type: "oncall" }, { type: "team", team: "alpha" }] }] },
      }),
      team("gamma", ["ana"], {
        escalation: { repeat: 0, levels: [{ afterMinutes: 0, targets: [{ type: "oncall" }, { type: "team", team: "bravo" }] }] },
      }),
      {
        id: "sun",
        name: "Sun",
        timeZone: "Europe/London",
        rotations: [
          { id: "apac", name: "APAC", timeZone: "Asia/Singapore", window: { start: "08:00", end: "16:00" }, members: sun.apac },
          { id: "emea", name: "EMEA", timeZone: "Europe/London", window: { start: "08:00", end: "16:00" }, members: sun.emea },
          { id: "amer", name: "Americas", timeZone: "America/Los_Angeles", window: { start: "08:00", end: "16:00" }, members: sun.amer },
        ],
        escalation: { repeat: 0, levels: [{ afterMinutes: 0, targets: [{ type: "oncall" }] }] },
      },
    ],
  };
}

async function setup(now = "2027-01-12T12:00:00Z") {
  const clock = settableClock(now);
  const t = await createTestApp({ clock });
  await t.importOrgLongAgo(org());
  return { t, clock };
}

/** The app's own fetch of alpha's lookup, as the Node adapter calls it: a Response, not a promise, when the fast path answers at once. */
const fetchNow = (t: Awaited<ReturnType<typeof setup>>["t"], token: string, headers: Record<string, string> = {}) =>
  t.app.fetch(new Request("http://baton.test/api/v1/oncall?team=alpha", { headers: { authorization: `Bearer ${token}`, ...headers } }));

/** Once this turn of the event loop is over: when the fast path's log lines have been made. */
const afterTurn = () => new Promise((resolve) => setImmediate(resolve));

const who = async (t: Awaited<ReturnType<typeof setup>>["t"], query: string) => {
  const res = await t.request("GET", `/api/v1/oncall?${query}`);
  expect(res.status).toBe(200);
  return res.json();
};

describe("GET /api/v1/oncall", () => {
  it("names the member on call with contact details, the shift, its source and the next handoff", async () => {
    const { t } = await setup();
    await storeWeeks(t, "alpha", "primary", "2027-01-12", ["ana", "ben", "cat"]);
    const answer = await who(t, "team=alpha&at=2027-01-13T03:00:00%2B01:00");
    expect(answer.at).toBe("2027-01-13T02:00:00Z");
    expect(answer.oncall).toEqual([
      {
        member: { id: "ana", name: "Ana", email: "ana@example.com", phone: "+44 20 7946 003", timeZone: "Europe/London" },
        rotation: "primary",
        start: "2027-01-12T10:00:00Z",
        end: "2027-01-19T10:00:00Z",
        source: "schedule",
      },
    ]);
    expect(answer.nextHandoff).toBe("2027-01-19T10:00:00Z");
  });

  it("resolves every target type: oncall, next-oncall, member and another team's level 1, with delays and repeat", async () => {
    const { t } = await setup();
    await storeWeeks(t, "alpha", "primary", "2027-01-12", ["ana", "ben", "cat"]);
    await storeWeeks(t, "bravo", "primary", "2027-01-12", ["fay", "gil"]);
    const answer = await who(t, "team=alpha&at=2027-01-14T12:00:00Z");
    expect(answer.escalation).toEqual([
      { level: 1, afterMinutes: 0, members: ["ana"] },
      { level: 2, afterMinutes: 10, members: ["ben"] },
      { level: 3, afterMinutes: 20, members: ["hal"] },
      { level: 4, afterMinutes: 30, members: ["fay"] },
    ]);
    expect(answer.repeat).toBe(2);
  });

  it("guards a loop between two teams that escalate to each other", async () => {
    const { t } = await setup();
    await storeWeeks(t, "alpha", "primary", "2027-01-12", ["ana"]);
    await storeWeeks(t, "bravo", "primary", "2027-01-12", ["fay"]);
    const bravo = await who(t, "team=bravo&at=2027-01-14T12:00:00Z");
    expect(bravo.escalation[0].members).toEqual(["fay", "ana"]);
    const gamma = await (await t.request("GET", "/api/v1/teams/gamma/escalation?at=2027-01-14T12:00:00Z")).json();
    const bravoTarget = gamma.levels[0].targets[1];
    expect(bravoTarget).toMatchObject({ type: "team", team: "bravo", members: ["fay", "ana"] });
    const chain = await (await t.request("GET", "/api/v1/teams/bravo/escalation?at=2027-01-14T12:00:00Z")).json();
    const alphaTarget = chain.levels[0].targets[1];
    expect(alphaTarget.members).toEqual(["ana"]);
    expect(chain.levels[0].members.map((p: { name: string }) => p.name)).toEqual(["Fay", "Ana"]);
  });

  it("reports an empty answer instead of hiding it when nobody is planned", async () => {
    const { t } = await setup();
    const answer = await who(t, "team=alpha&at=2027-01-14T12:00:00Z");
    expect(answer.oncall).toEqual([]);
    expect(answer.warning).toMatch(/nobody is on call/);
  });

  it("answers every team in one response without a team", async () => {
    const { t } = await setup();
    await storeWeeks(t, "alpha", "primary", "2027-01-12", ["ben"]);
    const answer = await who(t, "at=2027-01-14T12:00:00Z");
    expect(answer.teams.map((x: { team: string }) => x.team)).toEqual(["alpha", "bravo", "gamma", "sun"]);
    expect(answer.teams[0].oncall[0].member.id).toBe("ben");
  });

  it("defaults at to now", async () => {
    const { t } = await setup("2027-01-13T00:00:00Z");
    await storeWeeks(t, "alpha", "primary", "2027-01-12", ["cat"]);
    const answer = await who(t, "team=alpha");
    expect(answer.at).toBe("2027-01-13T00:00:00Z");
    expect(answer.oncall[0].member.id).toBe("cat");
  });

  it("404 problem for an unknown team and 400 naming at for an unparseable instant", async () => {
    const { t } = await setup();
    const unknown = await t.request("GET", "/api/v1/oncall?team=ghost");
    expect(unknown.status).toBe(404);
    expect(unknown.headers.get("content-type")).toBe("application/problem+json");
    for (const bad of ["yesterday", "2027-01-14", "2027-01-14T12:00:00", "2027-13-01T00:00:00Z"]) {
      const res = await t.request("GET", `/api/v1/oncall?team=alpha&at=${bad}`);
      expect(res.status, bad).toBe(400);
      expect((await res.json()).errors[0].path).toBe("at");
    }
  });
});

describe("follow-the-sun lookups", () => {
  it("names each region inside its window, both in an overlap, and the closing region inside a gap", async () => {
    const { t } = await setup("2027-07-01T00:00:00Z");
    await storeWeeks(t, "sun", "apac", "2027-07-06", ["sia"]);
    await storeWeeks(t, "sun", "emea", "2027-07-06", ["lea"]);
    await storeWeeks(t, "sun", "amer", "2027-07-06", ["amy"]);
    const ids = async (at: string) => (await who(t, `team=sun&at=${at}`)).oncall.map((o: { member: { id: string } }) => o.member.id);
    // July: Singapore 00–08Z, London (BST) 07–15Z, Los Angeles (PDT) 15–23Z.
    expect(await ids("2027-07-08T03:00:00Z")).toEqual(["sia"]);
    expect(await ids("2027-07-08T07:30:00Z")).toEqual(["sia", "lea"]);
    expect(await ids("2027-07-08T12:00:00Z")).toEqual(["lea"]);
    expect(await ids("2027-07-08T18:00:00Z")).toEqual(["amy"]);
    // 23–24Z is nobody's window: the region that just ended (Americas) holds it.
    const gap = await who(t, "team=sun&at=2027-07-08T23:30:00Z");
    expect(gap.oncall.map((o: { member: { id: string } }) => o.member.id)).toEqual(["amy"]);
    expect(gap.oncall[0].end).toBe("2027-07-09T00:00:00Z");
  });
});

describe("history", () => {
  it("answers a past instant with what was in force then, after a re-plan changed that week", async () => {
    const { t, clock } = await setup("2027-01-05T09:00:00Z");
    await storeWeeks(t, "alpha", "primary", "2027-01-12", ["ana", "ben", "cat"]);
    clock.set("2027-01-20T12:00:00Z");
    await storeWeeks(t, "alpha", "primary", "2027-01-19", ["dan"]);
    expect((await who(t, "team=alpha&at=2027-01-19T18:00:00Z")).oncall[0].member.id).toBe("ben");
    expect((await who(t, "team=alpha&at=2027-01-20T18:00:00Z")).oncall[0].member.id).toBe("dan");
    expect((await who(t, "team=alpha&at=2027-01-15T18:00:00Z")).oncall[0].member.id).toBe("ana");
  });

  it("answers a past instant without an override recorded after it, and with it once it was in force", async () => {
    const { t, clock } = await setup("2027-01-05T09:00:00Z");
    await storeWeeks(t, "alpha", "primary", "2027-01-12", ["ana", "ben"]);
    clock.set("2027-01-14T00:00:00Z");
    await storeOverride(t, { team: "alpha", rotation: "primary", start: "2027-01-13T00:00:00Z", end: "2027-01-15T00:00:00Z", member: "cat", replacedMember: "ana", source: "override" });
    expect((await who(t, "team=alpha&at=2027-01-13T12:00:00Z")).oncall[0].member.id).toBe("ana");
    const during = await who(t, "team=alpha&at=2027-01-14T12:00:00Z");
    expect(during.oncall[0]).toMatchObject({ member: { id: "cat" }, source: "override", start: "2027-01-13T00:00:00Z", end: "2027-01-15T00:00:00Z" });
    expect(during.nextHandoff).toBe("2027-01-15T00:00:00Z");
  });

  it("lets a swap or an admin's override beat a holiday cover stored after it", async () => {
    const { t } = await setup();
    await storeWeeks(t, "alpha", "primary", "2027-01-12", ["ana"]);
    const window = { team: "alpha", rotation: "primary", start: "2027-01-13T00:00:00Z", end: "2027-01-14T00:00:00Z" };
    await storeOverride(t, { ...window, member: "ben", replacedMember: "ana", source: "swap" });
    await storeOverride(t, { ...window, member: "cat", replacedMember: "ana", source: "holiday-cover" });
    expect((await who(t, "team=alpha&at=2027-01-13T12:00:00Z")).oncall[0]).toMatchObject({ member: { id: "ben" }, source: "swap" });
  });

  it("reads the past with the team as it was configured then, and names members and teams retired since", async () => {
    const { t, clock } = await setup("2027-01-05T09:00:00Z");
    await storeWeeks(t, "alpha", "primary", "2027-01-12", ["ana", "ben", "cat"]);
    clock.set("2027-01-21T00:00:00Z");
    // Alpha becomes a 09:00–17:00 window, ana leaves, and bravo is retired.
    const changed = org();
    changed.members = changed.members.filter((m) => m.id !== "ana");
    changed.teams = changed.teams.filter((x) => x.id !== "bravo" && x.id !== "gamma");
    changed.teams[0]!.rotations[0]!.members = ["ben", "cat", "dan"];
    changed.teams[0]!.rotations[0]!.window = { start: "09:00", end: "17:00" };
    changed.teams[0]!.escalation.levels = changed.teams[0]!.escalation.levels.slice(0, 3);
    await t.importOrg(changed);
    // 03:00 on the 20th was inside ben's whole-day week, before the window existed.
    const night = await who(t, "team=alpha&at=2027-01-20T03:00:00Z");
    expect(night.oncall.map((o: { member: { id: string } }) => o.member.id)).toEqual(["ben"]);
    expect(night.escalation).toHaveLength(4);
    const before = await who(t, "team=alpha&at=2027-01-13T12:00:00Z");
    expect(before.oncall[0].member).toMatchObject({ id: "ana", name: "Ana", email: "ana@example.com" });
    const retiredTeam = await t.request("GET", "/api/v1/oncall?team=bravo&at=2027-01-13T12:00:00Z");
    expect(retiredTeam.status).toBe(200);
    expect((await t.request("GET", "/api/v1/oncall?team=bravo")).status).toBe(404);
  });

  it("follows a write at once: the index is dropped when the schedule changes", async () => {
    const { t } = await setup();
    await storeWeeks(t, "alpha", "primary", "2027-01-12", ["ana"]);
    expect((await who(t, "team=alpha")).oncall[0].member.id).toBe("ana");
    await storeOverride(t, { team: "alpha", rotation: "primary", start: "2027-01-12T11:00:00Z", end: "2027-01-12T13:00:00Z", member: "dan", replacedMember: "ana", source: "swap" });
    expect((await who(t, "team=alpha")).oncall[0]).toMatchObject({ member: { id: "dan" }, source: "swap" });
  });
});

describe("writes from another process", () => {
  it("are seen by a running server at once: the CLI applies, the server's lookup follows", async () => {
    const { t } = await setup();
    expect((await who(t, "team=alpha")).oncall).toEqual([]);
    const code = await runCli(["apply", "--team", "alpha", "--weeks", "2", "--from", "2027-01-12"], {
      env: { BATON_DB: t.path, BATON_LOG_LEVEL: "silent", ...backendEnv },
      stdout: () => {},
      stderr: () => {},
      clock: t.clock,
    });
    expect(code).toBe(0);
    // SQLite is looked at every OUTSIDE_WRITE_CHECK_MS; PostgreSQL's NOTIFY arrives on its own connection.
    await expect.poll(async () => (await who(t, "team=alpha")).oncall, { timeout: 2_000, interval: OUTSIDE_WRITE_CHECK_MS }).toHaveLength(1);
  });
});

describe("the lookup's fast path", () => {
  it("answers with the same request bookkeeping as every other route", async () => {
    const { t } = await setup();
    await storeWeeks(t, "alpha", "primary", "2027-01-12", ["ana"]);
    await who(t, "team=alpha"); // holds the answer and the token's owner
    const answered = fetchNow(t, ADMIN_TOKEN, { "x-request-id": "page-4711" });
    // A Response, not a promise: the fast path answered, not the app behind it.
    expect(answered).toBeInstanceOf(Response);
    const res = answered as Response;
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/^application\/json/);
    expect(res.headers.get("x-request-id")).toBe("page-4711");
    // Its line is made once the turn's answers are out.
    expect(t.logs.map((line) => line.requestId)).not.toContain("page-4711");
    await afterTurn();
    const line = t.logs.at(-1)!;
    expect(line).toMatchObject({ requestId: "page-4711", method: "GET", path: "/api/v1/oncall", route: "/api/v1/oncall", status: 200, msg: "request" });
    expect(line.durationMs).toEqual(expect.any(Number));
    // The same fields as the line of a request the app answers.
    await t.request("GET", "/api/v1/oncall?team=nobody");
    expect(Object.keys(line).sort()).toEqual(Object.keys(t.logs.at(-1)!).sort());
    const again = await (await t.request("GET", "/api/v1/oncall?team=alpha&at=2027-01-12T12:30:00Z")).json();
    expect(again).toMatchObject({ team: "alpha", at: "2027-01-12T12:30:00Z", oncall: [{ member: { id: "ana" } }] });
  });

  it("logs each lookup once and in order, turn after turn, and goes on after a write that failed", async () => {
    const { t } = await setup();
    await storeWeeks(t, "alpha", "primary", "2027-01-12", ["ana"]);
    await who(t, "team=alpha");
    const lookup = (id: string) => expect(fetchNow(t, ADMIN_TOKEN, { "x-request-id": id })).toBeInstanceOf(Response);
    const linesOf = (ids: string[]) => t.logs.map((line) => line.requestId).filter((id) => ids.includes(id as string));
    lookup("turn-1-a");
    lookup("turn-1-b");
    await afterTurn();
    lookup("turn-2-a");
    await afterTurn();
    expect(linesOf(["turn-1-a", "turn-1-b", "turn-2-a"])).toEqual(["turn-1-a", "turn-1-b", "turn-2-a"]);
    t.failNextLogWrite();
    lookup("lost");
    await afterTurn();
    lookup("after-a");
    lookup("after-b");
    await afterTurn();
    expect(linesOf(["lost", "after-a", "after-b"])).toEqual(["after-a", "after-b"]);
  });

  it("leaves what it does not answer to the app: HEAD, an unknown team, a bad instant", async () => {
    const { t } = await setup();
    await storeWeeks(t, "alpha", "primary", "2027-01-12", ["ana"]);
    const head = await t.request("HEAD", "/api/v1/oncall?team=alpha");
    expect(head.status).toBe(200);
    expect(await head.text()).toBe("");
    expect(t.logs.at(-1)).toMatchObject({ method: "HEAD", route: "/api/v1/oncall", status: 200 });
    expect((await t.request("GET", "/api/v1/oncall?team=nobody")).status).toBe(404);
    const bad = await t.request("GET", "/api/v1/oncall?team=alpha&at=yesterday");
    expect(bad.status).toBe(400);
    expect((await bad.json()).errors[0].path).toBe("at");
  });
});

describe("the lookup's synchronous answer", () => {
  it("answers a held lookup without a promise, and stops at once when a write drops it", async () => {
    const { t } = await setup();
    await storeWeeks(t, "alpha", "primary", "2027-01-12", ["ana"]);
    expect((await who(t, "team=alpha")).oncall[0].member.id).toBe("ana");
    const held = fetchNow(t, ADMIN_TOKEN);
    expect(held).toBeInstanceOf(Response);
    expect(await (held as Response).json()).toMatchObject({ team: "alpha", oncall: [{ member: { id: "ana" } }] });
    await afterTurn();
    expect(t.logs.at(-1)).toMatchObject({ route: "/api/v1/oncall", status: 200, requestId: (held as Response).headers.get("x-request-id") });
    await storeOverride(t, { team: "alpha", rotation: "primary", start: "2027-01-12T11:00:00Z", end: "2027-01-12T13:00:00Z", member: "dan", replacedMember: "ana", source: "swap" });
    const afterWrite = fetchNow(t, ADMIN_TOKEN);
    expect(afterWrite).toBeInstanceOf(Promise);
    expect(await (await afterWrite).json()).toMatchObject({ oncall: [{ member: { id: "dan" }, source: "swap" }] });
    expect(fetchNow(t, ADMIN_TOKEN)).toBeInstanceOf(Response);
  });

  it("refuses a member's token rotated a moment ago, though its owner and the answer were held", async () => {
    const { t } = await setup();
    await storeWeeks(t, "alpha", "primary", "2027-01-12", ["ana"]);
    const token = await t.memberToken("ben");
    expect((await t.request("GET", "/api/v1/oncall?team=alpha", { token })).status).toBe(200);
    expect(fetchNow(t, token)).toBeInstanceOf(Response);
    expect((await t.request("POST", "/api/v1/members/ben/token/rotate", { token })).status).toBe(200);
    const refused = await fetchNow(t, token);
    expect(refused.status).toBe(401);
    expect(refused.headers.get("www-authenticate")).toBe("Bearer");
  });
});

describe("lookup metrics", () => {
  it("counts lookups and records their latency", async () => {
    const { t } = await setup();
    await who(t, "team=alpha");
    await who(t, "");
    const text = await (await t.request("GET", "/metrics", { token: null })).text();
    expect(text).toContain('baton_oncall_lookups_total{scope="team"} 1');
    expect(text).toContain('baton_oncall_lookups_total{scope="all"} 1');
    expect(text).toMatch(/baton_oncall_lookup_duration_seconds_count\{scope="team"\} 1/);
  });

  it("counts the fast path's answers in the request series beside the app's", async () => {
    const { t } = await setup();
    await who(t, "team=alpha");
    const answered = fetchNow(t, ADMIN_TOKEN);
    expect(answered).toBeInstanceOf(Response);
    expect((await t.request("GET", "/api/v1/oncall?team=nobody")).status).toBe(404);
    const text = await (await t.request("GET", "/metrics", { token: null })).text();
    expect(text).toContain('baton_http_requests_total{method="GET",route="/api/v1/oncall",status="200"} 2');
    expect(text).toContain('baton_http_requests_total{method="GET",route="/api/v1/oncall",status="404"} 1');
    expect(text).toContain('baton_http_request_duration_seconds_count{method="GET",route="/api/v1/oncall"} 3');
  });
});
