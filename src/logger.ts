import { openSync, writeSync } from "node:fs";
import { pino, type DestinationStream, type Logger } from "pino";
import type { Config } from "./config";

export type { DestinationStream, Logger };

let stampedAt = 0;
let stamp = "";
/**
 * pino's ISO time, formatted once per millisecond: under load many lines
 * share one, and toISOString was a third of the cost of a request's line.
 */
const isoTime = () => {
  const now = Date.now();
  if (now !== stampedAt) {
    stampedAt = now;
    stamp = `,"time":"${new Date(now).toISOString()}"`;
  }
  return stamp;
};

/**
 * Baton's log: one JSON line per event, the level by name and the time in
 * ISO 8601 (as before pino), with pino's pid and hostname to tell instances apart.
 */
export function jsonLogger(level: Config["BATON_LOG_LEVEL"], destination: DestinationStream): Logger {
  return pino({ level, timestamp: isoTime, formatters: { level: (label) => ({ level: label }) } }, destination);
}

/** Lines are handed to the file in batches of about this many bytes, and whatever is gathered every second. */
const BATCH_BYTES = 64 * 1024;
const BATCH_WAIT_MS = 1_000;

/**
 * Standard output (or another file) written in the background and in
 * batches: a write per request line, even an asynchronous one, costs the
 * on-call lookup a large share of its throughput. Lines are gathered here
 * and handed to pino's destination a batch at a time, because it measures
 * everything it holds again on every line it is given and converts what it
 * wrote back into a Buffer, which cost the lookup more than building the
 * line. A quiet server's lines are written within a second; whatever is
 * held is written at exit.
 */
export function asyncDestination(dest: number | string = 1): DestinationStream {
  const fd = typeof dest === "number" ? dest : openSync(dest, "a");
  // pino's destination writes what it is handed in order, one write at a time.
  const file = pino.destination({ dest: fd, sync: false });
  let lines: string[] = [];
  let size = 0;
  const take = () => {
    const batch = lines.join("");
    lines = [];
    size = 0;
    return batch;
  };
  const handOver = () => {
    if (lines.length > 0) file.write(take());
  };
  const timer = setInterval(handOver, BATCH_WAIT_MS);
  timer.unref();
  const atExit = () => {
    if (lines.length === 0) return;
    try {
      // The older lines the destination still holds first (its own exit hook then finds nothing left), then these.
      file.flushSync();
      writeSync(fd, take());
    } catch {
      // The log's reader is gone (EPIPE) or the destination was closed: nothing more can be written.
    }
  };
  process.on("exit", atExit);
  file.once("close", () => {
    clearInterval(timer);
    process.off("exit", atExit);
  });
  return {
    write(line: string) {
      lines.push(line);
      size += line.length;
      if (size >= BATCH_BYTES) handOver();
    },
  };
}

/** For apps made without a log (the CLI's, the benchmark's). */
export const silentLogger = (): Logger => pino({ level: "silent" });
