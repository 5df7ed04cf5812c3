import { describe, expect, it } from "vitest";
import { query } from "../helpers/database";
import { createTestApp, settableClock } from "../helpers/app";
import { smallOrg } from "../helpers/factories";

const NOW = "2027-01-12T12:00:00Z";


/** smallOrg imported and planned (an import plans new teams), with a webhook whose events are kept. */
async function planned() {
  const events: any[] = [];
  const clock = settableClock(NOW);
  const t = await createTestApp({
      clock,
      env: { BATON_WEBHOOK_URL: "https://hooks.test/baton" },
      fetch: async (_url, init) => {
        events.push(JSON.parse(String(init?.body)));
        return new Response("ok");
      },
    });
  await t.importOrg(smallOrg());
  await t.app.webhook.idle();
  events.length = 0;
  return { t, events, clock };
}

const post = (t: Awaited<ReturnType<typeof planned>>["t"], body: unknown, token?: string) => t.request("POST", "/api/v1/teams/alpha/overrides", { body, ...(token ? { token } : {}) });
const holderAt = async (t: Awaited<ReturnType<typeof planned>>["t"], at: string) =>
  (await (await t.request("GET", `/api/v1/oncall?team=alpha&at=${at}`)).json()).oncall.map((o: any) => [o.member.id, o.source]);

