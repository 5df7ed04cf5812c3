import {
  ogEscalationSchema,
  ogOverrideSchema,
  ogScheduleSchema,
  ogTeamSchema,
  ogTimelineSchema,
  ogUserSchema,
  type OpsgenieAnswers,
} from "../domain/migrate/opsgenie";
import { getJson, VendorError, type VendorHttp } from "./http";
import { parseVendor } from "./parse";

export const OPSGENIE_API = "https://api.opsgenie.com";
const PAGE = 100;

type Envelope = { data?: unknown; paging?: { next?: string } };

/**
 * Reads what a migration needs from Opsgenie v2: users (the only list that
 * pages), teams, schedules with their rotations, each schedule's final
 * timeline over the kept weeks and over the past, its overrides, and escalations.
 */
export async function readOpsgenie(
  http: VendorHttp,
  options: { apiKey: string; baseUrl?: string | undefined; since: string; weeks: number; historySince: string; historyWeeks: number },
): Promise<OpsgenieAnswers> {
  const base = new URL(options.baseUrl ?? OPSGENIE_API);
  const headers = { authorization: `GenieKey ${options.apiKey}`, accept: "application/json" };
  const at = (pathAndQuery: string) => new URL(pathAndQuery, base);
  const get = async (url: URL) => (await getJson(http, "Opsgenie", url, headers)) as Envelope;
  const data = async (pathAndQuery: string) => (await get(at(pathAndQuery))).data;

  const users: unknown[] = [];
  for (let url: URL | null = at(`/v2/users?limit=${PAGE}&offset=0`); url; ) {
    const page = await get(url);
    if (!Array.isArray(page.data)) throw new VendorError("Opsgenie's users answer has no data list; nothing was stored");
    users.push(...page.data);
    // paging.next is absolute and names Opsgenie's host; the key is only ever sent to the configured one.
    const next: string | undefined = page.paging?.next;
    url = next && page.data.length > 0 ? at(new URL(next).pathname + new URL(next).search) : null;
  }
  const teams = parseVendor(ogTeamSchema.array(), await data("/v2/teams"), "Opsgenie teams");
  const listed = parseVendor(ogScheduleSchema.array(), await data("/v2/schedules?expand=rotation"), "Opsgenie schedules");
  const schedules: OpsgenieAnswers["schedules"] = [];
  for (const schedule of listed) {
    const id = encodeURIComponent(schedule.id);
    const timelineOver = async (date: string, weeks: number, what: string) => {
      const query = new URLSearchParams({ identifierType: "id", interval: String(weeks), intervalUnit: "weeks", date });
      return parseVendor(ogTimelineSchema, await data(`/v2/schedules/${id}/timeline?${query}`), `Opsgenie ${what} of ${schedule.name}`);
    };
    const timeline = await timelineOver(options.since, options.weeks, "timeline");
    const pastTimeline = await timelineOver(options.historySince, options.historyWeeks, "past timeline");
    const overrides = parseVendor(ogOverrideSchema.array(), await data(`/v2/schedules/${id}/overrides?identifierType=id`), `Opsgenie overrides of ${schedule.name}`);
    schedules.push({ schedule, timeline, pastTimeline, overrides });
  }
  const escalations = parseVendor(ogEscalationSchema.array(), await data("/v2/escalations"), "Opsgenie escalations");
  return { users: parseVendor(ogUserSchema.array(), users, "Opsgenie users"), teams, schedules, escalations };
}
