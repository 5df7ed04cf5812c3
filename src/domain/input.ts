import { z } from "zod";
import { isValidDate, toIsoZ, tryParseInstant } from "./time";

/**
 * The zod schemas for values every edge takes in the same way, so that an
 * instant, a date or an id is read alike by the org file, the API and the CLI.
 */

/** An instant with an offset (within ±14:00) or Z, years 1970–9999; out as UTC `Z`. */
export const instantSchema = z
  .string()
  .refine((s) => tryParseInstant(s) !== null, "must be an ISO 8601 instant with an offset (at most ±14:00) or Z in the years 1970–9999, e.g. 2027-03-20T09:00:00Z")
  .transform((s) => toIsoZ(tryParseInstant(s)!));

/** A calendar date YYYY-MM-DD in the years 1970–9999. */
export const dateSchema = z.string().refine(isValidDate, "must be a calendar date YYYY-MM-DD in the years 1970–9999");

/** A stored row's number: decimal digits only (`Number()` would read 0x10 as 16 and 1e1 as 10). */
export const decimalIdSchema = (message = "must be a positive whole number in decimal digits") =>
  z
    .string()
    .regex(/^[1-9]\d{0,14}$/, message)
    .transform(Number);

/** A query flag: `true` or `false`, nothing else (`?x=yes` is a typo, not a yes). */
export const booleanQuery = z.enum(["true", "false"], { error: "must be true or false" }).transform((s) => s === "true");

// C0 and C1 control characters and DEL; a tab or a line break is not allowed in a one-line name either.
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/;
// Notes may hold tabs and run over lines; every other control character is refused.
const CONTROL_EXCEPT_LINES = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]/;

/** A one-line name: trimmed, 1–`max` characters, no control characters. */
export const nameSchema = (max = 200) =>
  z.string().trim().min(1).max(max).refine((s) => !CONTROL.test(s), "must not contain control characters");

/** Free text such as a note: line breaks allowed, other control characters not. */
export const noteSchema = (max = 500) =>
  z.string().max(max, `must be at most ${max} characters`).refine((s) => !CONTROL_EXCEPT_LINES.test(s), "must not contain control characters other than tabs and line breaks");
