import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll } from "vitest";
import { runCli } from "../../src/cli/main";
import { openDb, sqliteClient } from "../../src/db/open";
import { exportOrg } from "../../src/db/org-store";
import { tablesOf } from "../../src/db/open";
import { fixedClock } from "../../src/domain/time";
import { createTestApp } from "./app";


/**
 * A database file and the `baton` CLI over it at a fixed now, recording the
 * waits the vendor clients ask for instead of sleeping through them.
 */
export function migrateWorkspace(now: string) {
  const dir = mkdtempSync(join(tmpdir(), "baton-migrate-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const dbPath = join(dir, "baton.db");
  const env = { BATON_DB: dbPath, BATON_PUBLIC_URL: "https://baton.test", BATON_LOG_LEVEL: "silent" };
  const sleeps: number[] = [];
  const cli = async (...argv: string[]) => {
    let stdout = "";
    let stderr = "";
    const code = await runCli(argv, {
      env,
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
    const db = await openDb(dbPath);
    try {
      return { org: await exportOrg(db), overrides: (await db.select().from(tablesOf(db).overrides).orderBy(tablesOf(db).overrides.id)) };
    } finally {
      sqliteClient(db).close();
    }
  };
  const readJson = (path: string) => JSON.parse(readFileSync(path, "utf8"));
  return { dir, dbPath, cli, file, stored, sleeps, readJson };
}

/**
 * Baton's answer to GET /api/v1/oncall at every step (half an hour unless
 * told) of [from, to) next to the vendor's, as sorted member ids; the
 * instants where they differ.
 */
export async function oncallDifferences(
  dbPath: string,
  now: string,
  team: string,
  from: string,
  to: string,
  vendorAt: (t: number) => string[],
  stepMinutes = 30,
): Promise<{ at: string; baton: string[]; vendor: string[] }[]> {
  const app = await createTestApp({ path: dbPath, now });
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
