import type { Context, Hono } from "hono";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import { BatonError } from "../../domain/errors";
import { timeOffEntrySchema } from "../../domain/org-file";
import { parseOrThrow } from "../../domain/validation";
import { memberPageData, membersToActFor } from "../../services/member-page";
import { pageViewer } from "../../services/page-labels";
import { addTimeOff, removeTimeOff } from "../../services/time-off";
import type { AppEnv } from "../env";
import type { PageSession } from "../page-session";
import { MemberPage, MembersPage, emptyTimeOffForm, type TimeOffForm } from "../pages/member-page";
import { MessagePage, SignInNeededPage } from "../pages/messages";
import { render } from "../pages/render";
import { statusOf } from "../problem";
import type { PageDeps } from "./page-deps";

type C = Context<AppEnv>;

/** What a redirect after a change says on the page it lands on; fixed texts, so nothing from the URL is shown. */
const DONE: Record<string, string> = {
  "time-off-added": "Time off booked. The rota has been re-planned around it.",
  "time-off-removed": "Time off removed. The rota has been re-planned.",
};

/**
 * A member's page (`/me`, or `/members/:member` for an admin acting for
 * them): shifts to the end of the plan, time off with a form to add and
 * remove it, swap requests, teams and the calendar feed.
 */
export function memberPageRoutes(app: Hono<AppEnv>, deps: PageDeps): void {
  const { sessions, forms, notify } = deps;
  const pathOf = (session: PageSession, memberId: string) => (session.kind === "member" ? "/me" : `/members/${encodeURIComponent(memberId)}`);

  async function page(c: C, session: PageSession, memberId: string, timeOff: TimeOffForm, status: ContentfulStatusCode = 200) {
    const ctx = deps.serviceContext(c);
    const viewer = await pageViewer(ctx);
    if (!viewer) return render(c, <SignInNeededPage />, 401);
    if (viewer.kind === "member" && viewer.id !== memberId) {
      return render(c, <MessagePage title="Not your page" message="Only the member themselves or an admin can open this page." signedInAs={viewer.name} backTo="/me" />, 403);
    }
    let data;
    try {
      data = await memberPageData({ ctx, notify }, memberId);
    } catch (error) {
      if (!(error instanceof BatonError)) throw error;
      return render(c, <MessagePage title="No such member" message={error.message} signedInAs={viewer.name} backTo="/me" />, statusOf(error.code) as ContentfulStatusCode);
    }
    return render(c, <MemberPage data={data} csrf={forms.token(session)} signedInAs={viewer.name} actingAs={viewer.kind === "admin"} timeOff={timeOff} />, status);
  }

  const withDone = (c: C): TimeOffForm => ({ ...emptyTimeOffForm(), added: DONE[c.req.query("done") ?? ""] ?? null });

  app.get("/me", async (c) => {
    c.set("route", "/me");
    const session = sessions.of(c);
    if (!session) return render(c, <SignInNeededPage />, 401);
    if (session.kind === "admin") return render(c, <MembersPage members={await membersToActFor({ ctx: deps.serviceContext(c), notify })} csrf={forms.token(session)} />);
    return page(c, session, session.memberId, withDone(c));
  });

  app.get("/members/:member", (c) => {
    c.set("route", "/members/:member");
    const session = sessions.of(c);
    if (!session) return render(c, <SignInNeededPage />, 401);
    return page(c, session, c.req.param("member"), withDone(c));
  });

  app.post("/members/:member/time-off", async (c) => {
    c.set("route", "/members/:member/time-off");
    const accepted = await forms.accept(c);
    if (accepted instanceof Response) return accepted;
    const { session, form } = accepted;
    const memberId = c.req.param("member");
    const values = { start: form.start ?? "", end: form.end ?? "", note: form.note ?? "" };
    try {
      const entry = parseOrThrow(timeOffEntrySchema, {
        start: values.start,
        ...(values.end ? { end: values.end } : {}),
        ...(values.note.trim() ? { note: values.note.trim() } : {}),
      });
      await addTimeOff(deps.serviceContext(c), memberId, entry);
      return c.redirect(`${pathOf(session, memberId)}?done=time-off-added#time-off`, 303);
    } catch (error) {
      if (!(error instanceof BatonError)) throw error;
      const errors: TimeOffForm["errors"] = {};
      const general: string[] = [];
      for (const e of error.errors) {
        const field = e.path.split(/[.[]/)[0];
        if ((field === "start" || field === "end" || field === "note") && !errors[field]) errors[field] = e.message;
        else general.push(`${e.path}: ${e.message}`);
      }
      if (error.errors.length === 0) general.push(error.message);
      const formError = general.length > 0 ? general.join(" ") : null;
      return page(c, session, memberId, { values, errors, formError, added: null }, statusOf(error.code) as ContentfulStatusCode);
    }
  });

  app.post("/members/:member/time-off/:id{[0-9]+}/delete", async (c) => {
    c.set("route", "/members/:member/time-off/:id/delete");
    const accepted = await forms.accept(c);
    if (accepted instanceof Response) return accepted;
    const memberId = c.req.param("member");
    try {
      await removeTimeOff(deps.serviceContext(c), memberId, Number(c.req.param("id")));
      return c.redirect(`${pathOf(accepted.session, memberId)}?done=time-off-removed#time-off`, 303);
    } catch (error) {
      if (!(error instanceof BatonError)) throw error;
      return page(c, accepted.session, memberId, { ...emptyTimeOffForm(), formError: error.message }, statusOf(error.code) as ContentfulStatusCode);
    }
  });
}
