import { describe, expect, it } from "vitest";
import { sqliteClient, type Db } from "../src/db/open";
import { exportOrg } from "../src/db/org-store";
import { plannedHorizons } from "../src/db/schedule-store";
import { benchOrg } from "./bench/bench-org";
import { backendEnv, openTestDb, tempDatabase } from "./helpers/database";
import { killed, serveProcess } from "./helpers/server-process";

const ADMIN = "crash-test-admin-token-0123456789";

const serve = (dbPath: string) => serveProcess(dbPath, { BATON_ADMIN_TOKEN: ADMIN, ...backendEnv });

const put = (url: string, org: unknown) =>
  fetch(`${url}/api/v1/org`, { method: "PUT", headers: { authorization: `Bearer ${ADMIN}`, "content-type": "application/json" }, body: JSON.stringify(org) });


/**
 * SQLite's integrity_check over every page of the file. PostgreSQL has no
 * such check to run from outside (it checks its own pages and replays its
 * WAL); there, what a kill can break is what follows: the org half-written.
 */
async function integrity(db: Db) {
  return db.backend === "sqlite" ? sqliteClient(db).pragma("integrity_check", { simple: true }) : ((await db.damage()) ?? "ok");
}

/** Opens the database as a restart would, checks it, and says which org it holds and whether every team in it is planned. */
async function inspect(dbPath: string) {
  const db = await openTestDb(dbPath);
  try {
    const checked = await integrity(db);
    const org = await exportOrg(db);
    const horizons = await plannedHorizons(db);
    return { integrity: checked, org: JSON.stringify(org), unplanned: org.teams.filter((t) => !horizons.has(t.id)).map((t) => t.id) };
  } finally {
    await db.close();
  }
}

/** The large change: every member renamed, and as many teams again, which the import plans. */
function biggerOrg() {
  const org = benchOrg(60, 8);
  for (const m of org.members) m.name = `${m.name} (renamed)`;
  return org;
}

describe("kill -9 in the middle of a large import", () => {
  it("leaves a database that passes integrity_check and is wholly before or wholly after, every time", async () => {
    const { target: path } = await tempDatabase();
    const small = benchOrg(30, 8);
    const big = biggerOrg();

    // The two states, as a restart reads them: the small org, and the big one, each completely imported and planned.
    let server = await serve(path);
    const started = performance.now();
    expect((await put(server.url, small)).status).toBe(200);
    const importMs = performance.now() - started;
    await killed(server.child);
    const before = await inspect(path);
    expect(before).toMatchObject({ integrity: "ok", unplanned: [] });

    const outcomes: string[] = [];
    let state = before.org;
    let after: string | null = null;
    // Kills spread over the import (the big one takes about half as long again as the first), from one org to the other and back.
    for (const fraction of [0.25, 0.6, 0.4, 0.9, 1.5]) {
      server = await serve(path);
      const target = state === before.org ? big : small;
      const sent = put(server.url, target).then(
        (res) => res.status,
        () => "killed",
      );
      await new Promise((resolve) => setTimeout(resolve, fraction * importMs * 1.5));
      await killed(server.child);
      const answer = await sent;
      const now = await inspect(path);
      expect(now.integrity).toBe("ok");
      expect(now.unplanned).toEqual([]);
      if (now.org !== before.org) {
        after ??= now.org;
        expect(now.org).toBe(after);
        expect(JSON.parse(now.org).teams).toHaveLength(60);
      }
      // An answered import committed: the file holds what it was sent.
      if (answer === 200) expect(now.org).toBe(target === big ? after : before.org);
      outcomes.push(`${target === big ? "small→big" : "big→small"}: ${now.org === state ? "before" : "after"} (${answer})`);
      state = now.org;
    }
    expect(outcomes, outcomes.join("; ")).toHaveLength(5);
  }, 300_000);
});
