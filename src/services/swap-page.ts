import { toIsoZ } from "../domain/time";
import type { Shift } from "../domain/types";
import { labeller, memberNameMap, type PageViewer } from "./page-labels";
import { getSwap, upcomingShifts, type SwapDeps, type SwapDetail } from "./swaps";

/** How far ahead a taker's own shifts are offered in return for a trade. */
const RETURNABLE_DAYS = 42;

export type SwapPageData = {
  viewer: { id: string; name: string; timeZone: string };
  /** An admin acts for the members concerned (recorded as such) rather than as one of them. */
  admin: boolean;
  swap: SwapDetail & { teamName: string; rotationName: string; offeredRotationName: string | null };
  names: ReadonlyMap<string, string>;
  /** The viewer's own shifts they could give in return, for a trade whose return shift is not named yet. */
  returnable: Shift[];
};

/** A swap request as its page shows it to a member (or, read-only, to the admin). */
export async function swapPageData(deps: SwapDeps, viewer: PageViewer, id: number): Promise<SwapPageData> {
  const { ctx } = deps;
  const detail = await getSwap(deps, id);
  const label = await labeller(ctx);
  const offeredRotationName = detail.offered ? label({ team: detail.team, rotation: detail.offered.rotation }).rotationName : null;
  const now = toIsoZ(ctx.clock.now());
  const returnable =
    viewer.id !== null && detail.type === "trade" && detail.offered === null && detail.requester.id !== viewer.id
      ? (await upcomingShifts(ctx, viewer.id, RETURNABLE_DAYS)).filter(
          (s) => s.team === detail.team && s.start > now && !(s.rotation === detail.rotation && s.start < detail.end && detail.start < s.end),
        )
      : [];
  return {
    viewer: { id: viewer.id ?? "", name: viewer.name, timeZone: viewer.timeZone },
    admin: viewer.kind === "admin",
    swap: { ...label(detail), offeredRotationName },
    names: await memberNameMap(ctx),
    returnable,
  };
}
