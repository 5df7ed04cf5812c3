import { and, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { loadOrg } from "../../src/db/org-store";
import { activeOverrides, currentAssignments } from "../../src/db/schedule-store";
import { tablesOf } from "../../src/db/open";
import { memberLedger } from "../../src/domain/fairness";
import type { OrgFileInput } from "../../src/domain/org-file";
import { shiftId } from "../../src/domain/swaps";
import type { Clock } from "../../src/domain/time";
import type { HandoverEvent } from "../../src/domain/handover";
import type { SwapEvent } from "../../src/services/swaps";
import { WebhookQueue } from "../../src/services/webhook";
import { ADMIN_TOKEN, createTestApp, settableClock, type TestApp } from "../helpers/app";
import { member, team } from "../helpers/factories";
import { storeWeeks } from "../helpers/schedule";

const NOW = "2027-01-05T12:00:00Z";
const HOOK = "https://hooks.example/baton";

/**
 * Alpha's weeks run Tuesday 10:00 London from 2027-01-05: W0 ana (under way
 * at NOW), W1 ben, W2 ana, W3 cat, W4 ben. Bravo's run Tuesday 10:00 New York:
 * dan holds the week overlapping W1. Each member stands for one rule:
 * cat is off on 20–21 Jan (in W2), dan is on call in bravo during W1, eve is
 * in the US (Martin Luther King Day, 18 Jan, falls in W1), fay starts in March,
 * gus leaves on 24 Jan (in W2), hal is only in bravo, mal's name is markup.
 * Gamma lets its two daily windows cover for each other: ivy holds the early
 * one, joe the late one.
 */
function org(): OrgFileInput {
  return {
    version: 1,
    members: [
      member("ana"),
      member("ben"),
      member("cat"),
      member("dan"),
      member("eve", { timeZone: "America/New_York", country: "US", subdivision: "NY" }),
      member("fay", { startDate: "2027-03-01" }),
      member("gus", { endDate: "2027-01-24" }),
      member("hal", { timeZone: "America/New_York", country: "US", subdivision: "NY" }),
      member("mal", { name: 'Mal <script>alert("name")</script>' }),
      member("ivy"),
      member("joe"),
    ],
    teams: [
      team("alpha", ["ana", "ben", "cat", "dan", "eve", "fay", "gus", "mal"]),
      team("bravo", ["dan", "hal"], { timeZone: "America/New_York" }),
      team("gamma", [], {
        holidays: { cover: "other-rotations" },
        rotations: [
          { id: "early", name: "Early", window: { start: "06:00", end: "14:00" }, members: ["ivy"] },
          { id: "late", name: "Late", window: { start: "14:00", end: "22:00" }, members: ["joe"] },
        ],
      }),
    ],
    timeOff: [{ member: "cat", start: "2027-01-20", end: "2027-01-21" }],
  };
}

const W = (n: number) => ({
  start: new Date(Date.UTC(2027, 0, 5 + 7 * n, 10)).toISOString().replace(".000", ""),
  end: new Date(Date.UTC(2027, 0, 12 + 7 * n, 10)).toISOString().replace(".000", ""),
});
const at = (n: number, hours = 36) => new Date(Date.parse(W(n).start) + hours * 3_600_000).toISOString().replace(".000", "");

/** What the webhook receives: swap events, and the handovers a swap or a re-plan makes. */
type Delivered = SwapEvent | HandoverEvent;
type SwapTestApp = TestApp & { events: Delivered[]; token: (member: string) => Promise<string> };

/** createTestApp with a webhook whose deliveries are collected, over a new database or an existing file. */
async function swapApp(options: { clock?: Clock; path?: string; fetch?: typeof fetch } = {}): Promise<SwapTestApp> {
  const events: Delivered[] = [];
  const collect: typeof fetch = async (_url, init) => {
    events.push(JSON.parse(String(init?.body)));
    return new Response("ok");
  };
  const t = await createTestApp({
      clock: options.clock ?? settableClock(NOW),
      ...(options.path ? { path: options.path } : {}),
      env: { BATON_WEBHOOK_URL: HOOK },
      fetch: options.fetch ?? collect,
    });
  return { ...t, events, token: t.memberToken };
}

async function scenario(options: { clock?: Clock; fetch?: typeof fetch } = {}) {
  const t = await swapApp(options);
  await t.importOrgLongAgo(org());
  await storeWeeks(t, "alpha", "primary", "2027-01-05", ["ana", "ben", "ana", "cat", "ben", "dan", "eve", "ana"]);
  await storeWeeks(t, "bravo", "primary", "2027-01-05", ["hal", "dan", "hal", "hal", "dan", "hal", "dan", "hal"]);
  await storeWeeks(t, "gamma", "early", "2027-01-05", ["ivy", "ivy", "ivy"]);
  await storeWeeks(t, "gamma", "late", "2027-01-05", ["joe", "joe", "joe"]);
  // What the import long ago announced is not what these tests look at.
  if (!options.fetch) {
    await t.app.webhook.idle();
    t.events.length = 0;
  }
  return t;
}

const ask = async (t: SwapTestApp, member: string, body: Record<string, unknown>) => t.request("POST", "/api/v1/swaps", { token: await t.token(member), body });
const cover = (n: number) => ({ shift: { team: "alpha", rotation: "primary", ...W(n) }, type: "cover" });
const act = async (t: SwapTestApp, member: string | null, id: number, action: string, body?: unknown) =>
  t.request("POST", `/api/v1/swaps/${id}/${action}`, { token: member === null ? ADMIN_TOKEN : await t.token(member), body });
const oncallAt = async (t: SwapTestApp, instant: string) =>
  (await (await t.request("GET", `/api/v1/oncall?team=alpha&at=${instant}`)).json()).oncall.map((o: { member: { id: string } }) => o.member.id);
const auditOf = async (t: SwapTestApp, id: number) =>
  (await t.db.select().from(tablesOf(t.db).auditLog).where(eq(tablesOf(t.db).auditLog.entityId, String(id))).orderBy(tablesOf(t.db).auditLog.id)).filter((e) => e.entity === "swap");

/**
 * The webhook events a swap sends. The hand-written weeks above are not the
 * planner's own, so the re-plan that follows an accept (it plans the cover's
 * payback) may move some of them and announce those handovers too.
 */
const swapEvents = (t: SwapTestApp) => t.events.filter((e) => e.event !== "oncall.handover" || e.source === "swap");

async function opened(t: SwapTestApp, member: string, body: Record<string, unknown>): Promise<number> {
  const res = await ask(t, member, body);
  expect(res.status, await res.clone().text()).toBe(201);
  return (await res.json()).id;
}

describe("opening a swap request", () => {
  it("a member asks for cover of their own coming week; the request is open, audited and announced", async () => {
    const t = await scenario();
    const res = await ask(t, "ben", { ...cover(1), note: "school play" });
    expect(res.status).toBe(201);
    const body = await res.json();
    expect(body).toMatchObject({
      status: "open",
      type: "cover",
      team: "alpha",
      rotation: "primary",
      ...W(1),
      requester: { id: "ben", name: "Ben" },
      to: null,
      offered: null,
      note: "school play",
      taker: null,
      createdAt: NOW,
      url: `https://baton.test/swaps/${body.id}`,
    });
    expect(await auditOf(t, body.id)).toEqual([expect.objectContaining({ action: "swap.open", actor: "member:ben" })]);
    await t.app.webhook.idle();
    expect(t.events).toEqual([expect.objectContaining({ event: "swap.opened", swap: expect.objectContaining({ id: body.id }) })]);
    expect(t.events[0]!.text).toMatch(/^Ben asks for cover: Alpha · Primary, Tue 12 Jan 2027, 10:00 GMT to Tue 19 Jan 2027, 10:00 GMT\. Note: “school play” <https:\/\/baton\.test\/swaps\/\d+\|Request #\d+>$/);
  });

  it("accepts the shift as an id, the form /me links to", async () => {
    const t = await scenario();
    const res = await ask(t, "ben", { shift: shiftId({ team: "alpha", rotation: "primary", ...W(1) }), type: "cover" });
    expect(res.status).toBe(201);
    expect(await res.json()).toMatchObject(W(1));
  });

  it("finds the team from the rotation when only one of the member's teams has it, and asks otherwise", async () => {
    const t = await scenario();
    expect((await ask(t, "ben", { shift: { rotation: "primary", ...W(1) }, type: "cover" })).status).toBe(201);
    const dan = await ask(t, "dan", { shift: { rotation: "primary", ...W(5) }, type: "cover" });
    expect(dan.status).toBe(400);
    expect((await dan.json()).errors).toEqual([{ path: "shift.team", message: "rotation primary exists in alpha, bravo; name the team" }]);
  });

  it.each([
    ["no body fields", {}, [{ path: "shift", message: expect.stringMatching(/^must be \{rotation, start, end\}/) }, { path: "type", message: expect.any(String) }]],
    ["a shift id that is not one", { ...cover(1), shift: "next tuesday" }, [{ path: "shift", message: expect.stringMatching(/or a shift id such as/) }]],
    ["a start without an offset", { ...cover(1), shift: { team: "alpha", rotation: "primary", start: "2027-01-12T10:00", end: W(1).end } }, [{ path: "shift.start", message: expect.stringMatching(/^must be an ISO 8601 instant/) }]],
    ["an end before the start", { ...cover(1), shift: { team: "alpha", rotation: "primary", start: W(1).end, end: W(1).start } }, [{ path: "shift.end", message: "must be after the start" }]],
    ["an unknown type", { ...cover(1), type: "swap" }, [{ path: "type", message: "must be cover (someone takes it) or trade (you take one of theirs in return)" }]],
    ["an unknown key", { ...cover(1), urgent: true }, [{ path: "urgent", message: "unknown key" }]],
    ["an unknown team", { ...cover(1), shift: { ...cover(1).shift, team: "zulu" } }, [{ path: "shift.team", message: "unknown team zulu" }]],
    ["an unknown rotation", { ...cover(1), shift: { ...cover(1).shift, rotation: "night" } }, [{ path: "shift.rotation", message: "team alpha has no rotation night" }]],
    ["a note of a novel's length", { ...cover(1), note: "x".repeat(1001) }, [{ path: "note", message: "must be at most 1000 characters" }]],
    ["an unknown member asked", { ...cover(1), to: "zed" }, [{ path: "to", message: "unknown member zed" }]],
    ["asking oneself", { ...cover(1), to: "ben" }, [{ path: "to", message: "cannot be the member asking" }]],
    ["a cover that wants a shift back", { ...cover(1), offered: { rotation: "primary", ...W(2) } }, [{ path: "offered", message: "only a trade names a shift in return" }]],
    ["time already begun", { ...cover(1), shift: { ...cover(1).shift, start: "2027-01-05T11:00:00Z" } }, [{ path: "shift.start", message: "has already begun; a swap can only be for time still to come" }]],
    ["two weeks with two holders", { ...cover(1), shift: { ...cover(1).shift, end: W(2).end } }, [{ path: "shift", message: `Ben is not on call for all of it: Ana is from ${W(2).start}` }]],
  ])("refuses %s with 400 and the field named", async (_, body, errors) => {
    const t = await scenario();
    const res = await ask(t, "ben", body);
    expect(res.status).toBe(400);
    expect(res.headers.get("content-type")).toBe("application/problem+json");
    expect((await res.json()).errors).toEqual(errors);
    expect((await (await t.request("GET", "/api/v1/swaps")).json()).swaps).toEqual([]);
  });

  it("lets only the member on call ask: 403 for someone else's week", async () => {
    const t = await scenario();
    const res = await ask(t, "ana", cover(1));
    expect(res.status).toBe(403);
    expect((await res.json()).detail).toBe("Ben is on call on Alpha · Primary then, not Ana; only the member on call may ask to swap it");
  });

  it("refuses a second open request for the same time", async () => {
    const t = await scenario();
    const first = await opened(t, "ben", cover(1));
    const res = await ask(t, "ben", { ...cover(1), shift: { ...cover(1).shift, start: at(1, 24), end: at(1, 48) } });
    expect(res.status).toBe(409);
    expect((await res.json()).detail).toBe(`Ben already asked for this time in request #${first}; cancel that one first`);
  });

  it("refuses to ask a named member the rules exclude, saying which rule, beside the field", async () => {
    const t = await scenario();
    const res = await ask(t, "ben", { ...cover(1), to: "dan" });
    expect(res.status).toBe(409);
    const body = await res.json();
    expect(body.detail).toMatch(/^Dan cannot take this shift: Dan is already on call for Bravo · Primary from /);
    expect(body.errors).toEqual([{ path: "to", message: body.detail }]);
  });

  it("needs a token: 401", async () => {
    const t = await scenario();
    expect((await t.request("POST", "/api/v1/swaps", { token: null, body: cover(1) })).status).toBe(401);
  });

  it("lets an admin ask on a member's behalf, recorded as such, and no member act for another", async () => {
    const t = await scenario();
    const res = await t.request("POST", "/api/v1/swaps", { body: { ...cover(1), asMember: "ben" } });
    expect(res.status).toBe(201);
    const id = (await res.json()).id;
    expect((await auditOf(t, id))).toEqual([expect.objectContaining({ action: "swap.open", actor: "admin", after: expect.objectContaining({ onBehalfOf: "ben", requester: "ben" }) })]);
    const missing = await t.request("POST", "/api/v1/swaps", { body: cover(1) });
    expect(missing.status).toBe(400);
    expect((await missing.json()).errors).toEqual([{ path: "asMember", message: "an admin must name the member they act for" }]);
    const impostor = await ask(t, "ana", { ...cover(1), asMember: "ben" });
    expect(impostor.status).toBe(403);
    expect((await impostor.json()).detail).toBe("only an admin may act on another member's behalf");
  });
});

describe("eligibility, shown before anyone accepts", () => {
  it("lists every possible taker with the rule that stops them and the warnings that do not", async () => {
    const t = await scenario();
    const id = await opened(t, "ben", cover(1));
    const res = await t.request("GET", `/api/v1/swaps/${id}`, { token: await t.token("cat") });
    expect(res.status).toBe(200);
    const body = await res.json();
    expect(body.minutes).toBe(7 * 24 * 60);
    const by = Object.fromEntries(body.eligibility.map((e: { member: string }) => [e.member, e]));
    expect(Object.keys(by)).toEqual(["ana", "cat", "dan", "eve", "fay", "gus", "mal"]);
    expect(by.ana).toEqual({
      member: "ana",
      eligible: true,
      refusals: [],
      warnings: [
        "back-to-back: Ana is also on call the week before (from Tue 5 Jan 2027, 10:00 GMT)",
        "back-to-back: Ana is also on call the week after (from Tue 19 Jan 2027, 10:00 GMT)",
      ],
    });
    expect(by.cat).toEqual({ member: "cat", eligible: true, refusals: [], warnings: [] });
    expect(by.dan).toMatchObject({ eligible: false, refusals: [{ rule: "on-call-elsewhere", message: expect.stringMatching(/^Dan is already on call for Bravo · Primary from Tue 12 Jan 2027, 15:00 GMT to Tue 19 Jan 2027, 15:00 GMT$/) }] });
    expect(by.eve).toMatchObject({ eligible: true, warnings: ["2027-01-18 is a public holiday for Eve (Martin Luther King Jr. Day)"] });
    expect(by.fay).toMatchObject({ eligible: false, refusals: [{ rule: "employment", message: "Fay starts on 2027-03-01, after this shift begins" }] });
    expect(by.gus).toMatchObject({ eligible: true });
  });
});

describe("eligibility under holiday policy block", () => {
  it("refuses a taker whose public holiday the shift touches, as the planner and holiday covers would", async () => {
    const t = await swapApp();
    const blocking = org();
    blocking.teams = blocking.teams.map((x) => (x.id === "alpha" ? { ...x, holidays: { policy: "block" as const } } : x));
    await t.importOrgLongAgo(blocking);
    await storeWeeks(t, "alpha", "primary", "2027-01-05", ["ana", "ben", "ana", "cat"]);
    const id = await opened(t, "ben", cover(1));
    const body = await (await t.request("GET", `/api/v1/swaps/${id}`, { token: await t.token("eve") })).json();
    const eve = body.eligibility.find((e: { member: string }) => e.member === "eve");
    expect(eve).toMatchObject({
      eligible: false,
      refusals: [{ rule: "holiday", message: "2027-01-18 is a public holiday for Eve (Martin Luther King Jr. Day), and Alpha does not schedule anyone on their public holidays" }],
      warnings: [],
    });
  });
});

describe("accepting", () => {
  it("turns the request into a swap override at once: the lookup names the taker, the audit and webhook record it", async () => {
    const t = await scenario();
    const id = await opened(t, "ben", cover(1));
    expect(await oncallAt(t, at(1))).toEqual(["ben"]);
    const res = await act(t, "cat", id, "accept");
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ id, status: "accepted", taker: { id: "cat", name: "Cat" }, decidedBy: "member:cat", decidedAt: NOW });
    expect(await oncallAt(t, at(1))).toEqual(["cat"]);
    const lookup = await (await t.request("GET", `/api/v1/oncall?team=alpha&at=${at(1)}`)).json();
    expect(lookup.oncall[0]).toMatchObject({ source: "swap", ...W(1) });
    const rows = (await t.db.select().from(tablesOf(t.db).overrides).where(eq(tablesOf(t.db).overrides.swapId, id)));
    expect(rows).toEqual([expect.objectContaining({ memberId: "cat", replacedMemberId: "ben", source: "swap", ...W(1), createdBy: "member:cat" })]);
    expect((await auditOf(t, id)).map((e) => e.action)).toEqual(["swap.open", "swap.accept"]);
    // The swap's override is audited once; the plan's holiday covers are audited as their own overrides.
    expect((await t.db.select().from(tablesOf(t.db).auditLog).where(and(eq(tablesOf(t.db).auditLog.action, "override.create"), eq(tablesOf(t.db).auditLog.entityId, String(rows[0]!.id)))))).toHaveLength(1);
    await t.app.webhook.idle();
    const events = swapEvents(t);
    expect(events.map((e) => e.event)).toEqual(["swap.opened", "oncall.handover", "swap.accepted"]);
    expect(events[1]).toMatchObject({ team: "alpha", rotation: "primary", ...W(1), from: "ben", to: "cat", source: "swap" });
    expect(events[2]!.text).toMatch(/^Cat covers Ben: Alpha · Primary, /);
  });

  it("a part of a shift moves only that part", async () => {
    const t = await scenario();
    const id = await opened(t, "ben", { ...cover(1), shift: { team: "alpha", rotation: "primary", start: at(1, 24), end: at(1, 48) } });
    expect((await act(t, "gus", id, "accept")).status).toBe(200);
    expect(await oncallAt(t, at(1, 12))).toEqual(["ben"]);
    expect(await oncallAt(t, at(1, 36))).toEqual(["gus"]);
    expect(await oncallAt(t, at(1, 60))).toEqual(["ben"]);
    expect((await (await t.request("GET", `/api/v1/swaps/${id}`)).json()).minutes).toBe(24 * 60);
  });

  it.each([
    ["a member outside the rotation", "hal", 1, 403, /^Hal cannot take this shift: Hal is not in the Alpha · Primary rotation; /],
    ["a member on call in another team then", "dan", 1, 409, /^Dan cannot take this shift: Dan is already on call for Bravo · Primary from /],
    ["a member who has not started yet", "fay", 1, 409, "Fay cannot take this shift: Fay starts on 2027-03-01, after this shift begins"],
    ["a member on time off", "cat", 2, 409, "Cat cannot take this shift: Cat is on time off on 2027-01-20, 2027-01-21"],
    ["a member who has left by then", "gus", 2, 409, "Gus cannot take this shift: Gus leaves on 2027-01-24, before this shift ends"],
  ])("refuses %s, naming the rule", async (_, taker, week, status, detail) => {
    const t = await scenario();
    const owner = week === 1 ? "ben" : "ana";
    const id = await opened(t, owner, cover(week));
    const res = await act(t, taker, id, "accept");
    expect(res.status).toBe(status);
    expect((await res.json()).detail).toEqual(typeof detail === "string" ? detail : expect.stringMatching(detail));
    expect((await (await t.request("GET", `/api/v1/swaps/${id}`)).json()).status).toBe("open");
    expect(await oncallAt(t, at(week))).toEqual([owner]);
  });

  it("lets a member of another rotation cover when the team allows it, counting only the windows", async () => {
    const t = await scenario();
    const week = { team: "gamma", rotation: "early", start: "2027-01-12T06:00:00Z", end: "2027-01-19T06:00:00Z" };
    const id = await opened(t, "ivy", { shift: week, type: "cover" });
    const detail = await (await t.request("GET", `/api/v1/swaps/${id}`)).json();
    expect(detail.minutes).toBe(7 * 8 * 60);
    expect(detail.eligibility).toEqual([{ member: "joe", eligible: true, refusals: [], warnings: [] }]);
    expect((await act(t, "joe", id, "accept")).status).toBe(200);
    const early = await (await t.request("GET", "/api/v1/oncall?team=gamma&at=2027-01-13T08:00:00Z")).json();
    expect(early.oncall.map((o: { rotation: string; member: { id: string } }) => [o.rotation, o.member.id])).toEqual([["early", "joe"]]);
  });

  it("leaves the fairness ledger the hours covered and given away", async () => {
    const t = await scenario();
    const id = await opened(t, "ben", { ...cover(1), shift: { team: "alpha", rotation: "primary", start: at(1, 24), end: at(1, 72) } });
    expect((await act(t, "cat", id, "accept")).status).toBe(200);
    const org = await loadOrg(t.db);
    const ledger = memberLedger({
      team: org.teams.find((x) => x.id === "alpha")!,
      members: org.members,
      timeOff: org.timeOff,
      assignments: await currentAssignments(t.db, "alpha"),
      overrides: await activeOverrides(t.db, "alpha"),
    });
    expect(ledger.get("cat")).toMatchObject({ coveredHours: 48, givenAwayHours: 0 });
    expect(ledger.get("ben")).toMatchObject({ coveredHours: 0, givenAwayHours: 48 });
  });

  it("refuses the requester taking their own request", async () => {
    const t = await scenario();
    const id = await opened(t, "ben", cover(1));
    const res = await act(t, "ben", id, "accept");
    expect(res.status).toBe(403);
    expect((await res.json()).detail).toBe("Ben asked for this swap and cannot accept it");
  });

  it("a request to a named member is theirs alone to take", async () => {
    const t = await scenario();
    const id = await opened(t, "ben", { ...cover(1), to: "gus" });
    const other = await act(t, "cat", id, "accept");
    expect(other.status).toBe(403);
    expect((await other.json()).detail).toBe(`request #${id} was made to Gus only`);
    expect((await act(t, "gus", id, "accept")).status).toBe(200);
  });

  it("is 409 once the request is no longer open, whatever closed it", async () => {
    const t = await scenario();
    const taken = await opened(t, "ben", cover(1));
    expect((await act(t, "cat", taken, "accept")).status).toBe(200);
    const again = await act(t, "gus", taken, "accept");
    expect(again.status).toBe(409);
    expect((await again.json()).detail).toBe(`request #${taken} has already been accepted; it is no longer open`);
    const withdrawn = await opened(t, "ana", cover(2));
    expect((await act(t, "ana", withdrawn, "cancel")).status).toBe(200);
    const late = await act(t, "ben", withdrawn, "accept");
    expect(late.status).toBe(409);
    expect((await late.json()).detail).toBe(`request #${withdrawn} was cancelled; it is no longer open`);
  });

  it("lets an admin accept on a member's behalf, recorded as such", async () => {
    const t = await scenario();
    const id = await opened(t, "ben", cover(1));
    const missing = await act(t, null, id, "accept");
    expect(missing.status).toBe(400);
    expect((await missing.json()).errors).toEqual([{ path: "asMember", message: "an admin must name the member they act for" }]);
    const res = await act(t, null, id, "accept", { asMember: "cat" });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ taker: { id: "cat" }, decidedBy: "admin for cat" });
    expect((await auditOf(t, id)).at(-1)).toMatchObject({ action: "swap.accept", actor: "admin", after: expect.objectContaining({ onBehalfOf: "cat" }) });
    expect(await oncallAt(t, at(1))).toEqual(["cat"]);
  });

  it("a request whose week was re-planned since cannot be accepted", async () => {
    const t = await scenario();
    const id = await opened(t, "ben", cover(1));
    await storeWeeks(t, "alpha", "primary", "2027-01-12", ["gus"]);
    const res = await act(t, "cat", id, "accept");
    expect(res.status).toBe(409);
    expect((await res.json()).detail).toMatch(/^Ben is no longer on call for all of request #\d+ \(the schedule changed since it was made\)/);
  });
});

