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
/** The most bytes a string of n UTF-16 code units can take in UTF-8. */
const UTF8_BYTES_PER_UNIT = 3;

/**
 * Standard output (or another file) written in the background and in
 * batches: a write per request line, even an asynchronous one, costs the
 * on-call lookup a large share of its throughput. Each line is copied into
 * a buffer as UTF-8 as soon as pino makes it, so that the string dies young
 * (held strings outlived the young generation and made the collector copy
 * them), and the buffer is handed to pino's destination, as bytes, once full.
 * A quiet server's lines are written within a second; whatever is held is
 * written at exit.
 */
export function asyncDestination(dest: number | string = 1): DestinationStream {
  const fd = typeof dest === "number" ? dest : openSync(dest, "a");
  // pino's destination writes what it is handed in order, one write at a time; "buffer" takes bytes as they are.
  const file = pino.destination({ dest: fd, sync: false, contentMode: "buffer" });
  let batch = Buffer.allocUnsafe(BATCH_BYTES);
  let used = 0;
  const take = () => {
    const full = batch.subarray(0, used);
    batch = Buffer.allocUnsafe(BATCH_BYTES);
    used = 0;
    return full;
  };
  // sonic-boom's types know only strings; in "buffer" mode it takes bytes.
  const writeBytes = (bytes: Buffer) => file.write(bytes as unknown as string);
  const handOver = () => {
    if (used > 0) writeBytes(take());
  };
  const timer = setInterval(handOver, BATCH_WAIT_MS);
  timer.unref();
  const atExit = () => {
    if (used === 0) return;
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
      const most = line.length * UTF8_BYTES_PER_UNIT;
      if (used + most > BATCH_BYTES) handOver();
      if (most > BATCH_BYTES) writeBytes(Buffer.from(line));
      else used += batch.write(line, used);
    },
  };
}

const waitingWrites = new Set<() => void>();
const writeIfWaiting = (write: () => void) => {
  if (!waitingWrites.delete(write)) return;
  try {
    write();
  } catch {
    // The log's destination failed (closed, or its reader gone): there is nowhere to say so, and the other writes still go.
  }
};
// Added as this module loads, so before any destination's own exit hook, which then finds these lines to write.
process.on("exit", () => waitingWrites.forEach(writeIfWaiting));

/**
 * Runs `write`, which logs lines gathered during this turn of the event
 * loop, once the turn has answered what it was answering (setImmediate runs
 * after the turn's I/O), or at exit if that comes first: once, however
 * often it is asked for in the turn. A write that throws is dropped. Why
 * the on-call lookup's lines wait for it is in the README.
 */
export function afterTurn(write: () => void): void {
  waitingWrites.add(write);
  setImmediate(writeIfWaiting, write);
}

/** For apps made without a log (the CLI's, the benchmark's). */
export const silentLogger = (): Logger => pino({ level: "silent" });
