import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { runCli, type CliIo } from "../../src/cli/main";
import { tempDatabase, tempDir } from "./database";

/**
 * A folder of its own with a fresh database (a file in the folder, or a
 * PostgreSQL database), files written into it, and the `baton` CLI run
 * in-process over that database with its output captured.
 */
export async function cliWorkspace(options: { prefix: string; env?: Record<string, string>; clock?: CliIo["clock"]; sleep?: CliIo["sleep"] }) {
  const dir = tempDir(options.prefix);
  const database = await tempDatabase();
  const env: Record<string, string> = { ...database.env, BATON_LOG_LEVEL: "silent", ...options.env };
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
  return { dir, env, database: database.target, file, cli };
}
