import { describe, expect, it } from "vitest";
import { claimJobRun } from "../../src/db/job-store";
import { onPostgres, openTestDb, tempDb } from "../helpers/database";

describe("periodic jobs on several instances", () => {
  it("are claimed by one instance an interval: the second tick within it is refused, the next interval's is granted", async () => {
    const { db } = await tempDb();
    expect(await claimJobRun(db, "plan-ahead", "2027-01-12T12:00:00Z", 3_600_000)).toBe(true);
    expect(await claimJobRun(db, "plan-ahead", "2027-01-12T12:00:30Z", 3_600_000)).toBe(false);
    expect(await claimJobRun(db, "swap-expiry", "2027-01-12T12:00:30Z", 60_000)).toBe(true);
    expect(await claimJobRun(db, "plan-ahead", "2027-01-12T13:00:00Z", 3_600_000)).toBe(true);
  });

  it("let two instances racing for one claim get exactly one run", async () => {
    const { db, path } = await tempDb();
    const second = await openTestDb(path);
    const claims = await Promise.all([db, second, db, second].map((handle) => claimJobRun(handle, "plan-ahead", "2027-01-12T12:00:00Z", 3_600_000)));
    expect(claims.filter(Boolean)).toHaveLength(1);
    await second.close();
  });
});

// The advisory lock behind `exclusiveJob`: a job still running on one instance when another's timer fires.
describe.runIf(onPostgres)("a job running on one instance", () => {
  it("is skipped by another instance until it ends, even when it fails, while a job of another name runs", async () => {
    const { db, path } = await tempDb();
    const second = await openTestDb(path);
    let release!: () => void;
    const running = new Promise<void>((resolve) => (release = resolve));
    let started!: () => void;
    const begun = new Promise<void>((resolve) => (started = resolve));
    const first = db.exclusiveJob("plan-ahead", async () => {
      started();
      await running;
      throw new Error("the plan failed");
    });
    await begun;
    const ran: string[] = [];
    expect(await second.exclusiveJob("plan-ahead", async () => void ran.push("plan-ahead"))).toBe(false);
    expect(await second.exclusiveJob("swap-expiry", async () => void ran.push("swap-expiry"))).toBe(true);
    release();
    await expect(first).rejects.toThrow("the plan failed");
    expect(await second.exclusiveJob("plan-ahead", async () => void ran.push("plan-ahead"))).toBe(true);
    expect(ran).toEqual(["swap-expiry", "plan-ahead"]);
    await second.close();
  });
});
