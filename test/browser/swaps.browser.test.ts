import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, expect, it } from "vitest";
import { ADMIN_TOKEN, createTestApp, type TestApp } from "../helpers/app";
import { artifact, describeInBrowser, launchChromium, listen, serveHtml, type Listening } from "../helpers/browser";
import { smallOrg } from "../helpers/factories";
import { storeWeeks } from "../helpers/schedule";

const NOW = "2027-01-05T12:00:00Z";
const ben = { week: "alpha~primary~20270112T1000Z~20270119T1000Z", later: "alpha~primary~20270202T1000Z~20270209T1000Z" };

describeInBrowser("swaps in a real browser", () => {
  let server: Listening;
  let t: TestApp;
  let browser: Browser;
  const contexts: BrowserContext[] = [];

  beforeAll(async () => {
    server = await listen(() => t.app.fetch);
    t = await createTestApp({ now: NOW, env: { BATON_PUBLIC_URL: server.url } });
    await t.importOrg(smallOrg());
    await storeWeeks(t, "alpha", "primary", "2027-01-05", ["ana", "ben", "cat", "dan", "ben"]);
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  async function signedIn(member: string): Promise<Page> {
    const context = await browser.newContext({ viewport: { width: 900, height: 900 } });
    contexts.push(context);
    const page = await context.newPage();
    await page.goto(`${server.url}/login/${await t.memberToken(member)}`);
    expect(new URL(page.url()).pathname).toBe("/me");
    return page;
  }

  const oncallAt = async (at: string) => {
    const res = await fetch(`${server.url}/api/v1/oncall?team=alpha&at=${at}`, { headers: { authorization: `Bearer ${ADMIN_TOKEN}` } });
    return ((await res.json()) as { oncall: { member: { id: string } }[] }).oncall.map((o) => o.member.id);
  };

  it("a member asks for cover from /me, a second member accepts in their own browser, and the lookup names the taker", async () => {
    const asker = await signedIn("ben");
    const cookies = await asker.context().cookies();
    expect(cookies).toEqual([expect.objectContaining({ name: "baton_session", httpOnly: true, sameSite: "Lax" })]);
    await asker.screenshot({ path: artifact("swaps-1-me.png"), fullPage: true });

    await asker.locator(`tr[data-shift="${ben.week}"] a`, { hasText: "Swap" }).click();
    await asker.waitForURL(/\/swaps\/new\?shift=/);
    await asker.fill("#note", "Dentist <b>at noon</b>");
    await asker.screenshot({ path: artifact("swaps-2-form.png"), fullPage: true });
    await asker.getByRole("button", { name: "Ask" }).click();
    await asker.waitForURL(/\/swaps\/\d+$/);
    const requestUrl = asker.url();
    await expect.poll(() => asker.locator("#status").textContent()).toBe("open");
    expect(await asker.locator("#note").textContent()).toBe("Dentist <b>at noon</b>");
    await asker.screenshot({ path: artifact("swaps-3-request.png"), fullPage: true });

    const taker = await signedIn("cat");
    await taker.locator(".card a", { hasText: "Ben asks for cover" }).click();
    await taker.waitForURL(requestUrl);
    expect(await taker.locator('li[data-member="cat"]').textContent()).toContain("can take it");
    await taker.getByRole("button", { name: "Accept" }).click();
    await taker.waitForURL(requestUrl);
    expect(await taker.locator("#status").textContent()).toBe("accepted");
    await taker.screenshot({ path: artifact("swaps-4-accepted.png"), fullPage: true });

    expect(await oncallAt("2027-01-15T00:00:00Z")).toEqual(["cat"]);
    await asker.reload();
    expect(await asker.locator("#status").textContent()).toBe("accepted");
  });

  it("a form error appears next to its field", async () => {
    const page = await signedIn("ben");
    await page.goto(`${server.url}/swaps/new?shift=${ben.later}`);
    await page.fill("#start", "2027-02-05T10:00");
    await page.fill("#end", "2027-02-03T10:00");
    await page.getByRole("button", { name: "Ask" }).click();
    const error = page.locator("#end + p.error");
    await expect.poll(() => error.textContent()).toBe("must be after the start");
    expect(await page.locator("#end").getAttribute("aria-invalid")).toBe("true");
    expect(await page.locator("#start").getAttribute("aria-invalid")).toBeNull();
    expect(await page.locator("#end").inputValue()).toBe("2027-02-03T10:00");
    await page.screenshot({ path: artifact("swaps-5-form-error.png"), fullPage: true });
  });

  it.each([
    ["another site", "localhost"],
    ["another origin on the same site", "127.0.0.1"],
  ])("a form posted from %s is refused", async (_, host) => {
    const open = await t.request("POST", "/api/v1/swaps", { token: await t.memberToken("ben"), body: { shift: ben.later, type: "cover" } });
    expect(open.status).toBe(201);
    const id = (await open.json()).id;
    const evil = await serveHtml(
      host,
      `<!DOCTYPE html><form method="post" action="${server.url}/swaps/${id}/cancel"><input name="_csrf" value="guess"></form><script>document.forms[0].submit()</script>`,
    );
    try {
      const page = await signedIn("ben");
      const answer = page.waitForResponse((r) => r.url() === `${server.url}/swaps/${id}/cancel`);
      await page.goto(evil.url);
      expect((await answer).status()).toBe(403);
      await expect.poll(() => page.locator("[role=alert]").textContent()).toBe("This form was sent from another site, so Baton refused it.");
      await page.screenshot({ path: artifact(`swaps-6-cross-site-${host}.png`), fullPage: true });
      expect((await (await t.request("GET", `/api/v1/swaps/${id}`)).json()).status).toBe("open");
    } finally {
      await evil.close();
      await t.request("POST", `/api/v1/swaps/${id}/cancel`, { body: { asMember: "ben" } });
    }
  });
});
