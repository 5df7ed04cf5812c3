import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll } from "vitest";
import { runCli, type CliIo } from "../../src/cli/main";

/**
 * A folder of its own with a database path, files written into it, and the
 * `baton` CLI run in-process over that database with its output captured.
 */
export function cliWorkspace(options: { prefix: string; env?: Record<string, string>; clock?: CliIo["clock"]; sleep?: CliIo["sleep"] }) {
  const dir = mkdtempSync(join(tmpdir(), `baton-${options.prefix}-`));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const env: Record<string, string> = { BATON_DB: join(dir, "baton.db"), BATON_LOG_LEVEL: "silent", ...options.env };
  const file = (name: string, content?: unknown) => {
    const path = join(dir, name);
    if (content !== undefined) writeFileSync(path, typeof content === "string" ? content : JSON.stringify(content, null, 2));
    return path;
  };
  const cli = async (...argv: string[]) => {
    let stdout = "";
    let stderr = "";
    const io: CliIo = { env, stdout: (s) => (stdout += s), stderr: (s) => (stderr += s) };
    if (options.clock) io.clock = options.clock;
    if (options.sleep) io.sleep = options.sleep;
    const code = await runCli(argv, io);
    return { code, stdout, stderr };
  };
  return { dir, env, file, cli };
}
