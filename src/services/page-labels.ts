import { findMember, loadOrg } from "../db/org-store";
import { memberNames } from "../db/swap-store";
import type { ServiceContext } from "./context";

/** Team and rotation names beside their ids, for anything the pages list. */
export type Labelled = { teamName: string; rotationName: string };

/** Who a page is shown to: a member, or the admin (in UTC, acting for members where the API lets them). */
export type PageViewer = { kind: "member"; id: string; name: string; timeZone: string } | { kind: "admin"; id: null; name: string; timeZone: string };

export async function pageViewer(ctx: ServiceContext): Promise<PageViewer | null> {
  const { actor } = ctx;
  if (actor.kind === "admin") return { kind: "admin", id: null, name: "admin", timeZone: "UTC" };
  if (actor.kind !== "member") return null;
  const member = await findMember(ctx.db, actor.memberId);
  return member ? { kind: "member", id: member.id, name: member.name, timeZone: member.timeZone } : null;
}

/** A function that adds team and rotation names to items that carry their ids. */
export async function labeller(ctx: ServiceContext) {
  const org = await loadOrg(ctx.db);
  return <T extends { team: string; rotation: string }>(item: T): T & Labelled => {
    const team = org.teams.find((t) => t.id === item.team);
    return { ...item, teamName: team?.name ?? item.team, rotationName: team?.rotations.find((r) => r.id === item.rotation)?.name ?? item.rotation };
  };
}

/** Every member's name by id, retired members included (history names them). */
export function memberNameMap(ctx: ServiceContext): Promise<ReadonlyMap<string, string>> {
  return memberNames(ctx.db);
}
