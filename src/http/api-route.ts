import type { Context, Hono } from "hono";
import { z } from "zod";
import { BatonError, invalid } from "../domain/errors";
import { parseJsonText, parseOrThrow } from "../domain/validation";
import type { ServiceContext } from "../services/context";
import type { AppEnv } from "./env";

/** public: no token; reader: any valid token (members read everything); admin: the admin token. */
export type Access = "public" | "reader" | "admin";
export type Method = "get" | "post" | "put" | "delete";

type Schema = z.ZodType;
type Out<S> = S extends z.ZodType ? z.output<S> : undefined;

export type ApiRoute<P extends Schema | undefined = Schema | undefined, Q extends Schema | undefined = Schema | undefined, B extends Schema | undefined = Schema | undefined> = {
  method: Method;
  /** Hono path under /api/v1, e.g. `/teams/:team`. */
  path: string;
  summary: string;
  access: Access;
  params?: P;
  query?: Q;
  body?: B;
  status?: 200 | 201 | 202;
  handle: (input: { ctx: ServiceContext; params: Out<P>; query: Out<Q>; body: Out<B>; c: Context<AppEnv> }) => unknown;
};

/** Declares a route; the schemas validate input and also describe it in the OpenAPI document. */
export function apiRoute<P extends Schema | undefined, Q extends Schema | undefined, B extends Schema | undefined>(
  route: ApiRoute<P, Q, B>,
): ApiRoute {
  return route as unknown as ApiRoute;
}

async function readJsonBody(c: Context): Promise<unknown> {
  const text = await c.req.text();
  if (text.trim() === "") return undefined;
  return parseJsonText(text);
}

function parse(schema: Schema | undefined, input: unknown): unknown {
  if (!schema) return undefined;
  return parseOrThrow(schema, input);
}

/**
 * A write that ignored a parameter it does not know could do something other
 * than what was asked (a misspelt `dryRun` would import for real): refuse it.
 */
function refuseUnknownQuery(route: ApiRoute, query: Record<string, string>): void {
  const known = route.query instanceof z.ZodObject ? Object.keys(route.query.shape) : [];
  const unknown = Object.keys(query).filter((name) => !known.includes(name));
  if (unknown.length > 0) {
    throw invalid(
      unknown.map((name) => ({ path: name, message: `unknown query parameter${known.length > 0 ? `; this route takes ${known.join(", ")}` : ""}` })),
      `${route.method.toUpperCase()} ${API_PREFIX}${route.path} does not take the query parameter ${unknown.join(", ")}`,
    );
  }
}

export const API_PREFIX = "/api/v1";

export function mountApiRoutes(app: Hono<AppEnv>, routes: ApiRoute[], serviceContext: (c: Context<AppEnv>) => ServiceContext): void {
  for (const route of routes) {
    app.on(route.method.toUpperCase(), API_PREFIX + route.path, async (c) => {
      c.set("route", API_PREFIX + route.path);
      const ctx = serviceContext(c);
      if (route.access !== "public" && ctx.actor.kind === "anonymous") {
        throw new BatonError("unauthenticated", "send Authorization: Bearer <token> (the admin token or your personal token)");
      }
      if (route.access === "admin" && ctx.actor.kind !== "admin") throw new BatonError("forbidden", "only an admin may do this");
      const params = parse(route.params, c.req.param());
      if (route.method !== "get") refuseUnknownQuery(route, c.req.query());
      const query = parse(route.query, c.req.query());
      const body = route.body ? parse(route.body, await readJsonBody(c)) : undefined;
      const result = await route.handle({ ctx, params, query, body, c } as never);
      if (result instanceof Response) return result;
      return c.json(result as object, route.status ?? 200);
    });
  }
}

const openApiPath = (path: string) => path.replace(/:([A-Za-z0-9_]+)/g, "{$1}");

function parametersOf(schema: Schema | undefined, location: "path" | "query") {
  if (!(schema instanceof z.ZodObject)) return [];
  return Object.entries(schema.shape as Record<string, Schema>).map(([name, field]) => ({
    name,
    in: location,
    required: location === "path" || !field.safeParse(undefined).success,
    schema: z.toJSONSchema(field, { io: "input", unrepresentable: "any" }),
  }));
}

/** OpenAPI 3.1 document built from the same zod schemas that validate requests. */
export function openApiDocument(routes: ApiRoute[], version: string, serverUrl: string): unknown {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const route of routes) {
    const path = openApiPath(API_PREFIX + route.path);
    paths[path] ??= {};
    paths[path][route.method] = {
      summary: route.summary,
      ...(route.access === "public" ? { security: [] } : {}),
      ...(route.access === "admin" ? { description: "Admin token required." } : {}),
      parameters: [...parametersOf(route.params, "path"), ...parametersOf(route.query, "query")],
      ...(route.body
        ? { requestBody: { required: true, content: { "application/json": { schema: z.toJSONSchema(route.body, { io: "input", unrepresentable: "any" }) } } } }
        : {}),
      responses: {
        [String(route.status ?? 200)]: { description: "Success", content: { "application/json": {} } },
        default: { description: "Problem", content: { "application/problem+json": { schema: { $ref: "#/components/schemas/Problem" } } } },
      },
    };
  }
  return {
    openapi: "3.1.0",
    info: { title: "Baton", version, description: "Self-hosted on-call rotas: fair, holiday-aware, follow-the-sun." },
    servers: [{ url: serverUrl }],
    security: [{ bearer: [] }],
    paths,
    components: {
      securitySchemes: { bearer: { type: "http", scheme: "bearer" } },
      schemas: {
        Problem: {
          type: "object",
          required: ["type", "title", "status", "detail"],
          properties: {
            type: { type: "string" },
            title: { type: "string" },
            status: { type: "integer" },
            detail: { type: "string" },
            instance: { type: "string" },
            errors: { type: "array", items: { type: "object", properties: { path: { type: "string" }, message: { type: "string" } } } },
          },
        },
      },
    },
  };
}
