import { loadConfig } from "../../src/config";
import { createApp } from "../../src/http/app";
import { jsonLogger } from "../../src/logger";
import { fixedClock, toIsoZ, type Clock } from "../../src/domain/time";

/** When `importOrgLongAgo` imports: its plan has long run out by any test's now. */
export const LONG_AGO = "2000-01-04T12:00:00Z";
import { issueToken } from "../../src/services/tokens";
import { cleanUp, openTestDb, tempDb } from "./database";

export { tempDb };

export const ADMIN_TOKEN = "test-admin-token-0123456789";

export type TestApp = Awaited<ReturnType<typeof createTestApp>>;

/** Tests read response bodies as loosely typed JSON. */
export type TestResponse = Omit<Response, "json"> & { json(): Promise<any> };

/**
 * A Baton app over its own database (or an existing file, for two apps on one
 * database), with a fixed clock, a captured log, and outbound HTTP handed in.
 */
export async function createTestApp(
  options: { now?: string; clock?: Clock; path?: string; env?: Record<string, string>; fetch?: typeof fetch } = {},
) {
  const { db, path } = options.path ? await reopen(options.path) : await tempDb();
  const clock = options.clock ?? settableClock(options.now ?? "2027-01-12T12:00:00Z");
  const config = loadConfig({ BATON_ADMIN_TOKEN: ADMIN_TOKEN, BATON_DB: path, BATON_PUBLIC_URL: "https://baton.test", ...options.env });
  // Every line, parsed, through the same logger the server uses.
  const logs: Record<string, unknown>[] = [];
  // As many next writes as this says fail, as a closed destination's do.
  let failingLogWrites = 0;
  const log = jsonLogger("debug", {
    write: (line) => {
      if (failingLogWrites > 0) {
        failingLogWrites--;
        throw new Error("log destination gone");
      }
      logs.push(JSON.parse(line));
    },
  });
  const app = createApp({ db, clock, config, log, ...(options.fetch ? { fetch: options.fetch } : {}) });

  const request = (method: string, path: string, options: { token?: string | null; body?: unknown; headers?: Record<string, string> } = {}) => {
    const token = options.token === undefined ? ADMIN_TOKEN : options.token;
    const headers: Record<string, string> = { ...(token ? { authorization: `Bearer ${token}` } : {}), ...options.headers };
    let body: string | undefined;
    if (options.body !== undefined) {
      body = typeof options.body === "string" ? options.body : JSON.stringify(options.body);
      headers["content-type"] ??= "application/json";
    }
    return app.request(path, { method, headers, body }) as Promise<TestResponse>;
  };

  return {
    app,
    db,
    path,
    clock,
    config,
    logs,
    failNextLogWrite: () => void failingLogWrites++,
    request,
    memberToken: (memberId: string) => issueToken(db, "personal", memberId),
    importOrg: async (org: unknown) => {
      const res = await request("PUT", "/api/v1/org", { body: org });
      if (res.status !== 200) throw new Error(`import failed: ${res.status} ${await res.text()}`);
      return res.json();
    },
    /**
     * Imports as of long ago, so that the plan an import makes for new teams
     * has run out by now: for tests that plan, or store weeks, themselves.
     */
    importOrgLongAgo: async (org: unknown) => {
      if (!("set" in clock)) throw new Error("importOrgLongAgo needs a settable clock");
      const now = toIsoZ(clock.now());
      (clock as ReturnType<typeof settableClock>).set(LONG_AGO);
      try {
        const res = await request("PUT", "/api/v1/org", { body: org });
        if (res.status !== 200) throw new Error(`import failed: ${res.status} ${await res.text()}`);
        return res.json();
      } finally {
        (clock as ReturnType<typeof settableClock>).set(now);
      }
    },
  };
}

/** A second handle on an existing database, closed when the test (or the file) ends. */
async function reopen(path: string) {
  const db = await openTestDb(path);
  cleanUp(() => db.close());
  return { db, path };
}

/** A clock tests move by hand, for history: what was stored when. */
export function settableClock(iso: string): Clock & { set: (iso: string) => void } {
  let current = fixedClock(iso).now();
  return { now: () => current, set: (next: string) => (current = fixedClock(next).now()) };
}
