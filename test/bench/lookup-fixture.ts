import { spawn, type ChildProcess } from "node:child_process";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { loadConfig } from "../../src/config";
import { storeAssignments } from "../../src/db/schedule-store";
import { orgFileSchema } from "../../src/domain/org-file";
import { fixedClock } from "../../src/domain/time";
import { handoffClock, weeksFrom } from "../../src/domain/weeks";
import { importOrg } from "../../src/services/org";
import { openTestDb } from "../helpers/postgres";
import { benchOrg } from "./bench-org";

/** What the lookup benchmarks share: their org, the instant they ask about, their token and their server. */
export const LOOKUP_NOW = "2027-03-10T12:00:00Z";
export const BENCH_TOKEN = "bench-admin-token-0123456789";
const SEEDED_AT = "2027-01-01T00:00:00Z";

/** The lookup's org on `target` (a SQLite file or a PostgreSQL URL): 250 teams of 8, a year of weeks stored. */
export async function seedLookup(target: string): Promise<void> {
  const db = await openTestDb(target);
  const org = orgFileSchema.parse(benchOrg(250, 8));
  const config = loadConfig({ BATON_DB: target, BATON_ADMIN_TOKEN: BENCH_TOKEN });
  await importOrg({ db, clock: fixedClock(SEEDED_AT), config, actor: { kind: "admin" }, changed: () => {} }, org, { planNewTeams: false });
  await db.transact(async (tx) => {
    for (const team of org.teams) {
      const rotation = team.rotations[0]!;
      const weeks = weeksFrom(handoffClock(team, rotation), SEEDED_AT.slice(0, 10), 52);
      const planned = weeks.map((w, i) => ({ team: team.id, rotation: rotation.id, weekStart: w.start, weekEnd: w.end, member: rotation.members[i % rotation.members.length]!, reason: "bench" }));
      await storeAssignments({ tx, actor: { kind: "admin" }, at: SEEDED_AT }, team.id, planned);
    }
  });
  await db.close();
}

/**
 * `lookup-server.ts` in a process of its own (on CPU 1 when `pinned`), once
 * it listens: `args` are its mode and what the mode takes.
 */
export function startLookupServer(args: string[], pinned = false): Promise<{ child: ChildProcess; port: number }> {
  const command = [process.execPath, "--import", "tsx", join(import.meta.dirname, "lookup-server.ts"), ...args];
  const [file, ...rest] = pinned ? ["taskset", "-c", "1", ...command] : command;
  const child = spawn(file!, rest, { stdio: ["ignore", "pipe", "inherit"] });
  return new Promise((resolve, reject) => {
    createInterface({ input: child.stdout! }).once("line", (line) => resolve({ child, port: Number(line) }));
    child.once("exit", (code) => reject(new Error(`server exited with ${code}`)));
  });
}

export const median = (values: number[]) => [...values].sort((a, b) => a - b)[values.length >> 1]!;
