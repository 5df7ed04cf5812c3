import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { smallOrg } from "../helpers/factories";
import { migrateWorkspace, oncallDifferences } from "../helpers/migrate-workspace";
import { ogMembersAt, ogWorld } from "../helpers/opsgenie-world";
import { pdMembersAt, pdWorld } from "../helpers/pagerduty-world";
import { opsgenieServer, pagerDutyServer } from "../helpers/vendor-servers";

const NOW = "2027-03-16T12:00:00Z";
const KEPT_UNTIL = "2027-04-13T12:00:00Z";

describe("migrating from PagerDuty and then Opsgenie", () => {
  const servers: { pd?: Awaited<ReturnType<typeof pagerDutyServer>>; og?: Awaited<ReturnType<typeof opsgenieServer>> } = {};
  const w = migrateWorkspace(NOW);
  let afterPagerDuty: Awaited<ReturnType<typeof w.stored>>;

  beforeAll(async () => {
    servers.pd = await pagerDutyServer(pdWorld, { apiKey: "pd" });
    servers.og = await opsgenieServer(ogWorld, { apiKey: "og" });
    await w.cli("import", w.file("existing.json", smallOrg()));
    expect((await w.cli("migrate", "pagerduty", "--api-key", "pd", "--base-url", servers.pd.url)).code).toBe(0);
    afterPagerDuty = await w.stored();
    expect((await w.cli("migrate", "opsgenie", "--api-key", "og", "--base-url", servers.og.url)).code).toBe(0);
  });
  afterAll(async () => {
    await servers.pd?.close();
    await servers.og?.close();
  });

  it("leaves both vendors' teams side by side with Baton's own, retiring nothing", async () => {
    const { org } = await w.stored();
    expect(org.teams.map((t) => t.id)).toEqual(["alpha", "bravo", "pd-payments", "pd-platform", "og-sre", "og-follow"]);
    for (const team of afterPagerDuty.org.teams) expect(org.teams.find((t) => t.id === team.id)).toEqual(team);
    expect(org.members.map((m) => m.id)).toEqual(expect.arrayContaining(afterPagerDuty.org.members.map((m) => m.id)));
    // Opsgenie's overrides came on top; PagerDuty's are all still there.
    const fromPagerDuty = (overrides: typeof afterPagerDuty.overrides) => overrides.filter((o) => o.teamId.startsWith("pd-"));
    expect(fromPagerDuty(afterPagerDuty.overrides).length).toBeGreaterThan(0);
    expect(fromPagerDuty((await w.stored()).overrides)).toEqual(fromPagerDuty(afterPagerDuty.overrides));
  });

  it("keeps each vendor's schedule for its own teams", async () => {
    expect(await oncallDifferences(await w.target(), NOW, "pd-payments", NOW, KEPT_UNTIL, pdMembersAt("SPAY"))).toEqual([]);
    expect(await oncallDifferences(await w.target(), NOW, "og-follow", NOW, KEPT_UNTIL, ogMembersAt("s-follow"))).toEqual([]);
  });
});
