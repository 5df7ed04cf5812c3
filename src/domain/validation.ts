import type { z } from "zod";
import { formatPath, invalid, type FieldError } from "./errors";

/** Field errors a user can act on, one per problem, each naming its path (and, given the input, the ids along it). */
export function fieldErrors(error: z.ZodError, prefix: PropertyKey[] = [], input?: unknown): FieldError[] {
  const located = (path: PropertyKey[], message: string): FieldError => {
    const plain = formatPath([...prefix, ...path]) || "(body)";
    const where = input === undefined ? plain : formatPath([...prefix, ...path], prefix.length === 0 ? input : undefined) || "(body)";
    return where === plain ? { path: plain, message } : { path: plain, where, message };
  };
  return error.issues.flatMap((issue) => {
    if (issue.code === "unrecognized_keys") return issue.keys.map((key) => located([...issue.path, key], "unknown key"));
    return [located(issue.path, issue.message)];
  });
}

/** Parses input at the edge or throws a validation BatonError naming every bad field. */
export function parseOrThrow<S extends z.ZodType>(schema: S, input: unknown, prefix: PropertyKey[] = []): z.output<S> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  throw invalid(fieldErrors(result.error, prefix, input));
}

/** JSON.parse, with a syntax error's place given as a line and column (an editor's terms) instead of an offset. */
export function parseJsonText(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    const message = (error as Error).message;
    const offset = Number(/at position (\d+)/.exec(message)?.[1] ?? text.length);
    const before = text.slice(0, offset).split("\n");
    const reason = message.replace(/ in JSON at position \d+.*$/, "").replace(/^Unexpected end of JSON input$/, "the text ends before the JSON does");
    throw invalid([{ path: "(body)", message: `malformed JSON at line ${before.length}, column ${before.at(-1)!.length + 1}: ${reason}` }], "the text is not valid JSON");
  }
}
