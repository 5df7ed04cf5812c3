// The suite's second pass on PostgreSQL: every test but test/domain's, whose
// pure rules touch no database (the first pass runs them, and test:tz again).
// Without a server at BATON_TEST_POSTGRES_URL it says so and skips, unless
// REQUIRE_POSTGRES=1 (as in CI), which makes a missing server a failure.
import { spawnSync } from "node:child_process";
import pg from "pg";

const url = process.env.BATON_TEST_POSTGRES_URL ?? "postgres://postgres@127.0.0.1:55432/postgres";
const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 2_000 });
try {
  await client.connect();
  await client.end();
} catch (error) {
  const message = `no PostgreSQL server at ${url} (${error.message}): start one with .ci/postgres, or set BATON_TEST_POSTGRES_URL`;
  if (process.env.REQUIRE_POSTGRES === "1") {
    console.error(`REQUIRE_POSTGRES=1 but ${message}`);
    process.exit(1);
  }
  console.error(`skipping the PostgreSQL pass: ${message}`);
  process.exit(0);
}
const run = spawnSync("npx", ["vitest", "run", "--exclude", "test/domain/**", ...process.argv.slice(2)], {
  stdio: "inherit",
  env: { ...process.env, BATON_TEST_BACKEND: "postgres", BATON_TEST_POSTGRES_URL: url },
});
process.exit(run.status ?? 1);
