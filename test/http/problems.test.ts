import { describe, expect, it } from "vitest";
import { createTestApp, type TestResponse } from "../helpers/app";
import { smallOrg } from "../helpers/factories";

async function expectProblem(res: TestResponse, status: number) {
  expect(res.status).toBe(status);
  expect(res.headers.get("content-type")).toBe("application/problem+json");
  const body = await res.json();
  expect(body).toMatchObject({ type: expect.any(String), title: expect.any(String), status, detail: expect.any(String) });
  return body;
}

describe("problem+json for every error", () => {
  it("404 for an unknown path", async () => {
    const t = await createTestApp();
    const body = await expectProblem(await t.request("GET", "/api/v1/nowhere"), 404);
    expect(body.instance).toBe("/api/v1/nowhere");
  });

  it("404 for an unknown team", async () => {
    const t = await createTestApp();
    const body = await expectProblem(await t.request("GET", "/api/v1/teams/ghost"), 404);
    expect(body.detail).toBe("team ghost not found");
  });

  it("405 with Allow for a method the path does not take", async () => {
    const t = await createTestApp();
    const res = await t.request("PATCH", "/api/v1/org", { body: {} });
    await expectProblem(res, 405);
    expect(res.headers.get("allow")).toBe("GET, HEAD, PUT");
  });

  it("400 for malformed JSON, naming the body", async () => {
    const t = await createTestApp();
    const body = await expectProblem(await t.request("PUT", "/api/v1/org", { body: '{"version": 1,' }), 400);
    expect(body.errors[0].path).toBe("(body)");
    expect(body.errors[0].message).toMatch(/malformed JSON/);
  });

  it("400 for an empty body where one is needed", async () => {
    const t = await createTestApp();
    await expectProblem(await t.request("PUT", "/api/v1/org"), 400);
  });

  it("400 naming each bad field of a time off", async () => {
    const t = await createTestApp();
    await t.importOrg(smallOrg());
    const body = await expectProblem(
      await t.request("POST", "/api/v1/members/ben/time-off", { body: { start: "2027-13-01", end: "2027-01-01", extra: 1 } }),
      400,
    );
    expect(body.errors.map((e: { path: string }) => e.path).sort()).toEqual(["extra", "start"]);
  });

  it("404 when deleting time off that is not there, and nothing changes", async () => {
    const t = await createTestApp();
    await t.importOrg(smallOrg());
    await expectProblem(await t.request("DELETE", "/api/v1/members/ana/time-off/9999"), 404);
    const list = await (await t.request("GET", "/api/v1/members/ana/time-off")).json();
    expect(list.timeOff).toHaveLength(1);
  });

  it("400 for a non-numeric time off id", async () => {
    const t = await createTestApp();
    await t.importOrg(smallOrg());
    const body = await expectProblem(await t.request("DELETE", "/api/v1/members/ana/time-off/abc"), 400);
    expect(body.errors[0].path).toBe("id");
  });

  it("400 for years Baton cannot have meant, and for ranges too long to serve beside lookups", async () => {
    const t = await createTestApp();
    await t.importOrg(smallOrg());
    for (const [path, field] of [
      ["/api/v1/oncall?team=alpha&at=0001-01-01T00:00:00Z", "at"],
      ["/api/v1/oncall?team=alpha&at=%2B275760-01-01T00:00:00Z", "at"],
      ["/api/v1/teams/alpha/coverage?from=0001-01-01", "from"],
      ["/api/v1/teams/alpha/coverage?from=2027-01-01&to=2127-01-01", "to"],
      ["/api/v1/teams/alpha/shifts?from=2027-01-01&to=2026-01-01", "to"],
      ["/api/v1/teams/alpha/fairness?from=2027-01-01&to=2030-01-01", "to"],
    ] as const) {
      const body = await expectProblem(await t.request("GET", path), 400);
      expect(body.errors[0].path, path).toBe(field);
    }
    const plan = await expectProblem(await t.request("POST", "/api/v1/teams/alpha/schedule/plan", { body: { weeks: 2, from: "0001-01-01" } }), 400);
    expect(plan.errors[0].path).toBe("from");
  });

  it("413 for a body over the limit", async () => {
    const t = await createTestApp({ env: { BATON_BODY_LIMIT_MB: "5" } });
    await expectProblem(await t.request("PUT", "/api/v1/org", { body: `{"x":"${"a".repeat(6 * 1024 * 1024)}"}` }), 413);
  });
});

