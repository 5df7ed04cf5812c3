import { sql } from "drizzle-orm";
import pg from "pg";
import { describe, expect, it } from "vitest";
import { onPostgres, postgresUrl, tempDb } from "../helpers/database";

// A PostgreSQL restart or failover drops connections; SQLite has none to lose.
describe.runIf(onPostgres)("a PostgreSQL connection lost in the middle of a transaction", () => {
  it("fails that transaction, not the process, and the next one gets a connection of its own", async () => {
    const { db } = await tempDb();
    const uncaught: unknown[] = [];
    const seen = (error: unknown) => void uncaught.push(error);
    process.on("uncaughtException", seen);
    try {
      const lost = db.transact(async (tx) => {
        const [{ pid }] = (await tx.rows<{ pid: number }>(sql`SELECT pg_backend_pid() AS pid`)) as [{ pid: number }];
        const admin = new pg.Client({ connectionString: postgresUrl });
        await admin.connect();
        await admin.query("SELECT pg_terminate_backend($1)", [pid]);
        await admin.end();
        // The connection's end arrives while no query is running on it.
        await new Promise((resolve) => setTimeout(resolve, 300));
        await tx.rows(sql`SELECT 1`);
      });
      await expect(lost).rejects.toThrow();
      expect(uncaught).toEqual([]);
      expect(await db.transact((tx) => tx.rows(sql`SELECT 1 AS ok`))).toEqual([{ ok: 1 }]);
    } finally {
      process.off("uncaughtException", seen);
    }
  });
});
