import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { runCli } from "../../src/cli/main";
import { loadConfig } from "../../src/config";
import { openDb } from "../../src/db/open";
import { fixedClock } from "../../src/domain/time";
import { createApp } from "../../src/http/app";
import { bigOrg } from "../helpers/big-org";

const ADMIN = "bench-admin-token-0123456789";

/** 10,000 members, 250 teams and 10,000 time-off entries through PUT /org and through `baton import`, then again unchanged. */
export async function runImportBench(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), "baton-bench-import-"));
  try {
    const body = JSON.stringify(bigOrg());
    const path = join(dir, "api.db");
    const app = createApp({ db: await openDb(path), clock: fixedClock("2027-01-12T12:00:00Z"), config: loadConfig({ BATON_DB: path, BATON_ADMIN_TOKEN: ADMIN }) });
    const put = async () => {
      const started = performance.now();
      const res = await app.request("/api/v1/org", { method: "PUT", headers: { authorization: `Bearer ${ADMIN}`, "content-type": "application/json" }, body });
      if (res.status !== 200) throw new Error(`PUT /org answered ${res.status}: ${await res.text()}`);
      return (performance.now() - started) / 1000;
    };
    const file = join(dir, "org.json");
    writeFileSync(file, body);
    const cli = async () => {
      const started = performance.now();
      const code = await runCli(["import", file], { env: { BATON_DB: join(dir, "cli.db"), BATON_LOG_LEVEL: "silent" }, stdout: () => {}, stderr: (s) => process.stderr.write(s) });
      if (code !== 0) throw new Error(`baton import exited ${code}`);
      return (performance.now() - started) / 1000;
    };
    console.log(`import: 10000 members, 250 teams, 10000 time-off entries (${(body.length / 1024 / 1024).toFixed(1)} MiB of JSON)`);
    console.log(`  PUT /org:       ${(await put()).toFixed(2)} s new, ${(await put()).toFixed(2)} s unchanged`);
    console.log(`  baton import:   ${(await cli()).toFixed(2)} s new, ${(await cli()).toFixed(2)} s unchanged (each opens and self-tests the database)`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
