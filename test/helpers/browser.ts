import { serve } from "@hono/node-server";
import { existsSync, mkdirSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { fileURLToPath } from "node:url";
import { chromium, type Browser } from "playwright-core";
import { describe, it } from "vitest";

/** Where the browser is looked for: CHROMIUM_PATH, else the distribution's package. */
export const chromiumPath = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";

/** Whether browser suites must run: with REQUIRE_BROWSER=1 a missing browser fails them instead of skipping. */
export const browserRequired = process.env.REQUIRE_BROWSER === "1";

export const browserAvailable = existsSync(chromiumPath);

/** A suite that runs in Chromium; without one it is skipped, or with REQUIRE_BROWSER=1 fails. */
export function describeInBrowser(name: string, suite: () => void): void {
  if (browserAvailable) {
    describe(name, suite);
    return;
  }
  describe(name, () => {
    if (browserRequired) {
      it("needs Chromium (REQUIRE_BROWSER=1)", () => {
        throw new Error(`no Chromium at ${chromiumPath}; install it (apt-get install chromium) or set CHROMIUM_PATH`);
      });
    } else {
      it.skip(`skipped: no Chromium at ${chromiumPath} (set CHROMIUM_PATH, or REQUIRE_BROWSER=1 to fail instead)`, () => {});
    }
  });
}

export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: chromiumPath,
    headless: true,
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
  });
}

/** Screenshots and pages kept for a person to look at after a run; the folder is gitignored. */
export const artifactsDir = fileURLToPath(new URL("../../test-artifacts/", import.meta.url));

export function artifact(name: string): string {
  mkdirSync(artifactsDir, { recursive: true });
  return `${artifactsDir}${name}`;
}

export type Listening = { url: string; close: () => Promise<void> };

/**
 * Serves a fetch handler on a free port of 127.0.0.1. The handler is asked
 * for lazily, so an app can be built once its own URL (its public URL) is known.
 */
export async function listen(handler: () => (request: Request) => Response | Promise<Response>): Promise<Listening> {
  const server = serve({ fetch: (request) => handler()(request), port: 0, hostname: "127.0.0.1" }) as Server;
  await new Promise<void>((resolve) => server.once("listening", resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, close: () => closeServer(server) };
}

/** A page on another origin, as an attacker's site would serve it. */
export async function serveHtml(host: string, html: string): Promise<Listening> {
  const server = createServer((_, res) => res.writeHead(200, { "content-type": "text/html; charset=utf-8" }).end(html));
  // Every loopback address, since the browser may resolve `localhost` to ::1.
  await new Promise<void>((resolve) => server.listen(0, resolve));
  return { url: `http://${host}:${(server.address() as AddressInfo).port}`, close: () => closeServer(server) };
}

function closeServer(server: Server): Promise<void> {
  server.closeAllConnections();
  return new Promise((resolve) => server.close(() => resolve()));
}
