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

export type FieldError = { path: string; message: string };

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

/** `teams[0].rotations[1].members[3]` from a path of keys and indexes. */
export function formatPath(path: readonly PropertyKey[]): string {
  let out = "";
  for (const key of path) {
    if (typeof key === "number") out += `[${key}]`;
    else out += out === "" ? String(key) : `.${String(key)}`;
  }
  return out;
}
