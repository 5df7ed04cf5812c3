import { describe, expect, it } from "vitest";
import { query } from "../helpers/database";
import { fairnessBar } from "../../src/services/team-page";
import { ADMIN_TOKEN, createTestApp, type TestApp } from "../helpers/app";
import { member, team } from "../helpers/factories";
import { storeOverride, storeWeeks } from "../helpers/schedule";

const ORIGIN = "https://baton.test";
const NOW = "2027-01-13T09:30:00Z";

async function setup(options: { path?: string; env?: Record<string, string> } = {}) {
  const t = await createTestApp({ now: NOW, ...options });
  await t.importOrgLongAgo({
    version: 1,
    members: [member("ana", { name: "Ana Souza", phone: "+44 20 7946 0001" }), member("ben", { name: "Ben Carter" }), member("cat"), member("dan")],
    teams: [team("alpha", ["ana", "ben", "cat", "dan"])],
    timeOff: [],
  });
  return t;
}

const html = { "content-type": "application/x-www-form-urlencoded", origin: ORIGIN };
const csrfOf = (page: string) => /name="_csrf" value="([^"]+)"/.exec(page)![1]!;
const cookieOf = (res: Response) => res.headers.get("set-cookie")!.split(";")[0]!;
const get = (t: TestApp, path: string, cookie?: string) => t.app.request(path, { headers: cookie ? { cookie } : {} });
const post = (t: TestApp, path: string, fields: Record<string, string>, cookie?: string, headers: Record<string, string> = html) =>
  t.app.request(path, { method: "POST", headers: { ...headers, ...(cookie ? { cookie } : {}) }, body: new URLSearchParams(fields).toString() });

async function memberCookie(t: TestApp, id: string) {
  return cookieOf(await t.app.request(`/login/${await t.memberToken(id)}`));
}

async function adminCookie(t: TestApp, token = ADMIN_TOKEN) {
  const res = await post(t, "/login", { token });
  expect(res.status).toBe(303);
  expect(res.headers.get("location")).toBe("/");
  return cookieOf(res);
}

describe("security headers", () => {
  it("every response carries nosniff: API, problems, the on-call fast path, feeds, probes and pages", async () => {
    const t = await setup();
    await storeWeeks(t, "alpha", "primary", "2027-01-12", ["ana", "ben"]);
    const feed = (await (await t.request("GET", "/api/v1/teams/alpha/calendar")).json()).https.replace(ORIGIN, "");
    const responses = [
      await t.request("GET", "/api/v1/teams"),
      await t.request("GET", "/api/v1/oncall?team=alpha"),
      await t.request("GET", "/api/v1/nothing"),
      await t.request("GET", "/healthz", { token: null }),
      await t.request("GET", feed, { token: null }),
      await get(t, "/"),
      await get(t, "/no/such/page"),
    ];
    for (const res of responses) expect([res.url || "", res.headers.get("x-content-type-options")]).toEqual([res.url || "", "nosniff"]);
  });

  it.each(["/", "/login", "/me", "/no/such/page", "/teams/alpha"])("%s is sent with a CSP that forbids framing, no referrer and no caching", async (path) => {
    const t = await setup();
    const res = await get(t, path, await memberCookie(t, "ana"));
    expect(res.headers.get("content-type")).toMatch(/^text\/html/);
    expect(res.headers.get("content-security-policy")).toMatch(/default-src 'none';.*frame-ancestors 'none'/);
    expect(res.headers.get("x-frame-options")).toBe("DENY");
    expect(res.headers.get("referrer-policy")).toBe("no-referrer");
    expect(res.headers.get("cache-control")).toBe("no-store");
  });
});

