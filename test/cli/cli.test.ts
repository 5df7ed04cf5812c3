import { execFile } from "node:child_process";
import { join } from "node:path";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { runCli } from "../../src/cli/main";
import { smallOrg } from "../helpers/factories";
import { cliWorkspace } from "../helpers/cli";

async function workspace() {
  return cliWorkspace({ prefix: "cli", env: { BATON_PUBLIC_URL: "https://baton.test" } });
}

describe("baton CLI exit codes", () => {
  it("0 for a good import, and it is idempotent", async () => {
    const w = await workspace();
    const path = w.file("org.json", smallOrg());
    const first = await w.cli("import", path);
    expect(first).toMatchObject({ code: 0, stderr: "" });
    expect(first.stdout).toContain("members +8");
    const second = await w.cli("import", path);
    expect(second.stdout).toContain("members +0 ~0 -0, teams +0 ~0 -0, time off +0 ~0 -0");
  });

  it("1 with a one-line reason naming the path for a bad org file", async () => {
    const w = await workspace();
    const org = smallOrg();
    org.members[2]!.timeZone = "Mars/Olympus";
    const result = await w.cli("import", w.file("bad.json", org));
    expect(result.code).toBe(1);
    expect(result.stderr).toBe('baton: members[2] (id "cat").timeZone: must be an IANA time zone such as Europe/London\n');
  });

  it("1 for a file that is not JSON or not there", async () => {
    const w = await workspace();
    expect((await w.cli("import", w.file("broken.json", "{ nope"))).code).toBe(1);
    const missing = await w.cli("import", join(w.dir, "missing.json"));
    expect(missing.code).toBe(1);
    expect(missing.stderr.trim().split("\n")).toHaveLength(1);
  });

  it("1 for a bad environment variable, naming it", async () => {
    const w = await workspace();
    let stderr = "";
    const code = await runCli(["token", "--member", "ana"], { env: { ...w.env, PORT: "seventy" }, stdout: () => {}, stderr: (s) => (stderr += s) });
    expect(code).toBe(1);
    expect(stderr).toMatch(/PORT/);
  });

  it("2 for usage errors", async () => {
    const w = await workspace();
    expect((await w.cli()).code).toBe(2);
    expect((await w.cli("frobnicate")).code).toBe(2);
    expect((await w.cli("import")).code).toBe(2);
    expect((await w.cli("token")).code).toBe(2);
    expect((await w.cli("token", "--member", "ana", "--colour", "red")).code).toBe(2);
  });

  it("prints a member's login and calendar links, the same ones each time", async () => {
    const w = await workspace();
    await w.cli("import", w.file("org.json", smallOrg()));
    const first = await w.cli("token", "--member", "ben");
    expect(first.code).toBe(0);
    expect(first.stdout).toMatch(/login: +https:\/\/baton\.test\/login\/bt_p_[A-Za-z0-9_-]{43}\n/);
    expect(first.stdout).toMatch(/calendar: +https:\/\/baton\.test\/calendars\/bt_c_[A-Za-z0-9_-]{43}\.ics\n/);
    expect((await w.cli("token", "--member", "ben")).stdout).toBe(first.stdout);
    expect((await w.cli("token", "--member", "nobody")).code).toBe(1);
  });

  it("prints the generated admin token, the same one each time, and it opens the API", async () => {
    const w = await workspace();
    const first = await w.cli("token", "--admin");
    expect(first.code).toBe(0);
    expect(first.stdout).toMatch(/^bt_a_[A-Za-z0-9_-]{43}\n$/);
    expect((await w.cli("token", "--admin")).stdout).toBe(first.stdout);
    expect((await w.cli("token", "--admin", "--member", "ana")).code).toBe(2);
  });

  it("runs as the installed bin with the same exit codes", async () => {
    const w = await workspace();
    const bin = join(__dirname, "..", "..", "bin", "baton.mjs");
    const run = (...args: string[]) =>
      promisify(execFile)(process.execPath, [bin, ...args], { env: { ...process.env, ...w.env } }).then(
        () => 0,
        (error: { code: number }) => error.code,
      );
    expect(await run("import", w.file("org.json", smallOrg()))).toBe(0);
    expect(await run("import", w.file("bad.json", { version: 1 }))).toBe(1);
    expect(await run("bogus")).toBe(2);
  });
});
