import { z } from "zod";
import { createOverride, listOverrides, overrideRequestSchema, removeOverride } from "../../services/overrides";
import { apiRoute } from "../api-route";

const teamParams = z.object({ team: z.string().min(1) });

export const overrideRoutes = [
  apiRoute({
    method: "post",
    path: "/teams/:team/overrides",
    summary: "Put a member on call for [start, end) of a rotation instead of the schedule (admin); a later override wins where two overlap",
    access: "admin",
    params: teamParams,
    body: overrideRequestSchema,
    status: 201,
    handle: ({ ctx, params, body }) => createOverride(ctx, params.team, body),
  }),
  apiRoute({
    method: "get",
    path: "/teams/:team/overrides",
    summary: "The admin overrides in force on a team",
    access: "admin",
    params: teamParams,
    handle: ({ ctx, params }) => listOverrides(ctx, params.team),
  }),
  apiRoute({
    method: "delete",
    path: "/teams/:team/overrides/:id",
    summary: "Remove an admin override (kept in the history); the schedule holds the time again",
    access: "admin",
    params: teamParams.extend({ id: z.coerce.number().int().positive() }),
    handle: ({ ctx, params }) => removeOverride(ctx, params.team, params.id),
  }),
];
