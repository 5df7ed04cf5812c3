import { z } from "zod";
import { BatonError } from "../../domain/errors";
import { apiRoute, type Method } from "../api-route";

/** Endpoints of the contract whose issues have not landed: an honest 501, not a pretend answer. */
const PENDING: [Method, string, string][] = [
  ["post", "/teams/:team/schedule/plan", "rota generation"],
  ["post", "/teams/:team/schedule/apply", "rota generation"],
  ["get", "/teams/:team/shifts", "rota generation"],
  ["get", "/teams/:team/fairness", "rota generation"],
  ["get", "/teams/:team/coverage", "follow-the-sun coverage"],
  ["get", "/oncall", "the on-call lookup"],
  ["get", "/teams/:team/escalation", "the on-call lookup"],
  ["post", "/swaps", "shift swaps"],
  ["get", "/swaps", "shift swaps"],
  ["post", "/swaps/:id/accept", "shift swaps"],
  ["post", "/swaps/:id/decline", "shift swaps"],
  ["post", "/swaps/:id/cancel", "shift swaps"],
  ["get", "/members/:member/calendar", "calendar feeds"],
  ["post", "/members/:member/calendar/rotate", "calendar feeds"],
  ["get", "/teams/:team/calendar", "calendar feeds"],
];

export const pendingRoutes = PENDING.map(([method, path, feature]) =>
  apiRoute({
    method,
    path,
    summary: `Not implemented yet (${feature})`,
    access: "reader",
    params: z.record(z.string(), z.string()),
    handle: () => {
      throw new BatonError("not-implemented", `${feature} has not landed yet`);
    },
  }),
);
