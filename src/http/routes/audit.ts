import { z } from "zod";
import type { OncallIndex } from "../../services/oncall-index";
import { auditQuerySchema, readAuditLog } from "../../services/audit-log";
import { incidentTimeline } from "../../services/timeline";
import { rangeQuery } from "../../services/team-views";
import { apiRoute } from "../api-route";
import { timelineMarkdown } from "../timeline-markdown";

export function auditRoutes(deps: { index: OncallIndex }) {
  return [
    apiRoute({
      method: "get",
      path: "/audit",
      summary: "The audit log (admin): who changed what and when, with before and after; filter by from, to, team and actor",
      access: "admin",
      query: auditQuerySchema,
      handle: ({ ctx, query }) => readAuditLog(ctx, query),
    }),
    apiRoute({
      method: "get",
      path: "/teams/:team/timeline",
      summary:
        "For an incident review: every on-call interval in [from, to) per rotation, and every change recorded then (default the last 24 hours); Markdown with Accept: text/markdown",
      access: "reader",
      params: z.object({ team: z.string().min(1) }),
      query: rangeQuery,
      handle: async ({ ctx, params, query, c }) => {
        const timeline = await incidentTimeline(ctx, deps.index, params.team, query);
        if (!(c.req.header("accept") ?? "").includes("text/markdown")) return timeline;
        return c.body(timelineMarkdown(timeline), 200, { "content-type": "text/markdown; charset=utf-8", vary: "Accept" });
      },
    }),
  ];
}
