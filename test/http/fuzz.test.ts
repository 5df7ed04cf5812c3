import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { ADMIN_TOKEN, createTestApp } from "../helpers/app";
import { commitCounter } from "../helpers/data-version";
import { smallOrg } from "../helpers/factories";

/**
 * Every route of the OpenAPI document, fed requests built from its own
 * schemas with edge values mixed in: no answer is a 5xx, and no 4xx commits
 * anything. Seeded and bounded, so a failure replays exactly.
 */

type JsonSchema = {
  type?: string | string[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  items?: JsonSchema;
  enum?: unknown[];
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  const?: unknown;
  minimum?: number;
  maximum?: number;
};
type Operation = { parameters: { name: string; in: "path" | "query"; schema: JsonSchema }[]; requestBody?: { content: { "application/json": { schema: JsonSchema } } } };

/** Strings that have broken parsers before: extreme and malformed dates, offsets, ids, control characters. */
const USUAL_TIMES = ["2027-01-12", "2027-01-20", "2027-03-01", "2027-01-12T10:00:00Z", "2027-01-19T10:00:00Z", "2027-01-26T10:00:00+01:00"];
const EXTREME_TIMES = [
  "1970-01-01", "9999-12-31", "9999-12-10", "9999-11-01", "1970-01-01T00:00:00Z", "9999-12-31T23:59:59Z", "9999-12-24T00:00:00Z",
  "2027-01-12T10:00:00+14:00", "2027-01-12T10:00:00-14:00",
];
const MALFORMED_TIMES = [
  "2027-02-30", "1969-12-31", "10000-01-01", "+010000-01-01", "2027-01-01T00:00:00+99:00", "2027-01-01T00:00:00+14:01",
  "2027-W02-2", "2027-012", "2027-01-12T25:00:00Z", "2027-01-12T10:00Z", "2027-01-12 10:00:00Z",
];
const TIMES = [...USUAL_TIMES, ...EXTREME_TIMES, ...MALFORMED_TIMES];
const IDS = ["alpha", "bravo", "ana", "ben", "cat", "eve", "primary", "nobody", "0x10", "1e1", "1", "-1", ""];
const TEXT = ["", " ", "a\u0000b", "\u001b[31m", "line\nbreak", "é", "😀", "<script>", "../../etc/passwd", "%00", "x".repeat(2000)];
const RULES = ["FREQ=WEEKLY;BYDAY=FR", "FREQ=SECONDLY", "FREQ=DAILY;COUNT=0", "FREQ=YEARLY;UNTIL=99991231", "nonsense"];
const SHIFTS = ["alpha~primary~20270112T1000Z~20270119T1000Z", "alpha~primary~20270119T1000Z~20270126T1000Z", "alpha~primary~99991231T1000Z~99991231T1100Z", "~~~"];
const EDGE_STRINGS = [...TIMES, ...IDS, ...TEXT, ...RULES, ...SHIFTS, "0", "2", "99999999999999999999", "NaN", "null", "true", "false", "yes", "cover", "trade", "open", "Europe/London", "Mars/Olympus"];

/** Strings for a field, by its name: times for `from`/`at`, ids for `member`, and so on, with anything at all mixed in. */
function edgeStringFor(name: string): fc.Arbitrary<string> {
  if (/^(from|to|at|start|end|startDate|endDate)$/.test(name)) {
    // Usual, extreme and malformed times equally often: the extremes are where arithmetic broke.
    return fc.oneof(fc.constantFrom(...USUAL_TIMES), fc.constantFrom(...EXTREME_TIMES), fc.constantFrom(...MALFORMED_TIMES), fc.string({ maxLength: 30 }));
  }
  const pool = /^(member|asMember|team|rotation|id)$/.test(name)
      ? IDS
      : /rrule/.test(name)
        ? RULES
        : /^(note|name)$/.test(name)
          ? TEXT
          : name === "shift" || name === "offered"
            ? SHIFTS
            : EDGE_STRINGS;
  return fc.oneof({ weight: 6, arbitrary: fc.constantFrom(...pool) }, { weight: 1, arbitrary: fc.constantFrom(...EDGE_STRINGS) }, { weight: 1, arbitrary: fc.string({ maxLength: 30 }) });
}

const edgeNumber = fc.oneof(
  fc.constantFrom(0, 1, 2, 4, 12, 52, 104, 105, -1, 1.5, 1e9, Number.MAX_SAFE_INTEGER, 40320, 40321),
  fc.integer({ min: -1000, max: 1000 }),
);

/** A value that mostly fits the schema (so requests get past the edge), with misfits mixed in. */
function fromSchema(schema: JsonSchema, name = "", depth = 0): fc.Arbitrary<unknown> {
  const options = schema.anyOf ?? schema.oneOf;
  if (options) return fc.oneof(...options.map((s) => fromSchema(s, name, depth)), edgeStringFor(name));
  if (schema.enum) return fc.oneof({ weight: 4, arbitrary: fc.constantFrom(...schema.enum) }, { weight: 1, arbitrary: edgeStringFor(name) });
  if (schema.const !== undefined) return fc.constant(schema.const);
  const type = Array.isArray(schema.type) ? schema.type[0] : schema.type;
  switch (type) {
    case "string":
      return edgeStringFor(name);
    case "integer":
    case "number":
      // Mostly in range, so that a request gets past its schema to the arithmetic behind it.
      return schema.minimum !== undefined && schema.maximum !== undefined
        ? fc.oneof({ weight: 3, arbitrary: fc.constantFrom(schema.minimum, schema.maximum, Math.min(schema.minimum + 1, schema.maximum)) }, { weight: 1, arbitrary: edgeNumber })
        : edgeNumber;
    case "boolean":
      return fc.oneof(fc.boolean(), edgeStringFor(name));
    case "null":
      return fc.constant(null);
    case "array":
      return depth > 3 ? fc.constant([]) : fc.array(fromSchema(schema.items ?? {}, name, depth + 1), { maxLength: 3 });
    case "object": {
      if (depth > 3) return fc.constant({});
      const properties = schema.properties ?? {};
      const required = new Set(schema.required ?? []);
      const record = fc.record(Object.fromEntries(Object.entries(properties).map(([k, s]) => [k, fromSchema(s, k, depth + 1)])), {
        requiredKeys: Object.keys(properties).filter((k) => required.has(k)),
      });
      return fc.oneof({ weight: 4, arbitrary: record }, { weight: 1, arbitrary: record.map((r) => ({ ...r, unexpected: 1 })) });
    }
    default:
      return fc.jsonValue({ maxDepth: 2 });
  }
}

const PATH_VALUES: Record<string, string[]> = {
  team: ["alpha", "bravo", "nobody"],
  member: ["ben", "ana", "eve", "nobody"],
  id: ["1", "2", "3", "0x1", "1e0", "0", "-1", "99999999999999999999"],
};

function pathValue(name: string): fc.Arbitrary<string> {
  return fc.oneof({ weight: 4, arbitrary: fc.constantFrom(...(PATH_VALUES[name] ?? ["x"])) }, { weight: 1, arbitrary: edgeStringFor(name).filter((s) => s !== "") });
}

describe("fuzzing every route of the OpenAPI document", async () => {
  const t = await createTestApp();
  await t.importOrg(smallOrg());
  for (const team of ["alpha", "bravo"]) await t.request("POST", `/api/v1/teams/${team}/schedule/apply`, { body: { weeks: 8 } });
  const doc = (await (await t.request("GET", "/api/v1/openapi.json")).json()) as { paths: Record<string, Record<string, Operation>> };
  const commits = await commitCounter(t.path);
  const tokens = [ADMIN_TOKEN, await t.memberToken("ben"), await t.memberToken("ana"), null, "bt_p_not-a-token"];

  const operations = Object.entries(doc.paths).flatMap(([path, methods]) => Object.entries(methods).map(([method, op]) => [method.toUpperCase(), path, op] as const));

  it("covers every route the app mounts", () => {
    expect(operations.length).toBe(t.app.apiRoutes.length);
  });

  it.each(operations.map(([method, path, op]) => [method, path, op] as const))("%s %s", async (method, path, op) => {
    const pathParams = op.parameters.filter((p) => p.in === "path");
    const queryParams = op.parameters.filter((p) => p.in === "query");
    const body = op.requestBody?.content["application/json"].schema;
    const request = fc.record({
      path: fc.record(Object.fromEntries(pathParams.map((p) => [p.name, pathValue(p.name)]))),
      // Any subset of the query parameters, each subset as likely: `from` alone is where a default `to` ran past 9999.
      query: fc.subarray(queryParams).chain((chosen) => fc.record(Object.fromEntries(chosen.map((p) => [p.name, fromSchema(p.schema, p.name)])))),
      body: body ? fc.oneof({ weight: 5, arbitrary: fromSchema(body) }, { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 2 }) }, { weight: 1, arbitrary: fc.constantFrom("{", "[1,", "\u0000", "") }) : fc.constant(undefined),
      token: fc.oneof({ weight: 6, arbitrary: fc.constantFrom(tokens[0], tokens[1]) }, { weight: 1, arbitrary: fc.constantFrom(...tokens) }),
    });
    await fc.assert(
      fc.asyncProperty(request, async (r) => {
        const url =
          path.replace(/\{(\w+)\}/g, (_, name: string) => encodeURIComponent(r.path[name]!)) +
          (Object.keys(r.query).length > 0 ? `?${new URLSearchParams(Object.entries(r.query).map(([k, v]): [string, string] => [k, String(v)])).toString()}` : "");
        const before = (await commits());
        const res = await t.request(method, url, { token: r.token, body: r.body });
        const text = await res.text();
        if (res.status >= 500) throw new Error(`${method} ${url} answered ${res.status}: ${text}`);
        if (res.status >= 400 && (await commits()) !== before) throw new Error(`${method} ${url} answered ${res.status} but committed a change: ${text}`);
      }),
      { seed: 20261201, numRuns: 250, endOnFailure: true },
    );
  }, 120_000);
});
