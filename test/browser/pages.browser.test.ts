import { readFileSync } from "node:fs";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, expect, it } from "vitest";
import { ADMIN_TOKEN, createTestApp, type TestApp } from "../helpers/app";
import { query } from "../helpers/database";
import { artifact, describeInBrowser, launchChromium, listen, type Listening } from "../helpers/browser";
import { seriousAxeViolations, sidewaysOverflow, wordsBrokenAcrossLines } from "../helpers/page-checks";

// Mid-March 2027: the US is on summer time and Europe is not yet, so the
// follow-the-sun regions drift; Good Friday and Easter Monday fall inside the band.
const NOW = "2027-03-16T12:00:00Z";
const WIDTHS = [390, 1280] as const;

type Fixture = { swapId: number; swapShift: string; member: string };

describeInBrowser("pages in a real browser", () => {
  let server: Listening;
  let t: TestApp;
  let browser: Browser;
  const fixture = {} as Fixture;

  const api = async (method: string, path: string, body?: unknown, token = ADMIN_TOKEN) => {
    const res = await t.request(method, `/api/v1${path}`, { token, ...(body === undefined ? {} : { body }) });
    if (res.status >= 300) throw new Error(`${method} ${path}: ${res.status} ${await res.text()}`);
    return res.status === 204 ? null : await res.json();
  };

  beforeAll(async () => {
    server = await listen(() => t.app.fetch);
    t = await createTestApp({ now: NOW, env: { BATON_PUBLIC_URL: server.url } });
    await t.importOrg(JSON.parse(readFileSync(new URL("../../fixtures/demo-org.json", import.meta.url), "utf8")));
    for (const team of ["platform", "payments", "data"]) await api("POST", `/teams/${team}/schedule/apply`, { weeks: 12 });
    // Part of a Platform week changes hands: a three-day cover that someone accepts.
    const { shifts } = await api("GET", "/teams/platform/shifts?from=2027-03-30&to=2027-06-01");
    // A whole week's shift: holiday covers cut some weeks into parts.
    const long = (s: { source: string; start: string; end: string }) => s.source === "schedule" && Date.parse(s.end) - Date.parse(s.start) >= 6 * 86_400_000;
    const week = shifts.find(long);
    const start = new Date(Date.parse(week.start) + 2 * 86_400_000).toISOString().replace(".000Z", "Z");
    const end = new Date(Date.parse(week.start) + 5 * 86_400_000).toISOString().replace(".000Z", "Z");
    const opened = await api("POST", "/swaps", { shift: { team: "platform", rotation: "primary", start, end }, type: "cover", note: "Family wedding" }, await t.memberToken(week.member));
    const detail = await api("GET", `/swaps/${opened.id}`);
    const taker = detail.eligibility.find((e: { eligible: boolean }) => e.eligible).member;
    await api("POST", `/swaps/${opened.id}/accept`, {}, await t.memberToken(taker));
    const next = shifts.find((s: { member: string; source: string; start: string; end: string }) => long(s) && s.member === week.member && s.start >= week.end);
    const later = await api("POST", "/swaps", { shift: { team: "platform", rotation: "primary", start: next.start, end: next.end }, type: "cover" }, await t.memberToken(week.member));
    Object.assign(fixture, { swapId: later.id, swapShift: `platform~primary~${compact(next.start)}~${compact(next.end)}`, member: week.member });
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  async function open(width: number, signIn: "member" | "admin" | null): Promise<Page> {
    const context = await browser.newContext({ viewport: { width, height: 900 } });
    const page = await context.newPage();
    if (signIn === "member") await page.goto(`${server.url}/login/${await t.memberToken(fixture.member)}`);
    if (signIn === "admin") {
      await page.goto(`${server.url}/login`);
      await page.fill("#token", ADMIN_TOKEN);
      await page.getByRole("button", { name: "Sign in" }).click();
      await page.waitForURL(`${server.url}/`);
    }
    return page;
  }

  /** What every page must be: titled, in a language, accessible, no broken words, no sideways scrolling. */
  async function checkPage(page: Page, name: string, width: number) {
    await page.screenshot({ path: artifact(`pages-${name}-${width}.png`), fullPage: true });
    expect(await page.locator("html").getAttribute("lang")).toBe("en");
    expect(await page.title()).toMatch(/\S · Baton$/);
    expect(await seriousAxeViolations(page), `${name} at ${width}px`).toEqual([]);
    expect(await wordsBrokenAcrossLines(page), `${name} at ${width}px`).toEqual([]);
    expect(await sidewaysOverflow(page), `${name} at ${width}px`).toEqual({ overflow: 0, culprits: [] });
  }

  const pages: [string, "member" | "admin" | null, () => string][] = [
    ["home-signed-out", null, () => "/"],
    ["login", null, () => "/login"],
    ["not-found", null, () => "/no/such/page"],
    ["home", "member", () => "/"],
    ["me", "member", () => "/me"],
    ["team-platform", "member", () => "/teams/platform"],
    ["team-payments-follow-the-sun", "member", () => "/teams/payments"],
    ["swap-form", "member", () => `/swaps/new?shift=${encodeURIComponent(fixture.swapShift)}`],
    ["swap-request", "member", () => `/swaps/${fixture.swapId}`],
    ["logout", "member", () => "/logout"],
    ["home-admin", "admin", () => "/"],
    ["members-admin", "admin", () => "/me"],
    ["member-as-admin", "admin", () => `/members/${fixture.member}`],
    ["swap-request-admin", "admin", () => `/swaps/${fixture.swapId}`],
    ["team-data-admin", "admin", () => "/teams/data"],
  ];

  for (const width of WIDTHS) {
    it.each(pages)(`%s at ${width} px is accessible, unbroken and fits`, async (name, signIn, path) => {
      const page = await open(width, signIn);
      try {
        const res = await page.goto(`${server.url}${path()}`);
        expect(res!.status()).toBe(name === "not-found" ? 404 : 200);
        await checkPage(page, name, width);
      } finally {
        await page.context().close();
      }
    });
  }

  it("the team page shows the calendar grid on a desktop and the week list on a phone", async () => {
    for (const width of WIDTHS) {
      const page = await open(width, "member");
      await page.goto(`${server.url}/teams/platform`);
      expect(await page.locator("#calendar-grid").isVisible()).toBe(width === 1280);
      expect(await page.locator("#week-list").isVisible()).toBe(true);
      expect(await page.locator("#fairness-chart svg[role=img]").count()).toBeGreaterThan(3);
      // The week someone covers part of lists both holders, each with their stretch.
      expect(await page.locator("#week-list .holdings .tag.swap").count()).toBeGreaterThan(0);
      await page.locator("#fairness-chart").screenshot({ path: artifact(`pages-chart-fairness-${width}.png`) });
      await page.goto(`${server.url}/teams/payments`);
      await page.locator("#coverage-band").screenshot({ path: artifact(`pages-chart-band-${width}.png`) });
      // Each day's label fits its column instead of running under the band.
      expect(await page.locator(".band-day").evaluateAll((labels) => labels.filter((l) => l.scrollWidth > l.clientWidth).length)).toBe(0);
      if (width === 1280) await page.locator("#calendar-grid").screenshot({ path: artifact(`pages-calendar-payments-${width}.png`) });
      await page.context().close();
    }
  });

  it("a member books time off on /me, sees it and the re-plan, and removes it again", async () => {
    const page = await open(390, "member");
    await page.goto(`${server.url}/me`);
    // An end before the start is refused next to the field, keeping what was typed.
    await page.fill("#time-off-start", "2027-05-10");
    await page.fill("#time-off-end", "2027-05-07");
    await page.fill("#time-off-note", "Conference");
    await page.getByRole("button", { name: "Book time off" }).click();
    await expect.poll(() => page.locator('[data-error-for="end"]').textContent()).toBe("must be on or after start");
    expect(await page.locator("#time-off-end").getAttribute("aria-invalid")).toBe("true");
    expect(await page.locator("#time-off-note").inputValue()).toBe("Conference");
    await checkPage(page, "me-time-off-error", 390);

    await page.fill("#time-off-end", "2027-05-14");
    await page.getByRole("button", { name: "Book time off" }).click();
    await page.waitForURL(/\/me\?done=time-off-added/);
    expect(await page.locator("[role=status]").textContent()).toContain("Time off booked");
    const entry = page.locator("#time-off-list li", { hasText: "Conference" });
    expect(await entry.textContent()).toContain("Mon 10 May 2027");
    await checkPage(page, "me-time-off-booked", 390);

    const { timeOff } = await api("GET", `/members/${fixture.member}/time-off`);
    const booked = timeOff.find((x: { note?: string }) => x.note === "Conference");
    expect(booked).toMatchObject({ start: "2027-05-10", end: "2027-05-14" });
    const { shifts } = await api("GET", "/teams/platform/shifts?from=2027-05-10&to=2027-05-14");
    expect(shifts.map((s: { member: string }) => s.member)).not.toContain(fixture.member);

    await entry.getByRole("button", { name: "Remove" }).click();
    await page.waitForURL(/\/me\?done=time-off-removed/);
    expect(await page.locator("#time-off-list li", { hasText: "Conference" }).count()).toBe(0);
    expect((await api("GET", `/members/${fixture.member}/time-off`)).timeOff.some((x: { id: number }) => x.id === booked.id)).toBe(false);
    await page.context().close();
  });

  it("an admin signed in with the admin token books time off for a member, recorded as the admin", async () => {
    const page = await open(1280, "admin");
    await page.goto(`${server.url}/me`);
    await page.locator("#members a", { hasText: "Raj Singh" }).click();
    await page.waitForURL(/\/members\/raj$/);
    await page.fill("#time-off-start", "2027-06-01");
    await page.fill("#time-off-end", "2027-06-02");
    await page.getByRole("button", { name: "Book time off" }).click();
    await page.waitForURL(/\/members\/raj\?done=time-off-added/);
    const { timeOff } = await api("GET", "/members/raj/time-off");
    const booked = timeOff.find((x: { start: string }) => x.start === "2027-06-01");
    const rows = await query<{ actor: string }>(t.db, "select actor from audit_log where action = 'time-off.create' and entity_id = ?", String(booked.id));
    expect(rows.map((row) => row.actor)).toEqual(["admin:web"]);
    await page.context().close();
  });
});

function compact(iso: string): string {
  return iso.replace(/[-:]/g, "").replace(/\.\d+/, "").replace(/00Z$/, "Z");
}
