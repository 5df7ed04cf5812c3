import type { z } from "zod";
import { formatPath, invalid, type FieldError } from "./errors";

/** Field errors a user can act on, one per problem, each naming its path. */
export function fieldErrors(error: z.ZodError, prefix: PropertyKey[] = []): FieldError[] {
  return error.issues.flatMap((issue) => {
    if (issue.code === "unrecognized_keys") {
      return issue.keys.map((key) => ({ path: formatPath([...prefix, ...issue.path, key]), message: "unknown key" }));
    }
    return [{ path: formatPath([...prefix, ...issue.path]) || "(body)", message: issue.message }];
  });
}

/** Parses input at the edge or throws a validation BatonError naming every bad field. */
export function parseOrThrow<S extends z.ZodType>(schema: S, input: unknown, prefix: PropertyKey[] = []): z.output<S> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  throw invalid(fieldErrors(result.error, prefix));
}
