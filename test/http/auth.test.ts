import { describe, expect, it } from "vitest";
import { createTestApp } from "../helpers/app";
import { smallOrg } from "../helpers/factories";

/** Fills a route pattern with values that exist in smallOrg, so that auth is what decides. */
function concrete(path: string): string {
  return `/api/v1${path
    .replace(":team", "alpha")
    .replace(":member", "ben")
    .replace(":id", "1")}`;
}

const bodyFor = (method: string) => (method === "GET" ? undefined : {});

describe("auth over every API route", async () => {
  const t = await createTestApp();
  await t.importOrg(smallOrg());
  const routes = t.app.apiRoutes;
  const guarded = routes.filter((r) => r.access !== "public");

  it("covers the contract's routes", () => {
    expect(guarded.length).toBeGreaterThanOrEqual(20);
  });

  it.each(guarded.map((r) => [r.method.toUpperCase(), r.path] as const))("%s %s answers 401 without a token", async (method, path) => {
    const res = await t.request(method, concrete(path), { token: null, body: bodyFor(method) });
    expect(res.status).toBe(401);
    expect(res.headers.get("www-authenticate")).toBe("Bearer");
    expect(res.headers.get("content-type")).toBe("application/problem+json");
  });

  it.each(guarded.map((r) => [r.method.toUpperCase(), r.path] as const))("%s %s answers 401 with a wrong token", async (method, path) => {
    const res = await t.request(method, concrete(path), { token: "bt_p_not-a-real-token", body: bodyFor(method) });
    expect(res.status).toBe(401);
  });

  it.each(routes.filter((r) => r.access === "admin").map((r) => [r.method.toUpperCase(), r.path] as const))(
    "%s %s answers 403 to a member",
    async (method, path) => {
      const res = await t.request(method, concrete(path), { token: await t.memberToken("ana"), body: bodyFor(method) });
      expect(res.status).toBe(403);
    },
  );

  it("lets a member read everything", async () => {
    const token = await t.memberToken("ana");
    for (const path of ["/api/v1/org", "/api/v1/teams", "/api/v1/teams/bravo", "/api/v1/members/eve/time-off"]) {
      expect((await t.request("GET", path, { token })).status, path).toBe(200);
    }
  });

  it("lets a member change their own time off but not someone else's", async () => {
    const ana = await t.memberToken("ana");
    const own = await t.request("POST", "/api/v1/members/ana/time-off", { token: ana, body: { start: "2027-05-03", end: "2027-05-04" } });
    expect(own.status).toBe(201);
    const created = await own.json();
    const other = await t.request("POST", "/api/v1/members/ben/time-off", { token: ana, body: { start: "2027-05-03", end: "2027-05-04" } });
    expect(other.status).toBe(403);
    const benToken = await t.memberToken("ben");
    const deleteOther = await t.request("DELETE", `/api/v1/members/ana/time-off/${created.id}`, { token: benToken });
    expect(deleteOther.status).toBe(403);
    const deleteOwn = await t.request("DELETE", `/api/v1/members/ana/time-off/${created.id}`, { token: ana });
    expect(deleteOwn.status).toBe(204);
  });

  it("stops accepting a retired member's personal token", async () => {
    const t2 = await createTestApp();
    await t2.importOrg(smallOrg());
    const token = await t2.memberToken("dan");
    expect((await t2.request("GET", "/api/v1/teams", { token })).status).toBe(200);
    const without = smallOrg();
    without.members = without.members.filter((m) => m.id !== "dan");
    without.teams[0]!.rotations[0]!.members = ["ana", "ben", "cat"];
    await t2.importOrg(without);
    expect((await t2.request("GET", "/api/v1/teams", { token })).status).toBe(401);
  });

  it("answers public documents without a token", async () => {
    expect((await t.request("GET", "/api/v1/org/schema", { token: null })).status).toBe(200);
    expect((await t.request("GET", "/api/v1/openapi.json", { token: null })).status).toBe(200);
    expect((await t.request("GET", "/healthz", { token: null })).status).toBe(200);
  });
});
