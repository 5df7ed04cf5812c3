import { loadOrg } from "../db/org-store";
import { notFound } from "../domain/errors";
import type { Team } from "../domain/org-file";
import type { ServiceContext } from "./context";

export async function listTeams(ctx: ServiceContext): Promise<Team[]> {
  return (await loadOrg(ctx.db)).teams;
}

export async function getTeam(ctx: ServiceContext, teamId: string): Promise<Team> {
  const team = (await loadOrg(ctx.db)).teams.find((t) => t.id === teamId);
  if (!team) throw notFound(`team ${teamId}`);
  return team;
}
