/**
 * Plain data shared by the domain. Instants are ISO 8601 strings in UTC with
 * `Z` (they compare correctly as strings); dates are local `YYYY-MM-DD`.
 */

export type ShiftSource = "schedule" | "override" | "swap" | "holiday-cover";

/** One member holding one rotation for one week, as stored. */
export type Assignment = {
  team: string;
  rotation: string;
  weekStart: string;
  weekEnd: string;
  /** null when nobody could be scheduled: reported, never hidden. */
  member: string | null;
  reason: string;
};

/** A replacement of who is on call for [start, end) on a rotation. */
export type Override = {
  id?: number;
  team: string;
  rotation: string;
  start: string;
  end: string;
  member: string;
  replacedMember: string | null;
  source: Exclude<ShiftSource, "schedule">;
};

/** A concrete interval [start, end) during which a member is on call. */
export type Shift = {
  team: string;
  rotation: string;
  member: string | null;
  start: string;
  end: string;
  source: ShiftSource;
};
