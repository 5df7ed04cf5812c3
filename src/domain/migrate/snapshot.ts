/**
 * What a migration reads from a vendor, in one vendor-neutral shape. Each
 * vendor's module (pagerduty.ts, opsgenie.ts) turns that vendor's API answers
 * into this; plan.ts maps it onto Baton's org. Instants are ISO 8601 UTC.
 */

export type Vendor = "pagerduty" | "opsgenie";

export type VendorUser = { vendorId: string; email: string; name: string; timeZone: string | null; phone: string | null };

export type VendorTeam = { vendorId: string; name: string };

/** How a layer or rotation takes turns: Baton's rotations take turns by the week. */
export type Turn = { kind: "weekly" } | { kind: "unsupported"; reason: string };

/** When in the day a layer or rotation is on call, in the schedule's zone. */
export type Restriction =
  | { kind: "none" }
  | { kind: "daily"; start: string; end: string }
  | { kind: "unsupported"; reason: string };

export type VendorLayer = {
  vendorId: string;
  name: string;
  /** An instant the turns start from: its wall time in the schedule's zone is the handoff. */
  turnStart: string;
  /** When the layer stops being used, or null. */
  end: string | null;
  turn: Turn;
  restriction: Restriction;
  /** Vendor user ids in turn order. */
  users: string[];
  /** Participants that are not users (Opsgenie teams, escalations, "none"). */
  otherParticipants: string[];
};

/** One stretch of the vendor's own rendered on-call (overrides included). */
export type RenderedEntry = { start: string; end: string; userVendorId: string; layerVendorId: string | null };

export type VendorSchedule = {
  vendorId: string;
  name: string;
  timeZone: string;
  teamVendorId: string | null;
  enabled: boolean;
  /**
   * "top-wins": overlapping layers hide each other, a higher layer winning (PagerDuty);
   * "all-on-call": every rotation's person is on call at once (Opsgenie).
   */
  layering: "top-wins" | "all-on-call";
  /** Highest layer first. */
  layers: VendorLayer[];
  /** The vendor's final schedule over the kept weeks. */
  rendered: RenderedEntry[];
  /** The vendor's final schedule over the past it was asked for (history). */
  history: RenderedEntry[];
  /** How many vendor overrides fall in the kept weeks (already part of `rendered`). */
  overrides: number;
};

export type VendorTarget =
  | { kind: "user"; vendorId: string }
  | { kind: "schedule"; vendorId: string; next: boolean }
  | { kind: "team"; vendorId: string }
  | { kind: "unsupported"; reason: string };

export type VendorEscalation = {
  vendorId: string;
  name: string;
  teamVendorId: string | null;
  /** Minutes from the alert, in order. */
  levels: { afterMinutes: number; targets: VendorTarget[] }[];
  repeat: number;
};

export type VendorSnapshot = {
  vendor: Vendor;
  users: VendorUser[];
  teams: VendorTeam[];
  schedules: VendorSchedule[];
  escalations: VendorEscalation[];
  /** What the vendor module already knows it cannot carry over. */
  unsupported: { what: string; name: string; reason: string }[];
};
