import { z } from "zod";
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
    query: z.strictObject({
      dryRun: z.enum(["true", "false"], "must be true or false").optional(),
    }),
    body: orgFileSchema,
    handle: ({ ctx, query, body }) => (query.dryRun === "true" ? previewImport(ctx, body) : importOrg(ctx, body)),
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
