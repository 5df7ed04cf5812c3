import { writeFileSync } from "node:fs";
import { opsgenieSnapshot } from "../domain/migrate/opsgenie";
import { pagerDutySnapshot } from "../domain/migrate/pagerduty";
import type { Vendor, VendorSnapshot } from "../domain/migrate/snapshot";
import type { ServiceContext } from "../services/context";
import { HISTORY_DAYS, migrateOrg, migrationSpan, type MigrationResult } from "../services/migrate";
import type { VendorHttp } from "../vendors/http";
import { readOpsgenie } from "../vendors/opsgenie-client";
import { readPagerDuty } from "../vendors/pagerduty-client";

export const VENDORS = ["pagerduty", "opsgenie"] as const satisfies readonly Vendor[];

export type MigrateOptions = { vendor: Vendor; apiKey: string; baseUrl?: string | undefined; dryRun: boolean; out?: string | undefined; keepWeeks: number };

/** Reads the vendor (HTTP), then runs the migration use case and reports it. */
export async function runMigrate(ctx: ServiceContext, http: VendorHttp, options: MigrateOptions, stdout: (s: string) => void): Promise<void> {
  const { historyFrom, now: since, keepUntil: until } = migrationSpan(ctx.clock.now().toMillis(), options.keepWeeks);
  let snapshot: VendorSnapshot;
  if (options.vendor === "pagerduty") {
    snapshot = pagerDutySnapshot(await readPagerDuty(http, { apiKey: options.apiKey, baseUrl: options.baseUrl, historySince: historyFrom, since, until }));
  } else {
    // A week more than asked for, so each timeline reaches its end however Opsgenie aligns the interval; the rest is cut.
    snapshot = opsgenieSnapshot(
      await readOpsgenie(http, {
        apiKey: options.apiKey,
        baseUrl: options.baseUrl,
        since,
        weeks: options.keepWeeks + 1,
        historySince: historyFrom,
        historyWeeks: Math.ceil(HISTORY_DAYS / 7) + 1,
      }),
    );
  }
  const result = await migrateOrg(ctx, { snapshot, keepWeeks: options.keepWeeks, dryRun: options.dryRun });
  if (options.out) writeFileSync(options.out, JSON.stringify(result.org, null, 2) + "\n");
  stdout(formatMigration(result, options, until));
}

const VENDOR_NAME: Record<Vendor, string> = { pagerduty: "PagerDuty", opsgenie: "Opsgenie" };

export function formatMigration(result: MigrationResult, options: MigrateOptions, until: string): string {
  const { plan, changes, kept } = result;
  const lines: string[] = [];
  const verb = result.stored ? "" : " (dry run: nothing stored)";
  lines.push(`${VENDOR_NAME[options.vendor]} → Baton${verb}`);
  const count = (c: { created: string[]; updated: string[]; unchanged: string[] }) => `+${c.created.length} ~${c.updated.length} =${c.unchanged.length}`;
  const mark = (c: { created: string[]; updated: string[] }, id: string) => (c.created.includes(id) ? "+" : c.updated.includes(id) ? "~" : "=");
  lines.push(`members ${count(changes.members)} (countries to review):`);
  for (const m of plan.members) lines.push(`  ${mark(changes.members, m.id)} ${m.id}  ${m.name} <${m.email}>  ${m.timeZone}  ${m.country} (${m.countryFrom})`);
  lines.push(`teams ${count(changes.teams)}:`);
  for (const t of plan.teams) {
    lines.push(`  ${mark(changes.teams, t.id)} ${t.id}  ${t.name}  ${t.timeZone}, hands over ${t.handoff.weekday} ${t.handoff.time}, ${t.rotations.length} rotation(s)`);
  }
  lines.push("mapped:");
  for (const line of plan.mapped) lines.push(`  ${line}`);
  lines.push(
    `kept weeks: ${VENDOR_NAME[options.vendor]}'s final schedule until ${until} → ${kept.add.length} fixed override(s) ${result.stored ? "stored" : "to store"}` +
      (kept.alreadyStored > 0 ? ` (${kept.alreadyStored} already stored)` : ""),
  );
  const past = result.history;
  lines.push(
    past.teams.length > 0
      ? `history: ${VENDOR_NAME[options.vendor]}'s on-call since ${past.from} → ${past.intervals.length} interval(s) for ${past.teams.join(", ")}${result.stored ? "" : " to store"}`
      : "history: no new team, so none imported (teams keep the history they have)",
  );
  lines.push(plan.skipped.length > 0 ? `skipped ${plan.skipped.length}:` : "skipped: nothing");
  for (const s of plan.skipped) lines.push(`  ${s.what} "${s.name}": ${s.reason}`);
  if (options.out) lines.push(`wrote ${options.out}`);
  return lines.join("\n") + "\n";
}