describe("trades", () => {
  it("the taker offers one of their own weeks when accepting: two overrides, one each way", async () => {
    const t = await scenario();
    const id = await opened(t, "ben", { ...cover(1), type: "trade" });
    const missing = await act(t, "cat", id, "accept");
    expect(missing.status).toBe(400);
    expect((await missing.json()).errors).toEqual([{ path: "offered", message: "a trade needs the shift you give in return" }]);
    const res = await act(t, "cat", id, "accept", { offered: { rotation: "primary", ...W(3) } });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ status: "accepted", taker: { id: "cat" }, offered: { rotation: "primary", ...W(3) } });
    expect(await oncallAt(t, at(1))).toEqual(["cat"]);
    expect(await oncallAt(t, at(3))).toEqual(["ben"]);
    const rows = (await t.db.select().from(tablesOf(t.db).overrides).where(eq(tablesOf(t.db).overrides.swapId, id)));
    expect(rows.map((r) => [r.memberId, r.replacedMemberId, r.start])).toEqual([
      ["cat", "ben", W(1).start],
      ["ben", "cat", W(3).start],
    ]);
    await t.app.webhook.idle();
    expect(t.events.at(-1)!.text).toMatch(/^Cat and Ben traded: Cat takes Alpha · Primary, Tue 12 Jan .*; Ben takes Alpha · Primary, Tue 26 Jan /);
  });

  it("the requester may name the week they want back, which names whom they ask", async () => {
    const t = await scenario();
    const res = await ask(t, "ben", { ...cover(1), type: "trade", offered: { rotation: "primary", ...W(3) } });
    expect(res.status).toBe(201);
    const body = await res.json();
    expect(body.to).toEqual({ id: "cat", name: "Cat" });
    expect((await act(t, "gus", body.id, "accept")).status).toBe(403);
    const extra = await act(t, "cat", body.id, "accept", { offered: { rotation: "primary", ...W(3) } });
    expect(extra.status).toBe(400);
    expect((await extra.json()).errors).toEqual([{ path: "offered", message: "Ben already named the shift in return" }]);
    expect((await act(t, "cat", body.id, "accept")).status).toBe(200);
    expect(await oncallAt(t, at(3))).toEqual(["ben"]);
  });

  it.each([
    ["a week overlapping the one given away", { rotation: "primary", start: at(1, 24), end: W(2).end }, "overlaps the shift being given away"],
    ["the requester's own week", { rotation: "primary", ...W(4) }, "is the asking member's own shift; name a shift of the member you trade with"],
    ["someone else's week than the member asked", { rotation: "primary", ...W(2) }, "Cat is not on call then; Ana is"],
  ])("refuses to offer %s", async (_, offered, message) => {
    const t = await scenario();
    const res = await ask(t, "ben", { ...cover(1), type: "trade", to: "cat", offered });
    expect(res.status).toBe(400);
    expect((await res.json()).errors).toEqual([{ path: "offered", message }]);
  });

  it("refuses a trade whose return week the requester could not take, naming the rule", async () => {
    const t = await scenario();
    const res = await ask(t, "cat", { ...cover(3), type: "trade", offered: { rotation: "primary", ...W(2) } });
    expect(res.status).toBe(409);
    expect((await res.json()).detail).toBe("Cat cannot take that shift in return: Cat is on time off on 2027-01-20, 2027-01-21");
  });
});

