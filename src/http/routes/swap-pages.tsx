import type { Context, Hono } from "hono";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import { DateTime } from "luxon";
import { BatonError, type FieldError } from "../../domain/errors";
import { parseShiftId } from "../../domain/swaps";
import { localToInstant, toIsoZ } from "../../domain/time";
import { parseOrThrow } from "../../domain/validation";
import { pageViewer, type PageViewer } from "../../services/page-labels";
import { swapPageData } from "../../services/swap-page";
import { acceptSwap, acceptSwapSchema, actOnSwapSchema, cancelSwap, declineSwap, openSwap, openSwapSchema, swapFormContext, type SwapDeps, type SwapView } from "../../services/swaps";
import type { AppEnv } from "../env";
import type { PageSession } from "../page-session";
import { MessagePage, SignInNeededPage } from "../pages/messages";
import { render } from "../pages/render";
import { FORM_FIELDS, SwapFormPage, type FormField, type SwapFormValues } from "../pages/swap-form";
import { SwapPage } from "../pages/swap-page";
import { statusOf } from "../problem";
import type { PageDeps } from "./page-deps";

type C = Context<AppEnv>;

const LOCAL_INPUT = /^(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2})$/;
const toLocalInput = (iso: string, zone: string) => DateTime.fromISO(iso, { zone: "utc" }).setZone(zone).toFormat("yyyy-MM-dd'T'HH:mm");

function fromLocalInput(value: string, zone: string): string | null {
  const match = LOCAL_INPUT.exec(value);
  if (!match) return null;
  try {
    return toIsoZ(localToInstant(match[1]!, match[2]!, zone));
  } catch {
    return null;
  }
}