describe("admin overrides", () => {
  it("put someone on call for a few hours: lookup, shifts, fairness and the webhook follow at once", async () => {
    const { t, events } = await planned();
    const [scheduled] = await holderAt(t, "2027-01-13T20:00:00Z");
    const stand = scheduled[0] === "dan" ? "cat" : "dan";
    const res = await post(t, { rotation: "primary", member: stand, start: "2027-01-13T18:00:00Z", end: "2027-01-13T23:30:00+01:00", note: "covering a dinner" });
    expect(res.status).toBe(201);
    const created = await res.json();
    expect(created).toMatchObject({ team: "alpha", rotation: "primary", member: stand, replacedMember: scheduled[0], start: "2027-01-13T18:00:00Z", end: "2027-01-13T22:30:00Z", note: "covering a dinner", createdBy: "admin" });
    expect(await holderAt(t, "2027-01-13T20:00:00Z")).toEqual([[stand, "override"]]);
    expect(await holderAt(t, "2027-01-13T23:00:00Z")).toEqual([[scheduled[0], "schedule"]]);
    const shifts = (await (await t.request("GET", "/api/v1/teams/alpha/shifts?from=2027-01-13T00:00:00Z&to=2027-01-14T00:00:00Z")).json()).shifts;
    expect(shifts.map((s: any) => [s.member, s.start, s.end, s.source])).toEqual([
      [scheduled[0], "2027-01-12T10:00:00Z", "2027-01-13T18:00:00Z", "schedule"],
      [stand, "2027-01-13T18:00:00Z", "2027-01-13T22:30:00Z", "override"],
      [scheduled[0], "2027-01-13T22:30:00Z", "2027-01-19T10:00:00Z", "schedule"],
    ]);
    const fairness = (await (await t.request("GET", "/api/v1/teams/alpha/fairness?from=2027-01-13T00:00:00Z&to=2027-01-14T00:00:00Z")).json()).members;
    const byId = Object.fromEntries(fairness.map((m: any) => [m.member, m]));
    expect(byId[stand].coveredHours).toBe(4.5);
    expect(byId[scheduled[0]].givenAwayHours).toBe(4.5);
    await t.app.webhook.idle();
    expect(events).toEqual([
      expect.objectContaining({ event: "oncall.handover", team: "alpha", rotation: "primary", start: "2027-01-13T18:00:00Z", end: "2027-01-13T22:30:00Z", from: scheduled[0], to: stand, source: "override", text: expect.stringContaining("covering a dinner") }),
    ]);
    expect((await (await t.request("GET", "/api/v1/teams/alpha/overrides")).json()).overrides).toEqual([expect.objectContaining({ id: created.id, member: stand })]);
  });

  it("a later override wins where two overlap; removing it gives the time back and keeps the history", async () => {
    const { t, events, clock } = await planned();
    const first = await (await post(t, { rotation: "primary", member: "cat", start: "2027-01-14T08:00:00Z", end: "2027-01-14T16:00:00Z" })).json();
    const second = await (await post(t, { rotation: "primary", member: "dan", start: "2027-01-14T12:00:00Z", end: "2027-01-14T20:00:00Z" })).json();
    expect(await holderAt(t, "2027-01-14T10:00:00Z")).toEqual([["cat", "override"]]);
    expect(await holderAt(t, "2027-01-14T14:00:00Z")).toEqual([["dan", "override"]]);
    expect(second.replacedMember).toBe("cat");
    clock.set("2027-01-12T13:00:00Z");
    const removed = await t.request("DELETE", `/api/v1/teams/alpha/overrides/${second.id}`);
    expect(removed.status).toBe(200);
    expect(await holderAt(t, "2027-01-14T14:00:00Z")).toEqual([["cat", "override"]]);
    expect((await (await t.request("GET", "/api/v1/teams/alpha/overrides")).json()).overrides.map((o: any) => o.id)).toEqual([first.id]);
    const asOf = (await query<{ asOf: string }>(t.db, 'SELECT cancelled_at AS "asOf" FROM overrides WHERE id = ?', second.id))[0]?.asOf;
    expect(asOf).toBe("2027-01-12T13:00:00Z");
    await t.app.webhook.idle();
    const why = `override #${second.id} removed`;
    expect(events.slice(-2)).toEqual([
      expect.objectContaining({ from: "dan", to: "cat", start: "2027-01-14T12:00:00Z", end: "2027-01-14T16:00:00Z", source: "override", why }),
      expect.objectContaining({ from: "dan", to: first.replacedMember, start: "2027-01-14T16:00:00Z", end: "2027-01-14T20:00:00Z", source: "override", why }),
    ]);
    expect((await t.request("DELETE", `/api/v1/teams/alpha/overrides/${second.id}`)).status).toBe(404);
  });

  it("is admin-only: a member may neither make, list nor remove one", async () => {
    const { t } = await planned();
    const body = { rotation: "primary", member: "ana", start: "2027-01-14T08:00:00Z", end: "2027-01-14T16:00:00Z" };
    const ana = await t.memberToken("ana");
    expect((await post(t, body, ana)).status).toBe(403);
    expect((await t.request("GET", "/api/v1/teams/alpha/overrides", { token: ana })).status).toBe(403);
    const made = await (await post(t, body)).json();
    expect((await t.request("DELETE", `/api/v1/teams/alpha/overrides/${made.id}`, { token: ana })).status).toBe(403);
    expect((await post(t, body, "nonsense")).status).toBe(401);
    expect((await t.request("GET", "/api/v1/teams/alpha/overrides", { token: null })).status).toBe(401);
  });

  it.each([
    [{ member: "ana", start: "2027-01-14T08:00:00Z", end: "2027-01-14T16:00:00Z" }, "rotation", /expected string|name the rotation/i],
    [{ rotation: "secondary", member: "ana", start: "2027-01-14T08:00:00Z", end: "2027-01-14T16:00:00Z" }, "rotation", /alpha has no rotation secondary/],
    [{ rotation: "primary", member: "zed", start: "2027-01-14T08:00:00Z", end: "2027-01-14T16:00:00Z" }, "member", /no member zed/],
    [{ rotation: "primary", member: "ana", start: "2027-01-14 08:00", end: "2027-01-14T16:00:00Z" }, "start", /ISO 8601 instant/],
    [{ rotation: "primary", member: "ana", start: "2027-01-14T08:00:00Z", end: "2027-01-14T08:00:00Z" }, "end", /must be after start/],
    [{ rotation: "primary", member: "ana", start: "2027-01-14T08:00:00Z", end: "2027-09-14T08:00:00Z" }, "end", /at most 92 days/],
    [{ rotation: "primary", member: "ana", start: "2027-01-14T08:00:00Z", end: "2027-01-14T16:00:00Z", colour: "red" }, "colour", /unknown key/],
  ])("refuses %j naming %s, storing nothing", async (body, path, message) => {
    const { t } = await planned();
    const res = await post(t, body);
    expect(res.status).toBe(400);
    const problem = await res.json();
    expect(problem.errors[0].path).toBe(path);
    expect(problem.errors[0].message).toMatch(message);
    expect(await query(t.db, "SELECT count(*) AS n FROM overrides WHERE source = 'override'")).toEqual([{ n: 0 }]);
  });

  it("answers 404 for an unknown team or override", async () => {
    const { t } = await planned();
    expect((await t.request("POST", "/api/v1/teams/ghost/overrides", { body: { rotation: "primary", member: "ana", start: "2027-01-14T08:00:00Z", end: "2027-01-14T16:00:00Z" } })).status).toBe(404);
    expect((await t.request("DELETE", "/api/v1/teams/alpha/overrides/999")).status).toBe(404);
  });
});