describe("request ids", () => {
  it("echoes a given X-Request-Id and logs it", async () => {
    const t = await createTestApp();
    const res = await t.request("GET", "/healthz", { headers: { "x-request-id": "trace-abc-123" } });
    expect(res.headers.get("x-request-id")).toBe("trace-abc-123");
    expect(t.logs.at(-1)).toMatchObject({ requestId: "trace-abc-123", route: "/healthz", status: 200, method: "GET" });
  });

  it("generates one when none is given, also on errors", async () => {
    const t = await createTestApp();
    const res = await t.request("GET", "/api/v1/teams/ghost");
    const id = res.headers.get("x-request-id");
    expect(id).toMatch(/^[0-9a-f]{16}-[0-9a-z]+$/);
    expect(t.logs.every((line) => typeof line.requestId === "string")).toBe(true);
    expect(t.logs.at(-1)?.requestId).toBe(id);
    const next = await t.request("GET", "/api/v1/teams/ghost");
    expect(next.headers.get("x-request-id")).not.toBe(id);
  });

  it("replaces a request id that could forge log lines", async () => {
    const t = await createTestApp();
    const res = await t.request("GET", "/healthz", { headers: { "x-request-id": "bad id with spaces" } });
    // A fresh one instead: the process's hex prefix and a count.
    expect(res.headers.get("x-request-id")).toMatch(/^[0-9a-f]{16}-[0-9a-z]+$/);
  });
});

describe("metrics and health", () => {
  it("exposes request counts and latencies by route in Prometheus text format", async () => {
    const t = await createTestApp();
    await t.importOrg(smallOrg());
    await t.request("GET", "/api/v1/teams/alpha");
    await t.request("GET", "/api/v1/teams/ghost");
    const res = await t.request("GET", "/metrics", { token: null });
    expect(res.headers.get("content-type")).toMatch(/^text\/plain; version=0\.0\.4/);
    const text = await res.text();
    expect(text).toContain("# TYPE baton_http_requests_total counter");
    expect(text).toContain('baton_http_requests_total{method="GET",route="/api/v1/teams/:team",status="200"} 1');
    expect(text).toContain('baton_http_requests_total{method="GET",route="/api/v1/teams/:team",status="404"} 1');
    expect(text).toContain("# TYPE baton_http_request_duration_seconds histogram");
    expect(text).toMatch(/baton_http_request_duration_seconds_bucket\{le="\+Inf",method="GET",route="\/api\/v1\/teams\/:team"\} 2/);
    expect(text).toMatch(/baton_http_request_duration_seconds_count\{method="GET",route="\/api\/v1\/teams\/:team"\} 2/);
    // Blank lines between metric families are part of the format.
    for (const line of text.trim().split("\n").filter((line) => line !== "")) {
      // prom-client writes NaN as "Nan" (an event-loop lag before its first sample); Prometheus reads either.
      expect(line).toMatch(/^(# (HELP|TYPE) \w+ .+|\w+(\{[^}]*\})? ([0-9.e+-]+|Nan|NaN|[+-]Inf))$/);
    }
  });

  it("times database transactions by backend, shows the pool on PostgreSQL, and carries Node's process metrics", async () => {
    const t = await createTestApp();
    await t.importOrg(smallOrg());
    const text = await (await t.request("GET", "/metrics", { token: null })).text();
    const backend = t.db.backend;
    expect(text).toContain("# TYPE baton_db_transaction_duration_seconds histogram");
    expect(Number(text.match(new RegExp(`baton_db_transaction_duration_seconds_count\\{backend="${backend}"\\} (\\d+)`))?.[1])).toBeGreaterThan(0);
    if (backend === "postgres") expect(text).toMatch(/baton_db_pool_clients\{state="idle"\} \d+/);
    else expect(text).not.toContain("baton_db_pool_clients");
    for (const name of ["nodejs_eventloop_lag_seconds", "nodejs_heap_size_used_bytes", "nodejs_gc_duration_seconds", "process_cpu_seconds_total"]) {
      expect(text).toContain(`# TYPE ${name} `);
    }
  });

  it("keeps each app's counts its own when one process holds several", async () => {
    const one = await createTestApp();
    const two = await createTestApp();
    await one.request("GET", "/healthz", { token: null });
    const text = await (await two.request("GET", "/metrics", { token: null })).text();
    expect(text).not.toContain('route="/healthz"');
  });

  it("reports health with the database and migrations", async () => {
    const t = await createTestApp();
    const body = await (await t.request("GET", "/healthz", { token: null })).json();
    expect(body).toMatchObject({ status: "ok", version: expect.any(String), database: { reachable: true, migrations: { atHead: true } } });
  });

  it("describes every API route in the OpenAPI document from the same schemas", async () => {
    const t = await createTestApp();
    const doc = await (await t.request("GET", "/api/v1/openapi.json", { token: null })).json();
    expect(doc.openapi).toBe("3.1.0");
    for (const route of t.app.apiRoutes) {
      const path = `/api/v1${route.path.replace(/:(\w+)/g, "{$1}")}`;
      expect(doc.paths[path]?.[route.method], `${route.method} ${path}`).toBeDefined();
    }
    expect(doc.paths["/api/v1/org"].put.requestBody.content["application/json"].schema.required).toContain("members");
  });
});
