import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { runCli } from "../../src/cli/main";
import { exportOrg } from "../../src/db/org-store";
import { tablesOf } from "../../src/db/open";
import { fixedClock } from "../../src/domain/time";
import { createTestApp } from "./app";
import { openTestDb, tempDatabase, tempDir } from "./database";

/**
 * A fresh database (a file, or a PostgreSQL database) and the `baton` CLI
 * over it at a fixed now, recording the waits the vendor clients ask for
 * instead of sleeping through them. The database is made on first use: in a
 * beforeAll for a workspace a describe's tests share, since one made inside a
 * test goes when that test ends.
 */
export function migrateWorkspace(now: string) {
  const dir = tempDir("migrate");
  let made: ReturnType<typeof tempDatabase> | undefined;
  const database = () => (made ??= tempDatabase());
  /** The database's path or URL. */
  const target = async () => (await database()).target;
  const sleeps: number[] = [];
  const cli = async (...argv: string[]) => {
    let stdout = "";
    let stderr = "";
    const code = await runCli(argv, {
      env: { ...(await database()).env, BATON_PUBLIC_URL: "https://baton.test", BATON_LOG_LEVEL: "silent" },
      clock: fixedClock(now),
      stdout: (s) => (stdout += s),
      stderr: (s) => (stderr += s),
      sleep: async (ms) => {
        sleeps.push(ms);
      },
    });
    return { code, stdout, stderr };
  };
  const file = (name: string, content?: unknown) => {
    const path = join(dir, name);
    if (content !== undefined) writeFileSync(path, JSON.stringify(content));
    return path;
  };
  /** Everything stored that a migration may change: the org and every override. */
  const stored = async () => {
    const db = await openTestDb(await target());
    try {
      return { org: await exportOrg(db), overrides: (await db.select().from(tablesOf(db).overrides).orderBy(tablesOf(db).overrides.id)) };
    } finally {
      await db.close();
    }
  };
  const readJson = (path: string) => JSON.parse(readFileSync(path, "utf8"));
  return { dir, target, cli, file, stored, sleeps, readJson };
}

/**
 * Baton's answer to GET /api/v1/oncall at every step (half an hour unless
 * told) of [from, to) next to the vendor's, as sorted member ids; the
 * instants where they differ.
 */
export async function oncallDifferences(
  database: string,
  now: string,
  team: string,
  from: string,
  to: string,
  vendorAt: (t: number) => string[],
  stepMinutes = 30,
): Promise<{ at: string; baton: string[]; vendor: string[] }[]> {
  const app = await createTestApp({ path: database, now });
  const differences: { at: string; baton: string[]; vendor: string[] }[] = [];
  for (let t = Date.parse(from); t < Date.parse(to); t += stepMinutes * 60_000) {
    const at = new Date(t).toISOString();
    const res = await app.request("GET", `/api/v1/oncall?team=${team}&at=${at}`);
    const body = await res.json();
    const baton = (body.oncall as { member: { id: string } }[]).map((o) => o.member.id).sort();
    const vendor = vendorAt(t).sort();
    if (JSON.stringify(baton) !== JSON.stringify(vendor)) differences.push({ at, baton, vendor });
  }
  return differences;
}
