/** Baton's one error vocabulary; the HTTP layer maps each code to a status. */
export type ErrorCode =
  | "validation"
  | "unauthenticated"
  | "forbidden"
  | "not-found"
  | "method-not-allowed"
  | "conflict"
  | "too-large"
  | "not-implemented";

/** `path` is for programs; `where`, when it differs, is the path with each element's id beside its index, for people. */
export type FieldError = { path: string; where?: string; message: string };

export class BatonError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly errors: FieldError[] = [],
  ) {
    super(message);
  }
}

export const notFound = (what: string) => new BatonError("not-found", `${what} not found`);
export const forbidden = (why: string) => new BatonError("forbidden", why);
export const conflict = (why: string) => new BatonError("conflict", why);
export const invalid = (errors: FieldError[], message = "the request is not valid") =>
  new BatonError("validation", message, errors);

/**
 * `teams[0].rotations[1].members[3]` from a path of keys and indexes; given
 * the input it points into, `members[25] (id "zoe").timeZone`, so that a
 * person finds the element without counting.
 */
export function formatPath(path: readonly PropertyKey[], input?: unknown): string {
  let out = "";
  let here: unknown = input;
  for (const key of path) {
    if (typeof key === "number") out += `[${key}]`;
    else out += out === "" ? String(key) : `.${String(key)}`;
    here = here !== null && typeof here === "object" ? (here as Record<PropertyKey, unknown>)[key] : undefined;
    const id = typeof key === "number" && here !== null && typeof here === "object" ? (here as { id?: unknown }).id : undefined;
    if (typeof id === "string") out += ` (id ${JSON.stringify(id)})`;
  }
  return out;
}
