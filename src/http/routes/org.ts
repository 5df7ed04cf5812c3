import { z } from "zod";
import { booleanQuery } from "../../domain/input";
import { orgFileJsonSchema, orgFileSchema } from "../../domain/org-file";
import { getOrg, importOrg } from "../../services/org";
import { apiRoute } from "../api-route";

export const orgRoutes = [
  apiRoute({
    method: "put",
    path: "/org",
    summary: "Import an org file (idempotent; members and teams missing from it are retired, not deleted)",
    access: "admin",
    query: z.object({ allowEmpty: booleanQuery.optional() }),
    body: orgFileSchema,
    handle: ({ ctx, query, body }) => importOrg(ctx, body, { allowEmpty: query.allowEmpty ?? false }),
  }),
  apiRoute({
    method: "get",
    path: "/org",
    summary: "Export the org file as it stands (re-imports unchanged)",
    access: "reader",
    handle: ({ ctx }) => getOrg(ctx),
  }),
  apiRoute({
    method: "get",
    path: "/org/schema",
    summary: "The JSON Schema of the org file",
    access: "public",
    handle: () => orgFileJsonSchema(),
  }),
];
