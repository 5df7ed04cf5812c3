import { describe, expect, it } from "vitest";
import { everyRow } from "../helpers/database";
import { createTestApp, type TestApp } from "../helpers/app";
import { smallOrg } from "../helpers/factories";

/** Every row of every table, to show that a read changed none. */
const everything = (t: TestApp) => everyRow(t.db);

describe("GET requests never write", () => {
  it("calendar links, swaps, the timeline, the audit log and the lookup read what the import and the write paths stored", async () => {
    const t = await createTestApp({ now: "2027-01-12T12:00:00Z" });
    await t.importOrg(smallOrg());
    const ana = await t.memberToken("ana");
    const before = (await everything(t));
    for (const path of [
      "/api/v1/members/ana/calendar",
      "/api/v1/teams/alpha/calendar",
      "/api/v1/swaps",
      "/api/v1/swaps?status=open",
      "/api/v1/teams/alpha/timeline",
      "/api/v1/audit",
      "/api/v1/oncall",
      "/api/v1/teams/alpha/overrides",
      "/api/v1/org",
    ]) {
      const res = await t.request("GET", path, path.includes("/members/ana") ? { token: ana } : {});
      expect(res.status, path).toBe(200);
    }
    expect((await everything(t))).toEqual(before);
  });

  it("an import issues every new member's and team's feed link, so the read finds it", async () => {
    const t = await createTestApp({ now: "2027-01-12T12:00:00Z" });
    await t.importOrg(smallOrg());
    const first = await (await t.request("GET", "/api/v1/members/ben/calendar", { token: await t.memberToken("ben") })).json();
    const again = await (await t.request("GET", "/api/v1/members/ben/calendar", { token: await t.memberToken("ben") })).json();
    expect(first.https).toMatch(/^https:\/\/baton\.test\/calendars\/bt_c_/);
    expect(again.https).toBe(first.https);
    expect((await t.app.request(new URL(first.https).pathname)).status).toBe(200);
  });
});
