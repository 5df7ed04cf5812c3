import { describe, expect, it } from "vitest";
import { tablesOf } from "../../src/db/open";
import { createTestApp } from "../helpers/app";
import { cliWorkspace } from "../helpers/cli";
import { bigOrg } from "../helpers/big-org";

/** 10,000 members, 250 teams and 10,000 time-off entries: a large company's whole org in one file. */
describe("big imports", () => {
  const org = bigOrg();

  it("has the size the issue asks for", () => {
    expect([org.members.length, org.teams.length, org.timeOff!.length]).toEqual([10_000, 250, 10_000]);
  });

  it("go through PUT /org, audited row by row, and re-import as a no-op", async () => {
    const t = await createTestApp();
    const res = await t.request("PUT", "/api/v1/org", { body: org });
    expect(res.status).toBe(200);
    const summary = await res.json();
    expect(summary.members.created).toHaveLength(10_000);
    expect(summary.timeOff.added).toBe(10_000);
    // Members, teams and time off, and one entry for each new team's first plan, made by the same import.
    expect((await t.db.select().from(tablesOf(t.db).auditLog)).length).toBe(10_000 + 250 + 10_000 + 250);
    const again = await (await t.request("PUT", "/api/v1/org", { body: org })).json();
    expect(again.members.updated).toEqual([]);
  }, 120_000);

  it("go through baton import", async () => {
    const w = await cliWorkspace({ prefix: "big" });
    const { code, stdout, stderr } = await w.cli("import", w.file("org.json", org));
    expect({ code, stderr }).toEqual({ code: 0, stderr: "" });
    expect(stdout).toContain("members +10000");
  }, 120_000);

  it("a body over the configured limit is 413 naming the limit and the variable", async () => {
    const t = await createTestApp({ env: { BATON_BODY_LIMIT_MB: "1" } });
    const res = await t.request("PUT", "/api/v1/org", { body: org });
    expect(res.status).toBe(413);
    expect((await res.json()).detail).toBe("the request body is larger than 1 MiB (BATON_BODY_LIMIT_MB)");
  });
});
