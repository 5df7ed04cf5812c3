import { z } from "zod";
import { getTeam, listTeams } from "../../services/teams";
import { apiRoute } from "../api-route";

export const teamParams = z.object({ team: z.string().min(1) });

export const teamRoutes = [
  apiRoute({
    method: "get",
    path: "/teams",
    summary: "Teams with their rotations and escalation policies",
    access: "reader",
    handle: async ({ ctx }) => ({ teams: await listTeams(ctx) }),
  }),
  apiRoute({
    method: "get",
    path: "/teams/:team",
    summary: "One team with its rotations and escalation policy",
    access: "reader",
    params: teamParams,
    handle: ({ ctx, params }) => getTeam(ctx, params.team),
  }),
];
