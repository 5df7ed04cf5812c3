import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { fixedClock } from "../../src/domain/time";
import { openTestDb, query } from "../helpers/database";
import { smallOrg } from "../helpers/factories";
import { cliWorkspace } from "../helpers/cli";

async function workspace() {
  const { dir, database, file, cli } = await cliWorkspace({ prefix: "diff", env: { BATON_PUBLIC_URL: "https://baton.test" }, clock: fixedClock("2027-01-12T12:00:00Z") });
  const rows = async () => {
    const db = await openTestDb(database);
    try {
      const [row] = await query<{ n: number }>(db, "SELECT (SELECT count(*) FROM members) + (SELECT count(*) FROM assignments) + (SELECT count(*) FROM audit_log) AS n");
      return row!.n;
    } finally {
      await db.close();
    }
  };
  return { dir, file, cli, rows };
}

describe("baton diff", () => {
  it("exits 3 and lists the changes when the file would change the database, 0 once it matches", async () => {
    const w = await workspace();
    const path = w.file("org.json", smallOrg());
    const pending = await w.cli("diff", path);
    expect(pending.code).toBe(3);
    expect(pending.stdout).toMatch(/^would change .*org\.json: members \+8 ~0 -0, teams \+2 ~0 -0, time off \+2 ~0 -0\n/);
    expect(pending.stdout).toContain("  planned alpha 12 weeks ahead\n");
    expect(pending.stdout).toMatch(/  alpha\/primary 2027-01-12T10:00:00Z – 2027-01-19T10:00:00Z: \(nobody\) -> \w+ \(/);
    expect(await w.rows()).toBe(0);
    expect((await w.cli("import", path)).code).toBe(0);
    const clean = await w.cli("diff", path);
    expect(clean).toMatchObject({ code: 0, stderr: "" });
    expect(clean.stdout).toMatch(/^matches the database .*: members \+0 ~0 -0, teams \+0 ~0 -0, time off \+0 ~0 -0\n$/);
    const changed = smallOrg();
    changed.members[0]!.name = "Ana Renamed";
    const drift = await w.cli("diff", w.file("changed.json", changed));
    expect(drift.code).toBe(3);
    expect(drift.stdout).toContain("  members changed: ana\n");
  });

  it("exits 1 on a bad file and 2 on usage, storing nothing", async () => {
    const w = await workspace();
    const org = smallOrg();
    org.members[0]!.timeZone = "Mars/Olympus";
    const bad = await w.cli("diff", w.file("bad.json", org));
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/^baton: members\[0\] \(id "ana"\)\.timeZone: must be an IANA time zone/);
    expect((await w.cli("diff", join(w.dir, "missing.json"))).code).toBe(1);
    expect((await w.cli("diff")).code).toBe(2);
    expect((await w.cli("diff", "a.json", "b.json")).code).toBe(2);
    expect((await w.cli("diff", "--dry-run", w.file("org.json", smallOrg()))).code).toBe(2);
    expect(await w.rows()).toBe(0);
  });
});

describe("baton import --dry-run", () => {
  it("prints what the import would do and stores nothing", async () => {
    const w = await workspace();
    const path = w.file("org.json", smallOrg());
    const dry = await w.cli("import", "--dry-run", path);
    expect(dry.code).toBe(0);
    expect(dry.stdout).toMatch(/^would change .*: members \+8 ~0 -0/);
    expect(dry.stdout).toContain("  members added: ana, ben, cat, dan, eve, fay, gil, hal\n");
    expect(await w.rows()).toBe(0);
    const real = await w.cli("import", path);
    expect(real.stdout.replace(/^imported/, "would change")).toBe(dry.stdout);
  });
});
