import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { asyncDestination, jsonLogger } from "../src/logger";

const dirs: string[] = [];
afterEach(() => dirs.splice(0).forEach((dir) => rmSync(dir, { recursive: true, force: true })));

function logFile(): string {
  const dir = mkdtempSync(join(tmpdir(), "baton-log-"));
  dirs.push(dir);
  return join(dir, "baton.log");
}

const linesOf = (path: string) =>
  readFileSync(path, "utf8")
    .split("\n")
    .filter(Boolean)
    .map((line) => JSON.parse(line) as { n: number; msg: string });

describe("the batched log destination", () => {
  it("writes every line once, in order: full batches at once, the rest within a second", async () => {
    const path = logFile();
    const log = jsonLogger("info", asyncDestination(path));
    // Enough for several full batches and a part-filled last one.
    for (let n = 0; n < 1_000; n++) log.info({ n, requestId: "0b7f5c2e-8a4d-4f1e-9c3b-2d6a1e5f7a90" }, "request");
    await expect.poll(() => linesOf(path).length, { timeout: 5_000, interval: 100 }).toBe(1_000);
    expect(linesOf(path).map((line) => line.n)).toEqual([...Array(1_000).keys()]);
  });

  it("writes the lines it still holds when the process exits, with those waiting for the turn to end, though one such write fails", () => {
    const path = logFile();
    const script = `
      import { afterTurn, asyncDestination, jsonLogger } from ${JSON.stringify(join(import.meta.dirname, "../src/logger.ts"))};
      const log = jsonLogger("info", asyncDestination(${JSON.stringify(path)}));
      log.info({ n: 0 }, "first");
      log.info({ n: 1 }, "last words");
      afterTurn(() => {
        throw new Error("this write's destination is gone");
      });
      afterTurn(() => log.info({ n: 2 }, "waiting for the turn to end"));
      process.exit(0);
    `;
    execFileSync(process.execPath, ["--import", "tsx", "--input-type=module", "-e", script]);
    expect(linesOf(path).map((line) => line.msg)).toEqual(["first", "last words", "waiting for the turn to end"]);
  });
});