describe("home, sign-in and error pages", () => {
  it("signed out, / says what Baton is and offers the sign-in form", async () => {
    const t = await setup();
    const res = await get(t, "/");
    expect(res.status).toBe(200);
    const page = await res.text();
    expect(page).toMatch(/^<!DOCTYPE html><html lang="en">/);
    expect(page).toContain("<title>On-call rotas that stay fair · Baton</title>");
    expect(page).toContain('<form method="post" action="/login"');
    expect(page).not.toContain("Ana Souza");
  });

  it("signed in, / lists every team with who is on call now in their local time and the next handoff", async () => {
    const t = await setup();
    await storeWeeks(t, "alpha", "primary", "2027-01-12", ["ana", "ben"]);
    const page = await (await get(t, "/", await memberCookie(t, "ben"))).text();
    expect(page).toContain('<a href="/teams/alpha">Alpha</a>');
    expect(page).toMatch(/<strong>Ana Souza<\/strong>.*their time <span class="nowrap">Wed 09:30<\/span>/s);
    expect(page).toContain('Next handoff <span class="nowrap">Tue 19 Jan 10:00</span>');
  });

  it("warns on / when planned time has nobody on call", async () => {
    const t = await setup();
    await storeWeeks(t, "alpha", "primary", "2027-01-12", ["ana", null, "ben"]);
    const page = await (await get(t, "/", await memberCookie(t, "ben"))).text();
    expect(page).toMatch(/1 stretch with nobody on call in the coming four weeks, first <span class="nowrap">Tue 19 Jan 10:00<\/span>/);
  });

  it("the sign-in form takes a personal token or the admin token, and refuses anything else next to the field", async () => {
    const t = await setup();
    const asMember = await post(t, "/login", { token: await t.memberToken("ana") });
    expect([asMember.status, asMember.headers.get("location")]).toEqual([303, "/me"]);
    expect(asMember.headers.get("set-cookie")).toMatch(/^baton_session=bt_s_/);
    const asAdmin = await post(t, "/login", { token: ADMIN_TOKEN });
    expect([asAdmin.status, asAdmin.headers.get("location")]).toEqual([303, "/"]);
    expect(asAdmin.headers.get("set-cookie")).toMatch(/^baton_session=~admin\./);
    const bad = await post(t, "/login", { token: "bt_p_nope" });
    expect(bad.status).toBe(401);
    expect(bad.headers.get("set-cookie")).toBeNull();
    expect(await bad.text()).toMatch(/aria-invalid="true" aria-describedby="token-error".*id="token-error" role="alert">This token is not valid/s);
    const empty = await post(t, "/login", { token: "" });
    expect(empty.status).toBe(400);
  });

  it("refuses a sign-in posted from another site, so no site can sign a browser in as someone else", async () => {
    const t = await setup();
    const res = await post(t, "/login", { token: await t.memberToken("ana") }, undefined, { ...html, origin: "https://evil.test" });
    expect(res.status).toBe(403);
    expect(res.headers.get("set-cookie")).toBeNull();
  });

  it("an unknown page is an HTML 404 with a language and a title; the API keeps problem+json", async () => {
    const t = await setup();
    const page = await get(t, "/nowhere");
    expect(page.status).toBe(404);
    const text = await page.text();
    expect(text).toMatch(/^<!DOCTYPE html><html lang="en">/);
    expect(text).toContain("<title>Page not found · Baton</title>");
    const api = await t.request("GET", "/api/v1/nowhere");
    expect(api.headers.get("content-type")).toBe("application/problem+json");
  });

  it("an admin session ends when the admin token changes", async () => {
    const t = await setup();
    const cookie = await adminCookie(t);
    expect((await get(t, "/teams/alpha", cookie)).status).toBe(200);
    const other = await createTestApp({ now: NOW, path: t.path, env: { BATON_ADMIN_TOKEN: "another-admin-token-0123456789" } });
    expect((await other.app.request("/teams/alpha", { headers: { cookie } })).status).toBe(401);
  });
});

