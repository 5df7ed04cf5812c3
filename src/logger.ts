import { pino, type DestinationStream, type Logger } from "pino";
import type { Config } from "./config";

export type { DestinationStream, Logger };

/**
 * Baton's log: one JSON line per event, the level by name and the time in
 * ISO 8601 (as before pino), with pino's pid and hostname to tell instances apart.
 */
export function jsonLogger(level: Config["BATON_LOG_LEVEL"], destination: DestinationStream): Logger {
  return pino({ level, timestamp: pino.stdTimeFunctions.isoTime, formatters: { level: (label) => ({ level: label }) } }, destination);
}

/**
 * Standard output written in the background: a synchronous write per request
 * would cost the on-call lookup a large share of its throughput. Whatever is
 * still buffered is written when the process exits.
 */
export function asyncStdout(): DestinationStream {
  return pino.destination({ dest: 1, sync: false });
}

/** For apps made without a log (the CLI's, the benchmark's). */
export const silentLogger = (): Logger => pino({ level: "silent" });
