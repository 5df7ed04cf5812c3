import type { BatonError, ErrorCode, FieldError } from "../domain/errors";

const STATUS: Record<ErrorCode, number> = {
  validation: 400,
  unauthenticated: 401,
  forbidden: 403,
  "not-found": 404,
  "method-not-allowed": 405,
  conflict: 409,
  "too-large": 413,
  "not-implemented": 501,
};

const TITLE: Record<ErrorCode, string> = {
  validation: "Invalid request",
  unauthenticated: "Authentication required",
  forbidden: "Forbidden",
  "not-found": "Not found",
  "method-not-allowed": "Method not allowed",
  conflict: "Conflict",
  "too-large": "Request too large",
  "not-implemented": "Not implemented yet",
};

export type ProblemBody = {
  type: string;
  title: string;
  status: number;
  detail: string;
  instance?: string;
  errors?: FieldError[];
};

export function statusOf(code: ErrorCode): number {
  return STATUS[code];
}

/** RFC 9457 problem details for a Baton error. */
export function problemResponse(error: BatonError, instance: string, headers: Record<string, string> = {}): Response {
  const body: ProblemBody = {
    type: `https://baton.dev/problems/${error.code}`,
    title: TITLE[error.code],
    status: STATUS[error.code],
    detail: error.message,
    instance,
    ...(error.errors.length > 0 ? { errors: error.errors } : {}),
  };
  return new Response(JSON.stringify(body), {
    status: body.status,
    headers: { "content-type": "application/problem+json", ...headers },
  });
}

export function internalProblem(instance: string, headers: Record<string, string>): Response {
  return new Response(
    JSON.stringify({ type: "about:blank", title: "Internal error", status: 500, detail: "something went wrong; the request id names it in the logs", instance }),
    { status: 500, headers: { "content-type": "application/problem+json", ...headers } },
  );
}
