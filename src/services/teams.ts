import { loadOrg } from "../db/org-store";
import { notFound } from "../domain/errors";
import type { Team } from "../domain/org-file";
import type { ServiceContext } from "./context";

export function listTeams(ctx: ServiceContext): Team[] {
  return loadOrg(ctx.db).teams;
}

export function getTeam(ctx: ServiceContext, teamId: string): Team {
  const team = loadOrg(ctx.db).teams.find((t) => t.id === teamId);
  if (!team) throw notFound(`team ${teamId}`);
  return team;
}
