import { z } from "zod";
import { booleanQuery } from "../../domain/input";
import { orgFileJsonSchema, orgFileSchema } from "../../domain/org-file";
import { getOrg, importOrg, previewImport } from "../../services/org";
import { apiRoute } from "../api-route";

export const orgRoutes = [
  apiRoute({
    method: "put",
    path: "/org",
    summary:
      "Import an org file (idempotent; members and teams missing from it are retired, not deleted); with dryRun=true, what the import would do, storing nothing",
    access: "admin",
    query: z.strictObject({ dryRun: booleanQuery.optional(), allowEmpty: booleanQuery.optional() }),
    body: orgFileSchema,
    handle: async ({ ctx, query, body }) => {
      const options = { allowEmpty: query.allowEmpty ?? false };
      return query.dryRun ? await previewImport(ctx, body, options) : await importOrg(ctx, body, options);
    },
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