describe("the member page and time off", () => {
  it("/me lists every planned shift to the end of the plan, not only the coming weeks", async () => {
    const t = await setup();
    await storeWeeks(t, "alpha", "primary", "2027-01-12", ["ana", "ben", "cat", "dan", "ana", "ben", "cat", "dan", "ana", "ben", "cat", "dan", "ana"]);
    const page = await (await get(t, "/me", await memberCookie(t, "ana"))).text();
    expect(page.match(/<tr data-shift="alpha~primary~/g)).toHaveLength(4);
    expect(page).toContain('data-shift="alpha~primary~20270406T0900Z~20270413T0900Z"');
    expect(page).toContain("to the end of the plan on 13 Apr 2027");
    expect(page).toContain('<a href="/teams/alpha">Alpha</a>');
  });

  it("a member books and removes time off through the form; the rota is re-planned", async () => {
    const t = await setup();
    await t.request("POST", "/api/v1/teams/alpha/schedule/apply", { body: { weeks: 6 } });
    const cookie = await memberCookie(t, "ana");
    const me = await (await get(t, "/me", cookie)).text();
    const booked = await post(t, "/members/ana/time-off", { _csrf: csrfOf(me), start: "2027-01-26", end: "2027-02-05", note: "Skiing" }, cookie);
    expect([booked.status, booked.headers.get("location")]).toEqual([303, "/me?done=time-off-added#time-off"]);
    const { timeOff } = await (await t.request("GET", "/api/v1/members/ana/time-off")).json();
    expect(timeOff).toEqual([expect.objectContaining({ start: "2027-01-26", end: "2027-02-05", note: "Skiing" })]);
    const { shifts } = await (await t.request("GET", "/api/v1/teams/alpha/shifts?from=2027-01-26&to=2027-02-05")).json();
    expect(shifts.map((s: { member: string }) => s.member)).not.toContain("ana");
    const after = await (await get(t, "/me?done=time-off-added", cookie)).text();
    expect(after).toContain("Time off booked.");
    expect(after).toMatch(/<strong class="nowrap">Tue 26 Jan 2027<\/strong>.*<strong class="nowrap">Fri 5 Feb 2027<\/strong>.* · Skiing/s);
    const removed = await post(t, `/members/ana/time-off/${timeOff[0].id}/delete`, { _csrf: csrfOf(after) }, cookie);
    expect(removed.status).toBe(303);
    expect((await (await t.request("GET", "/api/v1/members/ana/time-off")).json()).timeOff).toEqual([]);
  });

  it.each([
    [{ start: "", end: "2027-02-01" }, "start", "must be a calendar date YYYY-MM-DD in the years 1970–9999"],
    [{ start: "2027-02-05", end: "2027-02-01" }, "end", "must be on or after start"],
    [{ start: "2027-02-05", end: "" }, "end", "is required unless the time off recurs (rrule)"],
  ])("time off %j is refused with the error beside %s, storing nothing", async (fields, field, message) => {
    const t = await setup();
    const cookie = await memberCookie(t, "ana");
    const res = await post(t, "/members/ana/time-off", { _csrf: csrfOf(await (await get(t, "/me", cookie)).text()), note: "", ...fields }, cookie);
    expect(res.status).toBe(400);
    expect(await res.text()).toContain(`data-error-for="${field}">${message}</p>`);
    expect((await (await t.request("GET", "/api/v1/members/ana/time-off")).json()).timeOff).toEqual([]);
  });

  it("refuses time off for someone else, and a form without the session's token", async () => {
    const t = await setup();
    const cookie = await memberCookie(t, "ana");
    const token = csrfOf(await (await get(t, "/me", cookie)).text());
    expect((await post(t, "/members/ben/time-off", { _csrf: token, start: "2027-02-01", end: "2027-02-02" }, cookie)).status).toBe(403);
    expect((await post(t, "/members/ana/time-off", { _csrf: "forged", start: "2027-02-01", end: "2027-02-02" }, cookie)).status).toBe(403);
    expect((await get(t, "/members/ben", cookie)).status).toBe(403);
    expect((await (await t.request("GET", "/api/v1/members/ben/time-off")).json()).timeOff).toEqual([]);
    expect((await (await t.request("GET", "/api/v1/members/ana/time-off")).json()).timeOff).toEqual([]);
  });

  it("an admin signed in to the pages lists the members and books time off for one, audited as admin:web", async () => {
    const t = await setup();
    const cookie = await adminCookie(t);
    const list = await (await get(t, "/me", cookie)).text();
    expect(list).toContain('<a href="/members/ana">Ana Souza</a>');
    const page = await (await get(t, "/members/ana", cookie)).text();
    expect(page).toContain("You are signed in as admin and acting for Ana Souza");
    const res = await post(t, "/members/ana/time-off", { _csrf: csrfOf(page), start: "2027-03-01", end: "2027-03-01" }, cookie);
    expect(res.headers.get("location")).toBe("/members/ana?done=time-off-added#time-off");
    const [row] = await query<{ actor: string }>(t.db, "select actor from audit_log where action = 'time-off.create'");
    expect(row?.actor).toBe("admin:web");
  });
});

describe("an admin on a swap request's page", () => {
  it("accepts for an eligible member, recorded as the admin acting for them; a member cannot act for another", async () => {
    const t = await setup();
    await storeWeeks(t, "alpha", "primary", "2027-01-12", ["ana", "ben", "cat", "dan"]);
    const shift = { team: "alpha", rotation: "primary", start: "2027-01-19T10:00:00Z", end: "2027-01-26T10:00:00Z" };
    const opened = await (await t.request("POST", "/api/v1/swaps", { token: await t.memberToken("ben"), body: { shift, type: "cover" } })).json();
    const cat = await memberCookie(t, "cat");
    const forged = await post(t, `/swaps/${opened.id}/accept`, { _csrf: csrfOf(await (await get(t, `/swaps/${opened.id}`, cat)).text()), asMember: "dan" }, cat);
    expect(forged.status).toBe(403);
    const admin = await adminCookie(t);
    const page = await (await get(t, `/swaps/${opened.id}`, admin)).text();
    expect(page).toContain("Act as admin");
    expect(page).toContain('<option value="dan">Dan</option>');
    const res = await post(t, `/swaps/${opened.id}/accept`, { _csrf: csrfOf(page), asMember: "dan" }, admin);
    expect(res.status).toBe(303);
    const swap = await (await t.request("GET", `/api/v1/swaps/${opened.id}`)).json();
    expect(swap).toMatchObject({ status: "accepted", taker: { id: "dan" }, decidedBy: "admin:web for dan" });
  });
});

describe("the team page", () => {
  it("shows who holds which part of a week someone partly covers, with each week's reason", async () => {
    const t = await setup();
    await storeWeeks(t, "alpha", "primary", "2027-01-12", ["ana", "ben", "cat"]);
    await storeOverride(t, { team: "alpha", rotation: "primary", start: "2027-01-21T10:00:00Z", end: "2027-01-23T10:00:00Z", member: "dan", replacedMember: "ben", source: "swap" });
    const page = await (await get(t, "/teams/alpha", await memberCookie(t, "ana"))).text();
    expect(page).not.toContain("covers or swaps");
    const week = page.slice(page.indexOf('data-week="primary~2027-01-19T10:00:00Z"'));
    const card = week.slice(0, week.indexOf("</article>"));
    expect(card).toContain("Planned: <strong>Ben Carter</strong>");
    expect(card).toContain('<div class="reason">test</div>');
    expect(card.replace(/<[^>]+>/g, "")).toContain(
      "Ben Carter Tue 19 Jan 10:00 – Thu 21 Jan 10:00 Dan Thu 21 Jan 10:00 – Sat 23 Jan 10:00 swapBen Carter Sat 23 Jan 10:00 – Tue 26 Jan 10:00",
    );
  });

  it("links the team feed, draws the fairness chart as inline SVG, and has no follow-the-sun band for a 24-hour team", async () => {
    const t = await setup();
    await storeWeeks(t, "alpha", "primary", "2027-01-12", ["ana", "ben", "cat", "dan"]);
    const page = await (await get(t, "/teams/alpha", await memberCookie(t, "ana"))).text();
    expect(page).toMatch(/<a href="webcal:\/\/baton\.test\/calendars\/bt_t_[A-Za-z0-9_-]+\.ics" class="button">Subscribe \(webcal\)<\/a>/);
    expect(page.match(/<div class="fair-row" data-member="[a-z]+">/g)).toHaveLength(4);
    expect(page).toMatch(/<svg viewBox="0 0 1000 24" preserveAspectRatio="none" role="img" aria-label="Ana Souza: \d+ h on call against a fair share of \d+ h;/);
    expect(page).not.toContain('id="coverage-band"');
    expect(page).not.toContain("<script");
  });
});

describe("the fairness chart's reading of the report", () => {
  it("takes fairShare, balance and why when the report has them, and falls back to today's fields", () => {
    const today = { member: "ana", name: "Ana", onCallHours: 200, holidayHours: 8, coveredHours: 10, givenAwayHours: 0, fairHours: 180, balanceHours: 30 };
    expect(fairnessBar(today)).toMatchObject({ fairShare: 180, balance: 30, why: null });
    expect(fairnessBar({ ...today, fairShare: 150, balance: 50, why: "joined 12 May" })).toMatchObject({ fairShare: 150, balance: 50, why: "joined 12 May" });
  });
});
