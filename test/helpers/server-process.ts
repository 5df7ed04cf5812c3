import { spawn, type ChildProcess } from "node:child_process";
import { join } from "node:path";

export const BIN = join(__dirname, "..", "..", "bin", "baton.mjs");

/** A real `baton serve` process on a database (file or URL); resolves once it listens. */
export async function serveProcess(db: string, env: Record<string, string>): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(process.execPath, [BIN, "serve", "--port", "0"], {
    env: { ...process.env, BATON_DB: db, BATON_LOG_LEVEL: "silent", BATON_PLAN_WEEKS: "4", ...env },
    stdio: ["ignore", "ignore", "pipe"],
  });
  const url = await new Promise<string>((resolve, reject) => {
    let banner = "";
    child.stderr!.on("data", (chunk) => {
      banner += String(chunk);
      const match = /Baton is serving on (http:\/\/\S+)/.exec(banner);
      if (match) resolve(match[1]!);
    });
    child.once("exit", (code) => reject(new Error(`server exited with ${code}: ${banner}`)));
  });
  return { child, url };
}

/** SIGKILL, and wait until the process is gone. */
export function killed(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    child.once("exit", () => resolve());
    child.kill("SIGKILL");
  });
}
