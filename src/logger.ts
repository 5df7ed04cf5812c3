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

/** Lines are written in batches of about this many bytes, or a second after the first line of a batch. */
const BATCH_BYTES = 4096;
const BATCH_WAIT_MS = 1_000;

/**
 * Standard output (or another file) written in the background and in
 * batches: a write per request line, even an asynchronous one, costs the
 * on-call lookup a large share of its throughput. A quiet server's lines
 * are written within a second; whatever is buffered is written at exit.
 */
export function asyncDestination(dest: number | string = 1): DestinationStream {
  const stream = pino.destination({ dest, sync: false, minLength: BATCH_BYTES });
  const timer = setInterval(() => stream.flush(), BATCH_WAIT_MS);
  timer.unref();
  stream.once("close", () => clearInterval(timer));
  return stream;
}

/** For apps made without a log (the CLI's, the benchmark's). */
export const silentLogger = (): Logger => pino({ level: "silent" });
