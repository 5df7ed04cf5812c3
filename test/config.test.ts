import { describe, expect, it } from "vitest";
import { ConfigError, loadConfig } from "../src/config";

describe("configuration from the environment", () => {
  it("has the contract's defaults", () => {
    const config = loadConfig({});
    expect(config).toMatchObject({ PORT: 8787, BATON_DB: "./data/baton.db", publicUrl: "http://localhost:8787" });
    expect(config.BATON_ADMIN_TOKEN).toBeUndefined();
  });

  it.each([
    ["PORT", { PORT: "eighty" }],
    ["PORT", { PORT: "70000" }],
    ["BATON_PUBLIC_URL", { BATON_PUBLIC_URL: "not a url" }],
    ["BATON_ADMIN_TOKEN", { BATON_ADMIN_TOKEN: "short" }],
    ["BATON_LOG_LEVEL", { BATON_LOG_LEVEL: "loud" }],
  ])("stops with a message naming %s", (name, env) => {
    expect(() => loadConfig(env)).toThrow(ConfigError);
    expect(() => loadConfig(env)).toThrow(new RegExp(`^invalid environment variable ${name}:`));
  });

  it("treats an empty variable as unset", () => {
    expect(loadConfig({ BATON_ADMIN_TOKEN: "" }).BATON_ADMIN_TOKEN).toBeUndefined();
  });
});
