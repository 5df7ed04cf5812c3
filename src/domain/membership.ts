import type { Member, Team } from "./org-file";
import { addDays, instantMs, localToInstantMs } from "./time";

/** A team's configuration from `recordedAt` on; null from the team's retirement. */
export type TeamVersion = { recordedAt: string; config: Team | null };

/** A member as the ledger needs them: employment dates in their zone, and when they left the org, if they did. */
export type MemberRecord = Pick<Member, "id" | "timeZone" | "startDate" | "endDate"> & { retiredAt?: string | null };

/**
 * One stretch of a member's membership of a rotation, in epoch ms: from when
 * they joined it (or started work) to when they left it (or the org, or their
 * job); ±Infinity where it is open.
 */
export type MemberSpell = { rotation: string; member: string; start: number; end: number };

/**
 * When each member belonged to each rotation, from the team's stored
 * versions: a member joins a rotation at the first version listing them and
 * leaves it at the first version that does not (or that retires the team).
 * The first version stands for all time before it: the weeks planned before
 * anything was recorded were planned from it. Each spell is then cut to the
 * member's employment (start date to end date, whole days in their zone) and
 * ends when they left the org. Without versions, the team as it is now stands
 * for all time.
 */
export function rotationMembership(team: Team, versions: readonly TeamVersion[], members: readonly MemberRecord[]): MemberSpell[] {
  const history = versions.length > 0 ? [...versions].sort((a, b) => a.recordedAt.localeCompare(b.recordedAt)) : [{ recordedAt: "", config: team }];
  const open = new Map<string, MemberSpell>();
  const spells: MemberSpell[] = [];
  history.forEach((version, i) => {
    const at = i === 0 ? -Infinity : instantMs(version.recordedAt);
    const listed = new Set((version.config?.rotations ?? []).flatMap((r) => r.members.map((m) => `${r.id} ${m}`)));
    for (const [key, spell] of open) {
      if (listed.has(key)) continue;
      spell.end = at;
      open.delete(key);
    }
    for (const rotation of version.config?.rotations ?? []) {
      for (const member of rotation.members) {
        const key = `${rotation.id} ${member}`;
        if (open.has(key)) continue;
        const spell = { rotation: rotation.id, member, start: at, end: Infinity };
        open.set(key, spell);
        spells.push(spell);
      }
    }
  });
  const byId = new Map(members.map((m) => [m.id, m]));
  return spells.flatMap((spell) => {
    const m = byId.get(spell.member);
    if (!m) return [spell];
    const start = Math.max(spell.start, m.startDate ? localToInstantMs(m.startDate, "00:00", m.timeZone) : -Infinity);
    const end = Math.min(
      spell.end,
      m.endDate ? localToInstantMs(addDays(m.endDate, 1), "00:00", m.timeZone) : Infinity,
      m.retiredAt ? instantMs(m.retiredAt) : Infinity,
    );
    return start < end ? [{ ...spell, start, end }] : [];
  });
}
