import { describe, expect, it } from "vitest";
import { Metrics } from "../../src/http/metrics";

const line = (text: string, start: string) => text.split("\n").find((l) => l.startsWith(start));

describe("the request and lookup series", () => {
  it("count into cumulative buckets, a time past the last bound only under +Inf, with sum and count", async () => {
    const metrics = new Metrics();
    for (const seconds of [0.0004, 0.003, 0.003, 3]) metrics.countRequest("GET", "/api/v1/oncall", 200, seconds);
    metrics.countRequest("GET", "/api/v1/oncall", 404, 0.002);
    metrics.countLookup("all", 0.02);
    const text = await metrics.render();
    const series = 'method="GET",route="/api/v1/oncall"';
    expect(line(text, 'baton_http_requests_total{method="GET",route="/api/v1/oncall",status="200"}')).toMatch(/ 4$/);
    expect(line(text, 'baton_http_requests_total{method="GET",route="/api/v1/oncall",status="404"}')).toMatch(/ 1$/);
    expect(line(text, `baton_http_request_duration_seconds_bucket{le="0.001",${series}}`)).toMatch(/ 1$/);
    expect(line(text, `baton_http_request_duration_seconds_bucket{le="0.0025",${series}}`)).toMatch(/ 2$/);
    expect(line(text, `baton_http_request_duration_seconds_bucket{le="0.005",${series}}`)).toMatch(/ 4$/);
    expect(line(text, `baton_http_request_duration_seconds_bucket{le="2.5",${series}}`)).toMatch(/ 4$/);
    expect(line(text, `baton_http_request_duration_seconds_bucket{le="+Inf",${series}}`)).toMatch(/ 5$/);
    expect(Number(line(text, `baton_http_request_duration_seconds_sum{${series}}`)!.split(" ")[1])).toBeCloseTo(3.0084, 6);
    expect(line(text, `baton_http_request_duration_seconds_count{${series}}`)).toMatch(/ 5$/);
    expect(line(text, 'baton_oncall_lookups_total{scope="all"}')).toMatch(/ 1$/);
    expect(line(text, 'baton_oncall_lookup_duration_seconds_bucket{le="0.025",scope="all"}')).toMatch(/ 1$/);
    expect(line(text, 'baton_oncall_lookup_duration_seconds_bucket{le="0.01",scope="all"}')).toMatch(/ 0$/);
  });
});
