import { describe, expect, it } from "vitest";
import { claimJobRun } from "../../src/db/job-store";
import { openTestDb, tempDb } from "../helpers/database";

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
