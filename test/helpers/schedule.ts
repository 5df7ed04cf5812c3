import { activeOverrides, cancelOverride, insertOverride, storeAssignments } from "../../src/db/schedule-store";
import type { Team } from "../../src/domain/org-file";
import { toIsoZ } from "../../src/domain/time";
import type { Override } from "../../src/domain/types";
import { handoffClock, weeksFrom } from "../../src/domain/weeks";
import type { TestApp } from "./app";

/**
 * Stores weeks for a rotation directly, member by member, as an apply at the
 * clock's now would. The day-level covers planned on the weeks it replaces
 * (at import, say) are cancelled with them, so the rotation holds exactly the
 * members given.
 */
export async function storeWeeks(t: TestApp, teamId: string, rotationId: string, fromDate: string, members: (string | null)[]) {
  const team: Team = await (await t.request("GET", `/api/v1/teams/${teamId}`)).json();
  const rotation = team.rotations.find((r) => r.id === rotationId)!;
  const weeks = weeksFrom(handoffClock(team, rotation), fromDate, members.length);
  const at = toIsoZ(t.clock.now());
  await t.db.transact(async (tx) => {
    const w = { tx, actor: { kind: "admin" } as const, at };
    await storeAssignments(
      w,
      teamId,
      weeks.map((week, i) => ({ team: teamId, rotation: rotationId, weekStart: week.start, weekEnd: week.end, member: members[i]!, reason: "test" })),
    );
    const replaced = (await activeOverrides(tx, teamId)).filter((o) => o.source === "holiday-cover" && o.rotation === rotationId && o.end > weeks[0]!.start);
    for (const cover of replaced) await cancelOverride(w, cover.id);
  });
  t.app.index.invalidate({ teams: [teamId] });
  return weeks;
}

export async function storeOverride(t: TestApp, override: Override) {
  const at = toIsoZ(t.clock.now());
  const stored = await t.db.transact(async (tx) => insertOverride({ tx, actor: { kind: "admin" }, at }, override));
  t.app.index.invalidate({ teams: [override.team] });
  return stored;
}
