import { describe, expect, it } from "vitest";
import { createTestApp } from "../helpers/app";
import { member, team } from "../helpers/factories";
import { storeWeeks } from "../helpers/schedule";

async function setup(now: string) {
  const t = await createTestApp({ now });
  await t.importOrg({
    version: 1,
    members: [
      member("ana", { name: "Ana <script>alert(1)</script>", phone: "+44 20 7946 0001" }),
      member("ben"),
      member("sia", { timeZone: "Asia/Singapore", country: "SG", subdivision: undefined }),
      member("amy", { timeZone: "America/Los_Angeles", country: "US", subdivision: "CA" }),
    ],
    teams: [
      team("alpha", ["ana", "ben"], {
        escalation: {
          repeat: 1,
          levels: [
            { afterMinutes: 0, targets: [{ type: "oncall" }] },
            { afterMinutes: 15, targets: [{ type: "member", member: "ben" }] },
          ],
        },
      }),
      {
        id: "sun",
        name: "Sun",
        timeZone: "Europe/London",
        rotations: [
          { id: "apac", name: "APAC", timeZone: "Asia/Singapore", window: { start: "08:00", end: "16:00" }, members: ["sia"] },
          { id: "emea", name: "EMEA", window: { start: "08:00", end: "16:00" }, members: ["ben"] },
          { id: "amer", name: "Americas", timeZone: "America/Los_Angeles", window: { start: "08:00", end: "16:00" }, members: ["amy"] },
        ],
        escalation: { repeat: 0, levels: [{ afterMinutes: 0, targets: [{ type: "oncall" }] }] },
      },
    ],
  });
  return t;
}

describe("team page", () => {
  it("shows who is on call with their local time, the chain with delays, and the coming weeks, escaping names", async () => {
    const t = await setup("2027-01-13T09:30:00Z");
    await storeWeeks(t, "alpha", "primary", "2027-01-12", ["ana", "ben", "ana"]);
    const res = await t.request("GET", "/teams/alpha");
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/^text\/html/);
    const html = await res.text();
    expect(html).toContain('<meta name="viewport" content="width=device-width, initial-scale=1"/>');
    expect(html).toContain("Ana &lt;script&gt;alert(1)&lt;/script&gt;");
    expect(html).not.toContain("<script>alert(1)</script>");
    expect(html).toContain("their time Wed 09:30 (Europe/London)");
    expect(html).toContain('<a href="tel:+442079460001" class="nowrap">+44 20 7946 0001</a>');
    expect(html).toMatch(/<td data-label="Level">2<\/td><td data-label="After">15 min<\/td>/);
    expect(html).toContain("The chain is walked 1 more time if nobody answers.");
    expect(html).toContain('<span class="nowrap">Tue 19 Jan</span> – <span class="nowrap">Tue 26 Jan</span>');
  });

  it("lists the coverage warnings of a follow-the-sun team when the clocks drift", async () => {
    // 2027-03-16: the US is on summer time, Europe and Singapore are not yet.
    const t = await setup("2027-03-16T12:00:00Z");
    await storeWeeks(t, "sun", "apac", "2027-03-16", ["sia", "sia"]);
    await storeWeeks(t, "sun", "emea", "2027-03-16", ["ben", "ben"]);
    await storeWeeks(t, "sun", "amer", "2027-03-16", ["amy", "amy"]);
    const html = (await (await t.request("GET", "/teams/sun")).text()).replace(/<[^>]+>/g, "");
    expect(html).toMatch(/Overlap Tue 16 Mar 15:00 – 16:00 \(60 min\): both on call, ordered by rotation: emea, amer/);
    expect(html).toMatch(/Gap Tue 16 Mar 23:00 – 00:00 \(60 min\): held by amer \(window extended\)/);
  });

  it("draws the 24-hour band of a follow-the-sun team, one line per region, with its gaps and overlaps", async () => {
    const t = await setup("2027-03-16T12:00:00Z");
    for (const [rotation, holder] of [["apac", "sia"], ["emea", "ben"], ["amer", "amy"]] as const) await storeWeeks(t, "sun", rotation, "2027-03-16", [holder, holder]);
    const html = await (await t.request("GET", "/teams/sun")).text();
    const band = html.slice(html.indexOf('id="coverage-band"'));
    expect(band).toContain('<div class="band-row" data-date="2027-03-16">');
    expect(band).toContain('aria-label="Tue 16 Mar. APAC: Sia 00:00–08:00. EMEA: Ben 08:00–16:00. Americas: Amy 15:00–24:00. 1 gap between windows, held. 1 overlap."');
    expect(band).toContain('data-mark="overlap"');
    expect(band).toContain('data-mark="gap"');
    expect(await (await t.request("GET", "/teams/alpha")).text()).not.toContain('id="coverage-band"');
  });

  it("asks an anonymous visitor to sign in", async () => {
    const t = await setup("2027-01-13T09:30:00Z");
    const res = await t.request("GET", "/teams/alpha", { token: null });
    expect(res.status).toBe(401);
    expect(await res.text()).toContain("Sign in");
  });
});