/** Which form field an error path belongs beside; null for errors about the request as a whole. */
function fieldOf(path: string): FormField | null {
  if (path === "shift" || path === "shift.start") return "start";
  if (path === "shift.end") return "end";
  const head = path.split(/[.[]/)[0] as FormField;
  return FORM_FIELDS.includes(head) ? head : null;
}

function laterOf(a: string, b: string): string {
  return a > b ? a : b;
}

/** The next whole hour in the member's zone: where a part of a shift already under way can start. */
function nextWholeHour(now: DateTime, zone: string): string {
  return toIsoZ(now.setZone(zone).startOf("hour").plus({ hours: 1 }));
}

/** The swap form (members only: a request is for one's own shift) and each request's page. */
export function swapPageRoutes(app: Hono<AppEnv>, deps: PageDeps): void {
  const { clock, notify, sessions, forms } = deps;

  /** The signed-in member, or the page that says why there is none. */
  async function memberOf(c: C): Promise<{ session: PageSession; viewer: PageViewer & { kind: "member" } } | Response> {
    const session = sessions.of(c);
    const viewer = session ? await pageViewer(deps.serviceContext(c)) : null;
    if (!session || !viewer) return render(c, <SignInNeededPage />, 401);
    if (viewer.kind !== "member") {
      return render(c, <MessagePage title="Members only" message="A swap is asked for by the member whose shift it is. As admin, use the API with asMember." signedInAs={viewer.name} signOutToken={forms.token(session)} backTo="/me" />, 403);
    }
    return { session, viewer };
  }

  const formPage = async (c: C, session: PageSession, viewer: PageViewer & { kind: "member" }, values: SwapFormValues, errors: FieldError[], formError: string | null, status: ContentfulStatusCode) => {
    let context;
    try {
      context = await swapFormContext(deps.serviceContext(c), viewer.id, values.shift);
    } catch (error) {
      if (!(error instanceof BatonError)) throw error;
      return render(c, <MessagePage title="Cannot swap this shift" message={error.errors[0]?.message ?? error.message} signedInAs={viewer.name} backTo="/me" />, statusOf(error.code) as ContentfulStatusCode);
    }
    const byField: Partial<Record<FormField, string>> = {};
    const general: string[] = formError ? [formError] : [];
    for (const e of errors) {
      const field = fieldOf(e.path);
      if (field && !byField[field]) byField[field] = e.message;
      else if (!field) general.push(e.message);
    }
    if (!values.start) values.start = toLocalInput(laterOf(context.slot.start, nextWholeHour(clock.now(), viewer.timeZone)), viewer.timeZone);
    if (!values.end) values.end = toLocalInput(context.slot.end, viewer.timeZone);
    return render(
      c,
      <SwapFormPage data={{ member: viewer, csrf: forms.token(session), context, values, errors: byField, formError: general.length > 0 ? general.join(" ") : null }} />,
      status,
    );
  };

  app.get("/swaps/new", async (c) => {
    c.set("route", "/swaps/new");
    const who = await memberOf(c);
    if (who instanceof Response) return who;
    const values = { shift: c.req.query("shift") ?? "", start: "", end: "", type: "cover", to: "", offered: "", note: "" };
    return formPage(c, who.session, who.viewer, values, [], null, 200);
  });

  app.post("/swaps/new", async (c) => {
    c.set("route", "/swaps/new");
    const accepted = await forms.accept(c);
    if (accepted instanceof Response) return accepted;
    const who = await memberOf(c);
    if (who instanceof Response) return who;
    const { form } = accepted;
    const zone = who.viewer.timeZone;
    const values: SwapFormValues = {
      shift: form.shift ?? "",
      start: form.start ?? "",
      end: form.end ?? "",
      type: form.type ?? "",
      to: form.to ?? "",
      offered: form.offered ?? "",
      note: form.note ?? "",
    };
    const start = fromLocalInput(values.start, zone);
    const end = fromLocalInput(values.end, zone);
    const errors: FieldError[] = [];
    if (!start) errors.push({ path: "start", message: "must be a date and time" });
    if (!end) errors.push({ path: "end", message: "must be a date and time" });
    const slot = parseShiftId(values.shift);
    if (errors.length > 0 || !slot) return formPage(c, who.session, who.viewer, values, errors, null, 400);
    try {
      const input = parseOrThrow(openSwapSchema, {
        shift: { team: slot.team, rotation: slot.rotation, start, end },
        type: values.type,
        to: values.to || null,
        offered: values.offered || null,
        note: values.note || null,
      });
      const view = await openSwap({ ctx: deps.serviceContext(c), notify }, input);
      return c.redirect(`/swaps/${view.id}`, 303);
    } catch (error) {
      if (!(error instanceof BatonError)) throw error;
      return formPage(c, who.session, who.viewer, values, error.errors, error.errors.length === 0 ? error.message : null, statusOf(error.code) as ContentfulStatusCode);
    }
  });

  const swapPage = async (c: C, session: PageSession, id: number, error: string | null, status: ContentfulStatusCode) => {
    const ctx = deps.serviceContext(c);
    const viewer = await pageViewer(ctx);
    if (!viewer) return render(c, <SignInNeededPage />, 401);
    let data;
    try {
      data = await swapPageData({ ctx, notify }, viewer, id);
    } catch (failure) {
      if (!(failure instanceof BatonError)) throw failure;
      return render(c, <MessagePage title="No such request" message={failure.message} signedInAs={viewer.name} backTo="/me" />, 404);
    }
    return render(c, <SwapPage data={{ ...data, csrf: forms.token(session), error }} />, status);
  };

  app.get("/swaps/:id{[0-9]+}", (c) => {
    c.set("route", "/swaps/:id");
    const session = sessions.of(c);
    if (!session) return render(c, <SignInNeededPage />, 401);
    return swapPage(c, session, Number(c.req.param("id")), null, 200);
  });

  // `asMember` comes from the admin's forms; the services refuse it from anyone else.
  const asMember = (form: Record<string, string>) => (form.asMember ? { asMember: form.asMember } : {});
  const actions: Record<"accept" | "decline" | "cancel", (deps: SwapDeps, id: number, form: Record<string, string>) => Promise<SwapView>> = {
    accept: (deps, id, form) => acceptSwap(deps, id, parseOrThrow(acceptSwapSchema, { ...asMember(form), ...(form.offered ? { offered: form.offered } : {}) })),
    decline: (deps, id, form) => declineSwap(deps, id, parseOrThrow(actOnSwapSchema, asMember(form))),
    cancel: (deps, id, form) => cancelSwap(deps, id, parseOrThrow(actOnSwapSchema, asMember(form))),
  };
  for (const [action, run] of Object.entries(actions)) {
    app.post(`/swaps/:id{[0-9]+}/${action}`, async (c) => {
      c.set("route", `/swaps/:id/${action}`);
      const accepted = await forms.accept(c);
      if (accepted instanceof Response) return accepted;
      const id = Number(c.req.param("id"));
      try {
        await run({ ctx: deps.serviceContext(c), notify }, id, accepted.form);
        return c.redirect(`/swaps/${id}`, 303);
      } catch (error) {
        if (!(error instanceof BatonError)) throw error;
        return swapPage(c, accepted.session, id, error.message, statusOf(error.code) as ContentfulStatusCode);
      }
    });
  }
}
