import type { z } from "zod";
import { formatPath } from "../domain/errors";
import { VendorError } from "./http";

/** A vendor answer checked against the shape Baton reads; a surprise is an error naming the field, not a crash later. */
export function parseVendor<S extends z.ZodType>(schema: S, data: unknown, what: string): z.output<S> {
  const result = schema.safeParse(data);
  if (result.success) return result.data;
  const issue = result.error.issues[0]!;
  throw new VendorError(`${what}: unexpected answer at ${formatPath(issue.path) || "(top)"}: ${issue.message}; nothing was stored`);
}
