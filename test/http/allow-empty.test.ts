import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { createTestApp } from "../helpers/app";
import { commitCounter } from "../helpers/data-version";
import { smallOrg } from "../helpers/factories";
import { cliWorkspace } from "../helpers/cli";

const EMPTY = { version: 1, members: [], teams: [], timeOff: [] };

describe("an import that would retire everyone", () => {
  it("PUT /org refuses it with 409 and changes nothing", async () => {
    const t = await createTestApp();
    await t.importOrg(smallOrg());
    const commits = await commitCounter(t.path);
    const before = (await commits());
    const res = await t.request("PUT", "/api/v1/org", { body: EMPTY });
    expect(res.status).toBe(409);
    expect((await res.json()).detail).toBe("this import would retire every member (8) and team (2); send ?allowEmpty=true (baton import --allow-empty) if that is what you mean");
    expect((await commits())).toBe(before);
    expect((await (await t.request("GET", "/api/v1/org")).json()).members).toHaveLength(8);
  });

  it("PUT /org?allowEmpty=true retires everyone", async () => {
    const t = await createTestApp();
    await t.importOrg(smallOrg());
    const commits = await commitCounter(t.path);
    const before = (await commits());
    const res = await t.request("PUT", "/api/v1/org?allowEmpty=true", { body: EMPTY });
    expect(res.status).toBe(200);
    expect((await commits())).toBeGreaterThan(before);
    expect((await res.json()).members.retired).toHaveLength(8);
  });

  it("an empty file into an empty database needs no flag", async () => {
    const t = await createTestApp();
    expect((await t.request("PUT", "/api/v1/org", { body: EMPTY })).status).toBe(200);
  });

  it("allowEmpty takes true or false only", async () => {
    const t = await createTestApp();
    const res = await t.request("PUT", "/api/v1/org?allowEmpty=yes", { body: EMPTY });
    expect(res.status).toBe(400);
    expect((await res.json()).errors[0].path).toBe("allowEmpty");
  });

  it("baton import needs --allow-empty", async () => {
    const { dir, cli } = await cliWorkspace({ prefix: "empty" });
    writeFileSync(join(dir, "org.json"), JSON.stringify(smallOrg()));
    writeFileSync(join(dir, "empty.json"), JSON.stringify(EMPTY));
    expect((await cli("import", join(dir, "org.json"))).code).toBe(0);
    const refused = await cli("import", join(dir, "empty.json"));
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain("--allow-empty");
    const allowed = await cli("import", "--allow-empty", join(dir, "empty.json"));
    expect(allowed.code).toBe(0);
    expect(allowed.stdout).toContain("members +0 ~0 -8");
  });
});