describe("declining and cancelling", () => {
  it("the named member declines; only once, and only them", async () => {
    const t = await scenario();
    const id = await opened(t, "ben", { ...cover(1), to: "cat" });
    expect((await act(t, "gus", id, "decline")).status).toBe(403);
    const res = await act(t, "cat", id, "decline");
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ status: "declined", decidedBy: "member:cat", taker: null });
    expect((await act(t, "cat", id, "decline")).status).toBe(409);
    expect((await act(t, "cat", id, "accept")).status).toBe(409);
    expect(await oncallAt(t, at(1))).toEqual(["ben"]);
    await t.app.webhook.idle();
    expect(t.events.at(-1)).toMatchObject({ event: "swap.declined", text: expect.stringMatching(/^Cat declined Ben's request: /) });
  });

  it("a request open to everyone cannot be declined", async () => {
    const t = await scenario();
    const id = await opened(t, "ben", cover(1));
    const res = await act(t, "cat", id, "decline");
    expect(res.status).toBe(409);
    expect((await res.json()).detail).toMatch(/is open to everyone eligible, so there is nobody to decline it/);
  });

  it("only the owner cancels, an admin for them, and a cancelled request stays cancelled", async () => {
    const t = await scenario();
    const id = await opened(t, "ben", cover(1));
    const other = await act(t, "cat", id, "cancel");
    expect(other.status).toBe(403);
    expect((await other.json()).detail).toBe(`only Ben, who asked, may cancel request #${id}`);
    const res = await act(t, null, id, "cancel");
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ status: "cancelled", decidedBy: "admin for ben" });
    expect((await act(t, "ben", id, "cancel")).status).toBe(409);
    expect((await auditOf(t, id)).map((e) => [e.action, e.actor])).toEqual([
      ["swap.open", "member:ben"],
      ["swap.cancel", "admin"],
    ]);
  });

  it("answers 404 for a request that does not exist", async () => {
    const t = await scenario();
    expect((await act(t, "cat", 999, "accept")).status).toBe(404);
    expect((await t.request("GET", "/api/v1/swaps/999")).status).toBe(404);
  });
});

