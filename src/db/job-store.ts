import { eq } from "drizzle-orm";
import { tablesOf, type Db } from "./open";

/**
 * Claims a periodic job's run: true (and the run recorded) when it last ran
 * at least `intervalMs` before `now`, false when another instance already ran
 * it within the interval. Several instances on one database each tick, and
 * one of them does the work.
 */
export async function claimJobRun(db: Db, name: string, now: string, intervalMs: number): Promise<boolean> {
  return db.transact(async (tx) => {
    const { settings } = tablesOf(tx);
    const key = `job:${name}`;
    const last = (await tx.select().from(settings).where(eq(settings.key, key)).limit(1))[0]?.value;
    // A little slack: timers on two instances drift, and a run a second early is still this interval's.
    if (last !== undefined && Date.parse(now) - Date.parse(last) < intervalMs - 5_000) return false;
    await tx.insert(settings).values({ key, value: now }).onConflictDoUpdate({ target: settings.key, set: { value: now } });
    return true;
  }, { quiet: true });
}
