import { describe, expect, it } from "vitest";
import { loadConfig } from "../src/config";
import { startServer } from "../src/server";
import { zoneHint } from "../src/domain/hints";
import { createTestApp } from "./helpers/app";
import { member, smallOrg } from "./helpers/factories";
import { cliWorkspace } from "./helpers/cli";

async function workspace(extraEnv: Record<string, string> = {}) {
  return cliWorkspace({ prefix: "errors", env: extraEnv });
}

/** An org of 30 members in which the 26th, zoe, has a zone that does not exist. */
function orgWithBadZoe() {
  const org = smallOrg();
  for (let i = org.members.length; i < 25; i++) org.members.push(member(`x${i}`));
  org.members.push(member("zoe", { timeZone: "Europe/Londn" }));
  return org;
}

const BROKEN = '{\n  "version": 1,\n  "members": [],\n  "teams": [] "timeOff": []\n}\n';

describe("errors a user can act on", () => {
  it("a JSON syntax error in PUT /org names the line and column", async () => {
    const t = await createTestApp();
    const res = await t.request("PUT", "/api/v1/org", { body: BROKEN });
    expect(res.status).toBe(400);
    const problem = await res.json();
    expect(problem.errors[0].message).toMatch(/^malformed JSON at line 4, column 15: /);
  });

  it("a JSON syntax error in baton import names the file, line and column", async () => {
    const w = await workspace();
    const path = w.file("org.json", BROKEN);
    const result = await w.cli("import", path);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(new RegExp(`^baton: ${path}: malformed JSON at line 4, column 15: .+\\n$`));
  });

  it("a validation error carries the element's id beside its index", async () => {
    const t = await createTestApp();
    const res = await t.request("PUT", "/api/v1/org", { body: orgWithBadZoe() });
    const problem = await res.json();
    expect(problem.errors).toEqual([
      { path: "members[25].timeZone", where: 'members[25] (id "zoe").timeZone', message: "must be an IANA time zone such as Europe/London; did you mean Europe/London?" },
    ]);
  });

  it("baton import prints every error, each with the id beside the index", async () => {
    const w = await workspace();
    const org = orgWithBadZoe();
    org.members[0]!.country = "UK";
    const result = await w.cli("import", w.file("org.json", org));
    expect(result.code).toBe(1);
    expect(result.stderr).toBe(
      'baton: members[0] (id "ana").country: no public holiday data for country UK; did you mean GB?\n' +
        'baton: members[25] (id "zoe").timeZone: must be an IANA time zone such as Europe/London; did you mean Europe/London?\n',
    );
  });

  it.each([
    ["Europe/Londn", "Europe/London"],
    ["london", "Europe/London"],
    ["New York", "America/New_York"],
  ])("the zone %s gets the hint %s", (given, hint) => {
    expect(zoneHint(given)).toBe(hint);
  });

  it("a zone the zone database renamed gets the name this system knows, either way round", () => {
    expect(zoneHint("Europe/Kyiv", (zone) => zone === "Europe/Kiev")).toBe("Europe/Kiev");
    expect(zoneHint("Europe/Kiev", (zone) => zone === "Europe/Kyiv")).toBe("Europe/Kyiv");
    expect(zoneHint("Asia/Calcutta", (zone) => zone === "Asia/Kolkata")).toBe("Asia/Kolkata");
  });

  it.each([
    ["UK", "GB"],
    ["gb", "GB"],
    ["EL", "GR"],
    ["Germany", "DE"],
  ])("the country %s gets the hint %s", async (country, hint) => {
    const t = await createTestApp();
    const org = smallOrg();
    org.members[1]!.country = country;
    delete org.members[1]!.subdivision;
    const problem = await (await t.request("PUT", "/api/v1/org", { body: org })).json();
    expect(problem.errors[0].path).toBe("members[1].country");
    expect(problem.errors[0].message).toMatch(new RegExp(`; did you mean ${hint}\\?$`));
  });

  it("a far-future plan in the CLI is one line naming the field, not a stack trace", async () => {
    const w = await workspace();
    await w.cli("import", w.file("org.json", smallOrg()));
    const result = await w.cli("plan", "--team", "alpha", "--weeks", "1", "--from", "9999-12-31");
    expect(result).toMatchObject({ code: 1, stderr: "baton: weeks: from + weeks must end by 9999-12-24, the last week Baton plans\n" });
  });

  it("CLI links come from BATON_PUBLIC_URL when it is set", async () => {
    const w = await workspace({ BATON_PUBLIC_URL: "https://rota.example.org" });
    await w.cli("import", w.file("org.json", smallOrg()));
    expect((await w.cli("token", "--member", "ben")).stdout).toContain("login:    https://rota.example.org/login/bt_p_");
  });

  it("without BATON_PUBLIC_URL, CLI links use the URL the server last served on", async () => {
    const w = await workspace();
    await w.cli("import", w.file("org.json", smallOrg()));
    const server = await startServer(loadConfig({ ...w.env, PORT: "0" }), { logs: { write: () => {} }, stderr: () => {} });
    server.server.close();
    await server.db.close();
    const out = (await w.cli("token", "--member", "ben")).stdout;
    expect(out).toContain(`login:    http://localhost:${server.port}/login/bt_p_`);
    expect(out).toContain(`calendar: http://localhost:${server.port}/calendars/bt_c_`);
  });
});