describe("expiry", () => {
  it("a request nobody took before it began reads as expired at once, without the read writing; the next write records it and the owner is told", async () => {
    const clock = settableClock(NOW);
    const t = await scenario({ clock });
    const id = await opened(t, "ben", cover(1));
    clock.set("2027-01-12T10:00:00Z");
    const list = await (await t.request("GET", "/api/v1/swaps?member=ben")).json();
    expect(list.swaps).toEqual([expect.objectContaining({ id, status: "expired", decidedBy: "admin:system", decidedAt: "2027-01-12T10:00:00Z" })]);
    expect((await (await t.request("GET", "/api/v1/swaps?status=open")).json()).swaps).toEqual([]);
    expect((await (await t.request("GET", `/api/v1/swaps/${id}`)).json()).status).toBe("expired");
    expect((await auditOf(t, id)).map((e) => e.action)).toEqual(["swap.open"]);
    const res = await act(t, "cat", id, "accept");
    expect(res.status).toBe(409);
    expect((await res.json()).detail).toBe(`request #${id} expired: its shift began before anyone took it; it is no longer open`);
    expect(await oncallAt(t, at(1))).toEqual(["ben"]);
    expect((await auditOf(t, id)).map((e) => [e.action, e.actor])).toEqual([
      ["swap.open", "member:ben"],
      ["swap.expire", "admin:system"],
    ]);
    await t.app.webhook.idle();
    expect(t.events.filter((e) => e.event === "swap.expired")).toEqual([
      expect.objectContaining({ text: expect.stringMatching(/^Nobody took Ben's request before it began: .* Ben stays on call\./) }),
    ]);
  });

  it("the server's sweep expires requests with nobody reading them", async () => {
    const clock = settableClock(NOW);
    const t = await scenario({ clock });
    const id = await opened(t, "ben", cover(1));
    clock.set("2027-01-12T09:59:59Z");
    await t.app.sweepSwaps();
    expect((await auditOf(t, id))).toHaveLength(1);
    clock.set("2027-01-12T10:00:00Z");
    await t.app.sweepSwaps();
    await t.app.sweepSwaps();
    expect((await auditOf(t, id)).map((e) => e.action)).toEqual(["swap.open", "swap.expire"]);
  });
});

describe("listing", () => {
  it("filters by member (asked, asked of, or took) and status", async () => {
    const t = await scenario();
    const a = await opened(t, "ben", cover(1));
    const b = await opened(t, "ana", { ...cover(2), to: "eve" });
    const c = await opened(t, "cat", cover(3));
    expect((await act(t, "ben", c, "accept")).status).toBe(200);
    const ids = async (query: string) => (await (await t.request("GET", `/api/v1/swaps?${query}`)).json()).swaps.map((s: { id: number }) => s.id);
    expect(await ids("")).toEqual([c, b, a]);
    expect(await ids("member=ben")).toEqual([c, a]);
    expect(await ids("member=eve")).toEqual([b]);
    expect(await ids("status=open")).toEqual([b, a]);
    expect(await ids("member=ben&status=accepted")).toEqual([c]);
    const bad = await t.request("GET", "/api/v1/swaps?status=pending");
    expect(bad.status).toBe(400);
    expect((await bad.json()).errors).toEqual([{ path: "status", message: expect.stringMatching(/open/) }]);
  });
});

describe("two accepts at once: exactly one wins", () => {
  const ROUNDS = 30;
  const takers = ["ana", "cat", "eve", "gus"];

  it(`through concurrent requests to one app, ${ROUNDS} times`, async () => {
    const t = await scenario();
    for (let round = 0; round < ROUNDS; round++) {
      const hour = { team: "alpha", rotation: "primary", start: at(1, round * 2), end: at(1, round * 2 + 1) };
      const id = await opened(t, "ben", { shift: hour, type: "cover" });
      const answers = await Promise.all(takers.map((taker) => act(t, taker, id, "accept")));
      const statuses = answers.map((r) => r.status).sort();
      expect(statuses).toEqual([200, 409, 409, 409]);
      const winner = takers[answers.findIndex((r) => r.status === 200)]!;
      expect((await t.db.select().from(tablesOf(t.db).overrides).where(eq(tablesOf(t.db).overrides.swapId, id))).map((o) => o.memberId)).toEqual([winner]);
      expect(await oncallAt(t, at(1, round * 2 + 0.5))).toEqual([winner]);
    }
  });

  it(`through two apps over one database file, ${ROUNDS} times`, async () => {
    const a = await scenario();
    const b = await swapApp({ path: a.path, clock: a.clock });
    for (let round = 0; round < ROUNDS; round++) {
      const hour = { team: "alpha", rotation: "primary", start: at(1, round * 2), end: at(1, round * 2 + 1) };
      const id = await opened(a, "ben", { shift: hour, type: "cover" });
      const answers = await Promise.all([act(a, "cat", id, "accept"), act(b, "gus", id, "accept"), act(a, "eve", id, "accept"), act(b, "ana", id, "accept")]);
      expect(answers.map((r) => r.status).sort()).toEqual([200, 409, 409, 409]);
      expect((await a.db.select().from(tablesOf(a.db).overrides).where(eq(tablesOf(a.db).overrides.swapId, id)))).toHaveLength(1);
      expect((await auditOf(a, id)).map((e) => e.action)).toEqual(["swap.open", "swap.accept"]);
    }
  });
});

describe("the webhook", () => {
  const event = (n: number) => ({ event: "swap.opened", n, text: `event ${n}` });

  it("posts each event as JSON in order, without the sender waiting", async () => {
    const bodies: unknown[] = [];
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const queue = new WebhookQueue({
      url: HOOK,
      fetch: async (url, init) => {
        await gate;
        expect(url).toBe(HOOK);
        expect(new Headers(init?.headers).get("content-type")).toBe("application/json");
        bodies.push(JSON.parse(String(init?.body)));
        return new Response("ok");
      },
    });
    queue.send(event(1));
    queue.send(event(2));
    expect(bodies).toEqual([]);
    release();
    await queue.idle();
    expect(bodies).toEqual([event(1), event(2)]);
  });

  it("retries failures with backoff, and gives up on a refusal at once", async () => {
    const calls: number[] = [];
    const logs: Record<string, unknown>[] = [];
    const answers = [() => Promise.reject(new Error("connection refused")), () => new Response("busy", { status: 503 }), () => new Response("ok")];
    const queue = new WebhookQueue({ url: HOOK, backoffMs: [1, 1, 1], log: (l) => logs.push(l), fetch: async () => (calls.push(Date.now()), await answers[calls.length - 1]!()) });
    queue.send(event(1));
    await queue.idle();
    expect(calls).toHaveLength(3);

    const refused = new WebhookQueue({ url: HOOK, backoffMs: [1, 1, 1], log: (l) => logs.push(l), fetch: async () => new Response("no such hook", { status: 404 }) });
    refused.send(event(2));
    await refused.idle();
    expect(logs.at(-1)).toMatchObject({ level: "error", msg: "webhook delivery abandoned", attempts: 1, reason: "refused" });

    let tries = 0;
    const down = new WebhookQueue({ url: HOOK, backoffMs: [1, 1], log: (l) => logs.push(l), fetch: async () => (tries++, new Response("down", { status: 500 })) });
    down.send(event(3));
    await down.idle();
    expect(tries).toBe(3);
    expect(logs.at(-1)).toMatchObject({ msg: "webhook delivery abandoned", attempts: 3, reason: "retries exhausted" });
  });

  it("events that cannot be made (a failed lookup) are logged, never left an unhandled rejection, with a URL or without", async () => {
    const unhandled: unknown[] = [];
    const seen = (reason: unknown) => void unhandled.push(reason);
    process.on("unhandledRejection", seen);
    try {
      const logs: Record<string, unknown>[] = [];
      const queue = new WebhookQueue({ url: HOOK, log: (l) => logs.push(l), fetch: async () => new Response("ok") });
      let release!: (events: object[]) => void;
      // Earlier events still being made when the later lookup fails.
      queue.sendWhenMade(new Promise<object[]>((resolve) => (release = resolve)));
      queue.sendWhenMade(Promise.reject(new Error("database gone")));
      new WebhookQueue({}).sendWhenMade(Promise.reject(new Error("database gone")));
      await new Promise((resolve) => setTimeout(resolve, 10));
      release([event(1)]);
      await queue.idle();
      expect(unhandled).toEqual([]);
      expect(logs).toEqual([expect.objectContaining({ level: "error", msg: "could not make webhook events", error: "Error: database gone" })]);
    } finally {
      process.off("unhandledRejection", seen);
    }
  });

  it("a webhook that hangs does not hold up the API", async () => {
    const t = await scenario({ fetch: () => new Promise<Response>(() => {}) });
    const res = await ask(t, "ben", cover(1));
    expect(res.status).toBe(201);
    expect((await act(t, "cat", (await res.json()).id, "accept")).status).toBe(200);
  });

  it("escapes names and notes for Slack's markup", async () => {
    const t = await scenario();
    const id = await opened(t, "ben", { ...cover(1), note: "<!channel> & friends" });
    expect((await act(t, "mal", id, "accept")).status).toBe(200);
    await t.app.webhook.idle();
    const events = swapEvents(t);
    expect(events[0]!.text).toContain("Note: “&lt;!channel&gt; &amp; friends”");
    expect(events[1]!.text).toContain("Ben → Mal &lt;script&gt;alert(\"name\")&lt;/script&gt;");
    expect(events[2]!.text).toMatch(/^Mal &lt;script&gt;alert\("name"\)&lt;\/script&gt; covers Ben/);
    expect(events[2]).toMatchObject({ event: "swap.accepted", swap: { taker: { id: "mal", name: 'Mal <script>alert("name")</script>' } } });
  });
});

describe("the pages", () => {
  const ORIGIN = "http://localhost";

  async function signIn(t: SwapTestApp, member: string): Promise<string> {
    const res = await t.app.request(`/login/${await t.token(member)}`);
    expect(res.status).toBe(303);
    expect(res.headers.get("location")).toBe("/me");
    return res.headers.get("set-cookie")!.split(";")[0]!;
  }
  const get = (t: SwapTestApp, cookie: string | null, path: string) => t.app.request(path, { headers: cookie ? { cookie } : {} });
  const csrfOf = (html: string) => /name="_csrf" value="([^"]+)"/.exec(html)![1]!;
  const post = (t: SwapTestApp, cookie: string, path: string, fields: Record<string, string>, headers: Record<string, string> = { origin: ORIGIN }) =>
    t.app.request(path, {
      method: "POST",
      headers: { cookie, "content-type": "application/x-www-form-urlencoded", ...headers },
      body: new URLSearchParams(fields).toString(),
    });
  const W1 = shiftId({ team: "alpha", rotation: "primary", ...W(1) });

  /** Opens the form for ben's W1 and submits it with `fields` over the defaults. */
  async function submitForm(t: SwapTestApp, cookie: string, fields: Record<string, string>) {
    const form = await (await get(t, cookie, `/swaps/new?shift=${encodeURIComponent(W1)}`)).text();
    const value = (name: string) => new RegExp(`name="${name}" value="([^"]*)"`).exec(form)![1]!;
    return post(t, cookie, "/swaps/new", { _csrf: csrfOf(form), shift: value("shift"), start: value("start"), end: value("end"), type: "cover", to: "", offered: "", note: "", ...fields });
  }

  it("a personal link signs in with a signed, HttpOnly, SameSite=Lax cookie; a bad one does not", async () => {
    const t = await scenario();
    const res = await t.app.request(`/login/${await t.token("ben")}`);
    expect(res.status).toBe(303);
    const cookie = res.headers.get("set-cookie")!;
    expect(cookie).toMatch(/^baton_session=bt_s_[A-Za-z0-9_-]{43}\.[A-Za-z0-9%]+; Max-Age=2592000; Path=\/; HttpOnly; Secure; SameSite=Lax$/);
    const bad = await t.app.request("/login/bt_p_not-a-token");
    expect(bad.status).toBe(404);
    expect(bad.headers.get("set-cookie")).toBeNull();
    expect(await bad.text()).toContain("This sign-in link is not valid");
    expect(t.logs.map((l) => l.path)).toContain("/login/bt_p_…");
    expect(JSON.stringify(t.logs)).not.toContain(await t.token("ben"));
  });

  it("/me shows my shifts in my zone with a swap link on each, and my calendar links", async () => {
    const t = await scenario();
    const cookie = await signIn(t, "ben");
    const res = await get(t, cookie, "/me");
    expect(res.status).toBe(200);
    expect(res.headers.get("cache-control")).toBe("no-store");
    expect(res.headers.get("content-security-policy")).toContain("frame-ancestors 'none'");
    const html = await res.text();
    expect(html).toMatch(/^<!DOCTYPE html>/);
    expect(html).toContain("signed in as Ben");
    expect(html).toContain(`href="/swaps/new?shift=${encodeURIComponent(W1)}"`);
    expect(html).toContain("Tue 12 Jan 2027, 10:00 GMT");
    expect(html).toMatch(/href="webcal:\/\/baton\.test\/calendars\/bt_c_[A-Za-z0-9_-]+\.ics"/);
    expect(html).toMatch(/href="https:\/\/baton\.test\/calendars\/bt_c_[A-Za-z0-9_-]+\.ics"/);
  });

  it("/me lists requests waiting for me by name or for my rotation, with whether I may take them", async () => {
    const t = await scenario();
    await opened(t, "ben", { ...cover(1), note: "moving house" });
    await opened(t, "ana", { ...cover(2), to: "eve" });
    const cat = await (await get(t, await signIn(t, "cat"), "/me")).text();
    expect(cat).toContain("Ben asks for cover");
    expect(cat).toContain("moving house");
    expect(cat).not.toContain("Ana asks for cover");
    const eve = await (await get(t, await signIn(t, "eve"), "/me")).text();
    expect(eve).toContain("Ana asks for cover");
    expect(eve).toContain("(asked you by name)");
    const hal = await (await get(t, await signIn(t, "hal"), "/me")).text();
    expect(hal).toContain("Nobody is asking you or your rotations for anything.");
  });

  it("pages need a session: none, a forged one, or one from a replaced link is refused", async () => {
    const t = await scenario();
    expect((await get(t, null, "/me")).status).toBe(401);
    const cookie = await signIn(t, "ben");
    const forged = cookie.replace("baton_session=bt_s_", "baton_session=bt_s_A");
    expect((await get(t, forged, "/me")).status).toBe(401);
    expect((await t.request("POST", "/api/v1/members/ben/token/rotate")).status).toBe(200);
    expect((await get(t, cookie, "/me")).status).toBe(401);
  });

  it("the form asks for cover and lands on the request, which shows who may take it", async () => {
    const t = await scenario();
    const cookie = await signIn(t, "ben");
    const res = await submitForm(t, cookie, { note: "dentist" });
    expect(res.status).toBe(303);
    const location = res.headers.get("location")!;
    expect(location).toMatch(/^\/swaps\/\d+$/);
    const html = await (await get(t, cookie, location)).text();
    expect(html).toContain("dentist");
    expect(html).toMatch(/<li data-member="dan"><strong>Dan<\/strong>: <span class="warn">not eligible: Dan is already on call for Bravo · Primary/);
    expect(html).toContain("Cancel my request");
  });

  it("a form error appears next to its field, with what was typed kept", async () => {
    const t = await scenario();
    const cookie = await signIn(t, "ben");
    const backwards = await submitForm(t, cookie, { start: "2027-01-19T10:00", end: "2027-01-12T10:00", note: "keep me" });
    expect(backwards.status).toBe(400);
    const html = await backwards.text();
    expect(html).toMatch(/id="end" name="end" value="2027-01-12T10:00" required="" aria-invalid="true" aria-describedby="end-error"\/><p class="error" id="end-error" data-error-for="end">must be after the start<\/p>/);
    expect(html).toContain(">keep me</textarea>");
    const dan = await submitForm(t, cookie, { to: "dan" });
    expect(dan.status).toBe(409);
    expect(await dan.text()).toMatch(/<p class="error" id="to-error" data-error-for="to">Dan cannot take this shift: Dan is already on call for Bravo/);
    expect((await (await t.request("GET", "/api/v1/swaps")).json()).swaps).toEqual([]);
  });

  it.each([
    ["without Origin or Sec-Fetch-Site", {}],
    ["from another site", { origin: "https://evil.example" }],
    ["from another site that claims same-site", { origin: "https://evil.example", "sec-fetch-site": "cross-site" }],
  ])("refuses a form posted %s", async (_, headers) => {
    const t = await scenario();
    const cookie = await signIn(t, "ben");
    const form = await (await get(t, cookie, `/swaps/new?shift=${encodeURIComponent(W1)}`)).text();
    const res = await post(t, cookie, "/swaps/new", { _csrf: csrfOf(form), shift: W1, start: "2027-01-12T10:00", end: "2027-01-19T10:00", type: "cover" }, headers);
    expect(res.status).toBe(403);
    expect(await res.text()).toContain("This form was sent from another site");
    expect((await (await t.request("GET", "/api/v1/swaps")).json()).swaps).toEqual([]);
  });

  it("refuses a same-origin form without this session's token", async () => {
    const t = await scenario();
    const ben = await signIn(t, "ben");
    const cat = await signIn(t, "cat");
    const catsToken = csrfOf(await (await get(t, cat, "/me")).text());
    for (const token of ["", "forged", catsToken]) {
      const res = await post(t, ben, "/swaps/new", { _csrf: token, shift: W1, start: "2027-01-12T10:00", end: "2027-01-19T10:00", type: "cover" });
      expect(res.status).toBe(403);
    }
    expect((await (await t.request("GET", "/api/v1/swaps")).json()).swaps).toEqual([]);
  });

  it("accepting from the request page puts the taker on call; a second taker is told it is gone", async () => {
    const t = await scenario();
    const id = await opened(t, "ben", cover(1));
    const cat = await signIn(t, "cat");
    const gus = await signIn(t, "gus");
    const catPage = await (await get(t, cat, `/swaps/${id}`)).text();
    const gusPage = await (await get(t, gus, `/swaps/${id}`)).text();
    expect(catPage).toMatch(/<button type="submit">Accept<\/button>/);
    const res = await post(t, cat, `/swaps/${id}/accept`, { _csrf: csrfOf(catPage) });
    expect(res.status).toBe(303);
    expect(await oncallAt(t, at(1))).toEqual(["cat"]);
    const late = await post(t, gus, `/swaps/${id}/accept`, { _csrf: csrfOf(gusPage) });
    expect(late.status).toBe(409);
    expect(await late.text()).toContain(`request #${id} has already been accepted; it is no longer open`);
  });

  it("a trade is accepted from the page by choosing the week given in return; the owner cancels from theirs", async () => {
    const t = await scenario();
    const trade = await opened(t, "ben", { ...cover(1), type: "trade" });
    const cat = await signIn(t, "cat");
    const page = await (await get(t, cat, `/swaps/${trade}`)).text();
    const W3 = shiftId({ team: "alpha", rotation: "primary", ...W(3) });
    expect(page).toContain(`<option value="${W3}">`);
    expect((await post(t, cat, `/swaps/${trade}/accept`, { _csrf: csrfOf(page), offered: W3 })).status).toBe(303);
    expect([await oncallAt(t, at(1)), await oncallAt(t, at(3))]).toEqual([["cat"], ["ben"]]);

    // Ben's own week 4 would now follow the week 3 he took in the trade: the re-plan after the accept gave it to
    // someone rested, so Ben asks cover for week 3 instead.
    expect(await oncallAt(t, at(4))).not.toEqual(["ben"]);
    const plain = await opened(t, "ben", cover(3));
    const ben = await signIn(t, "ben");
    const own = await (await get(t, ben, `/swaps/${plain}`)).text();
    expect(own).not.toContain(">Accept<");
    expect((await post(t, ben, `/swaps/${plain}/cancel`, { _csrf: csrfOf(own) })).status).toBe(303);
    expect(await (await get(t, ben, `/swaps/${plain}`)).text()).toContain("Cancelled by the requester.");
  });

  it("shows the accept button disabled, with the reason, to a member the rules exclude", async () => {
    const t = await scenario();
    const id = await opened(t, "ben", cover(1));
    const html = await (await get(t, await signIn(t, "fay"), `/swaps/${id}`)).text();
    expect(html).toContain("Fay starts on 2027-03-01, after this shift begins");
    expect(html).toMatch(/<button type="submit" disabled="">Accept<\/button>/);
  });

  it("escapes names and notes everywhere", async () => {
    const t = await scenario();
    const note = `<img src=x onerror="alert('note')">`;
    const id = await opened(t, "ben", { ...cover(1), note, to: "mal" });
    for (const [who, path] of [["mal", "/me"], ["ben", `/swaps/${id}`], ["mal", `/swaps/${id}`]] as const) {
      const html = await (await get(t, await signIn(t, who), path)).text();
      expect(html, path).not.toContain("<script>alert");
      expect(html, path).not.toContain("<img src=x");
      expect(html, path).toContain("&lt;img src=x onerror=&quot;alert(&#39;note&#39;)&quot;&gt;");
    }
    const form = await (await get(t, await signIn(t, "ben"), `/swaps/new?shift=${encodeURIComponent(shiftId({ team: "alpha", rotation: "primary", ...W(4) }))}`)).text();
    expect(form).toContain("Mal &lt;script&gt;alert(&quot;name&quot;)&lt;/script&gt;");
  });

  it("the swap form refuses a shift that is not mine", async () => {
    const t = await scenario();
    const res = await get(t, await signIn(t, "ana"), `/swaps/new?shift=${encodeURIComponent(W1)}`);
    expect(res.status).toBe(403);
    expect(await res.text()).toContain("only the member on call may ask to swap it");
  });

  it("signing out clears the cookie, by a protected form", async () => {
    const t = await scenario();
    const cookie = await signIn(t, "ben");
    const page = await (await get(t, cookie, "/logout")).text();
    expect((await post(t, cookie, "/logout", { _csrf: csrfOf(page) }, { origin: "https://evil.example" })).status).toBe(403);
    const res = await post(t, cookie, "/logout", { _csrf: csrfOf(page) });
    expect(res.status).toBe(200);
    expect(res.headers.get("set-cookie")).toMatch(/^baton_session=; Max-Age=0; Path=\/; Secure/);
  });
});
