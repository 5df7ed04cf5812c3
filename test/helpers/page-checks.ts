import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import type { Page } from "playwright-core";

const require = createRequire(import.meta.url);
/** axe-core's browser bundle, evaluated in the page (through the DevTools protocol, so the page's CSP stays in force). */
const axeSource = readFileSync(require.resolve("axe-core/axe.min.js"), "utf8");
/** Layout probes that run in the page: words broken across lines, sideways overflow. */
const probesSource = readFileSync(new URL("./page-probes.browser.js", import.meta.url), "utf8");

export type AxeViolation = { id: string; impact: string | null; help: string; nodes: string[] };

/** axe-core's violations of impact serious or critical on the page as it stands. */
export async function seriousAxeViolations(page: Page): Promise<AxeViolation[]> {
  await page.evaluate(axeSource);
  return page.evaluate(`axe.run(document, { resultTypes: ["violations"] }).then((result) => result.violations
    .filter((v) => v.impact === "serious" || v.impact === "critical")
    .map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.map((n) => n.target.join(" ")) })))`);
}

/** Words whose letters land on more than one line (see page-probes.browser.js). */
export async function wordsBrokenAcrossLines(page: Page): Promise<string[]> {
  await page.evaluate(probesSource);
  return page.evaluate("batonProbes.brokenWords()");
}

/** How far the page is wider than its viewport (0 when there is no sideways scrolling), with the culprits. */
export async function sidewaysOverflow(page: Page): Promise<{ overflow: number; culprits: string[] }> {
  await page.evaluate(probesSource);
  return page.evaluate("batonProbes.overflow()");
}
