import {
  pdEscalationPolicySchema,
  pdOverrideSchema,
  pdScheduleSchema,
  pdTeamSchema,
  pdUserSchema,
  type PagerDutyAnswers,
} from "../domain/migrate/pagerduty";
import { parseVendor } from "./parse";
import { getJson, VendorError, type VendorHttp } from "./http";

export const PAGERDUTY_API = "https://api.pagerduty.com";
const PAGE = 100;
/** PagerDuty refuses classic pagination past this offset + limit. */
const OFFSET_CAP = 10_000;

/**
 * Reads what a migration needs from PagerDuty REST v2: users (with contact
 * methods), teams, every schedule with its final schedule and overrides over
 * [since, until) and its final schedule over [historySince, since), and
 * escalation policies. Instants are asked for in UTC.
 */
export async function readPagerDuty(http: VendorHttp, options: { apiKey: string; baseUrl?: string | undefined; historySince: string; since: string; until: string }): Promise<PagerDutyAnswers> {
  const base = options.baseUrl ?? PAGERDUTY_API;
  const headers = { authorization: `Token token=${options.apiKey}`, accept: "application/vnd.pagerduty+json;version=2" };
  const get = (path: string, params: Record<string, string | string[]>) => {
    const url = new URL(path.replace(/^\//, ""), base.endsWith("/") ? base : `${base}/`);
    for (const [key, value] of Object.entries(params)) for (const v of [value].flat()) url.searchParams.append(key, v);
    return getJson(http, "PagerDuty", url, headers) as Promise<Record<string, unknown>>;
  };
  /** Classic offset paging: advance by what came back, until `more` is false. */
  const paged = async (path: string, key: string, params: Record<string, string | string[]> = {}): Promise<unknown[]> => {
    const items: unknown[] = [];
    for (let offset = 0; ; ) {
      if (offset + PAGE > OFFSET_CAP) throw new VendorError(`PagerDuty lists more than ${OFFSET_CAP} ${key}, past what its paging allows; nothing was stored`);
      const page = await get(path, { ...params, limit: String(PAGE), offset: String(offset) });
      const batch = page[key];
      if (!Array.isArray(batch)) throw new VendorError(`PagerDuty's answer to ${path} has no ${key} list; nothing was stored`);
      items.push(...batch);
      if (page.more !== true || batch.length === 0) return items;
      offset += batch.length;
    }
  };
  const window = { since: options.since, until: options.until };

  const users = parseVendor(pdUserSchema.array(), await paged("/users", "users", { "include[]": "contact_methods" }), "PagerDuty users");
  const teams = parseVendor(pdTeamSchema.array(), await paged("/teams", "teams"), "PagerDuty teams");
  const listed = await paged("/schedules", "schedules");
  const schedules: PagerDutyAnswers["schedules"] = [];
  for (const entry of listed) {
    const id = encodeURIComponent(String((entry as { id?: unknown }).id));
    const detail = await get(`/schedules/${id}`, { ...window, time_zone: "UTC" });
    const past = await get(`/schedules/${id}`, { since: options.historySince, until: options.since, time_zone: "UTC" });
    const overrides = await get(`/schedules/${id}/overrides`, { ...window, time_zone: "UTC" });
    schedules.push({
      schedule: parseVendor(pdScheduleSchema, detail.schedule, `PagerDuty schedule ${id}`),
      past: parseVendor(pdScheduleSchema, past.schedule, `PagerDuty schedule ${id} (history)`),
      overrides: parseVendor(pdOverrideSchema.array(), overrides.overrides ?? [], `PagerDuty overrides of ${id}`),
    });
  }
  const escalationPolicies = parseVendor(pdEscalationPolicySchema.array(), await paged("/escalation_policies", "escalation_policies"), "PagerDuty escalation policies");
  return { users, teams, schedules, escalationPolicies };
}
