import type { Context, Hono, MiddlewareHandler } from "hono";
import { deleteCookie, getSignedCookie, setSignedCookie } from "hono/cookie";
import { csrf } from "hono/csrf";
import { HTTPException } from "hono/http-exception";
import type { JSX } from "hono/jsx/jsx-runtime";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import { DateTime } from "luxon";
import type { Config } from "../../config";
import type { Db } from "../../db/open";
import { findMember, loadOrg } from "../../db/org-store";
import { memberNames } from "../../db/swap-store";
import { BatonError, type FieldError } from "../../domain/errors";
import { parseShiftId, shiftId } from "../../domain/swaps";
import { localToInstant, toIsoZ, type Clock } from "../../domain/time";
import { parseOrThrow } from "../../domain/validation";
import type { ServiceContext } from "../../services/context";
import { SESSION_COOKIE, SESSION_MAX_AGE_S, csrfToken, csrfTokenMatches, readSession, sessionKey, signIn, signOut, type Session } from "../../services/sessions";
import {
  acceptSwap,
  acceptSwapSchema,
  cancelSwap,
  declineSwap,
  getSwap,
  listSwapViews,
  openSwap,
  openSwapSchema,
  swapFormContext,
  swapsWaitingFor,
  upcomingShifts,
  type SwapDeps,
  type SwapEvent,
  type SwapView,
} from "../../services/swaps";
import { memberCalendar } from "../../services/calendar";
import { API_PREFIX } from "../api-route";
import type { AppEnv } from "../env";
import { MePage, type Labelled } from "../pages/me";
import { MessagePage, SignInNeededPage, SignOutPage } from "../pages/messages";
import { FORM_FIELDS, SwapFormPage, type FormField, type SwapFormValues } from "../pages/swap-form";
import { SwapPage } from "../pages/swap-page";
import { statusOf } from "../problem";

type C = Context<AppEnv>;

export type PageDeps = {
  db: Db;
  clock: Clock;
  config: Config;
  notify: (event: SwapEvent) => void;
  serviceContext: (c: C) => ServiceContext;
};

/** How far ahead /me lists shifts. */
const UPCOMING_DAYS = 42;

/**
 * Signed-in sessions for the server-rendered pages. The middleware reads the
 * signed cookie on every page request and makes its member the actor; the API
 * ignores the cookie and takes bearer tokens only, so that no JSON endpoint
 * can be driven by a cookie a browser attaches on its own.
 */
export function pageSessions(deps: Pick<PageDeps, "db" | "clock">) {
  let key: string | null = null;
  const signingKey = () => (key ??= sessionKey(deps.db));
  const sessions = new WeakMap<Request, Session>();
  const middleware: MiddlewareHandler<AppEnv> = async (c, next) => {
    if (c.req.path.startsWith(`${API_PREFIX}/`)) return next();
    const value = await getSignedCookie(c, signingKey(), SESSION_COOKIE);
    const session = value ? readSession(deps.db, value, deps.clock.now()) : null;
    if (session) {
      sessions.set(c.req.raw, session);
      c.set("actor", { kind: "member", memberId: session.memberId });
    }
    await next();
  };
  return { middleware, signingKey, of: (c: C) => sessions.get(c.req.raw) ?? null };
}

export type PageSessions = ReturnType<typeof pageSessions>;

async function render(c: C, page: JSX.Element, status: ContentfulStatusCode = 200): Promise<Response> {
  return c.html(`<!DOCTYPE html>${await page}`, status);
}

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

export function pageRoutes(app: Hono<AppEnv>, deps: PageDeps, sessions: PageSessions): void {
  const { db, clock, config, notify } = deps;
  const secure = config.publicUrl.startsWith("https:");
  const sameOrigin = csrf({ origin: (origin, c) => origin === new URL(c.req.url).origin || origin === new URL(config.publicUrl).origin });

  for (const path of ["/login/*", "/logout", "/me", "/swaps/*"]) {
    app.use(path, async (c, next) => {
      await next();
      // Personal pages: never cached, never framed (the accept button must not be clickjacked).
      c.header("Cache-Control", "no-store");
      c.header("Referrer-Policy", "same-origin");
      c.header("X-Frame-Options", "DENY");
      c.header("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'");
    });
  }

  const viewerOf = (session: Session) => {
    const member = findMember(db, session.memberId)!;
    return { id: member.id, name: member.name, timeZone: member.timeZone };
  };

  /**
   * Every form post passes two checks before it is read: the browser says it
   * came from this origin (hono/csrf: Origin or Sec-Fetch-Site), and it carries
   * the session's token from a hidden field, which another site cannot know.
   */
  async function acceptForm(c: C): Promise<{ session: Session; form: Record<string, string> } | Response> {
    try {
      await sameOrigin(c, async () => {});
    } catch (error) {
      if (!(error instanceof HTTPException)) throw error;
      return render(c, <MessagePage title="Form refused" message="This form was sent from another site, so Baton refused it." />, 403);
    }
    const session = sessions.of(c);
    if (!session) return render(c, <SignInNeededPage />, 401);
    const body = await c.req.parseBody();
    const form = Object.fromEntries(Object.entries(body).filter((e): e is [string, string] => typeof e[1] === "string"));
    if (!csrfTokenMatches(db, session, form._csrf ?? "")) {
      return render(c, <MessagePage title="Form refused" message="This form did not come from your current sign-in. Reload the page and try again." backTo="/me" />, 403);
    }
    return { session, form };
  }

  const labels = () => {
    const org = loadOrg(db);
    return <T extends { team: string; rotation: string }>(item: T): T & Labelled => {
      const team = org.teams.find((t) => t.id === item.team);
      return { ...item, teamName: team?.name ?? item.team, rotationName: team?.rotations.find((r) => r.id === item.rotation)?.name ?? item.rotation };
    };
  };

  app.get("/login/:token", async (c) => {
    c.set("route", "/login/:token");
    const session = signIn(db, c.req.param("token"), clock.now());
    if (!session) {
      return render(c, <MessagePage title="Sign-in link not valid" message="This sign-in link is not valid; it may have been replaced by a newer one. Ask an admin for your current link." />, 404);
    }
    await setSignedCookie(c, SESSION_COOKIE, session.value, sessions.signingKey(), { path: "/", httpOnly: true, sameSite: "Lax", secure, maxAge: SESSION_MAX_AGE_S });
    return c.redirect("/me", 303);
  });

  app.get("/logout", (c) => {
    c.set("route", "/logout");
    const session = sessions.of(c);
    return render(c, <SignOutPage signedInAs={session ? viewerOf(session).name : null} token={session ? csrfToken(db, session) : null} />);
  });

  app.post("/logout", async (c) => {
    c.set("route", "/logout");
    const accepted = await acceptForm(c);
    if (accepted instanceof Response) return accepted;
    signOut(db, accepted.session, clock.now());
    deleteCookie(c, SESSION_COOKIE, { path: "/", secure });
    return render(c, <MessagePage title="Signed out" message="You are signed out. Your personal link signs you in again." />);
  });

  app.get("/me", (c) => {
    c.set("route", "/me");
    const session = sessions.of(c);
    if (!session) return render(c, <SignInNeededPage />, 401);
    const ctx = deps.serviceContext(c);
    const viewer = viewerOf(session);
    const label = labels();
    const waiting = swapsWaitingFor({ ctx, notify }, viewer.id);
    const mine = listSwapViews({ ctx, notify }, { member: viewer.id }).swaps.filter((s) => s.requester.id === viewer.id);
    const openRequest = (shift: { team: string; rotation: string; start: string; end: string }) =>
      mine.find((s) => s.status === "open" && s.team === shift.team && s.rotation === shift.rotation && s.start < shift.end && shift.start < s.end)?.id ?? null;
    const shifts = upcomingShifts(ctx, viewer.id, UPCOMING_DAYS).map((s) => ({
      ...label(s),
      id: shiftId(s),
      openRequest: openRequest(s),
    }));
    return render(
      c,
      <MePage
        data={{
          member: viewer,
          shifts,
          waiting: waiting.map((w) => ({ swap: label(w.swap), check: w.check })),
          mine: mine.slice(0, 20).map(label),
          calendar: memberCalendar(ctx, viewer.id),
          csrf: csrfToken(db, session),
        }}
      />,
    );
  });

  const formPage = (c: C, session: Session, values: SwapFormValues, errors: FieldError[], formError: string | null, status: ContentfulStatusCode) => {
    const viewer = viewerOf(session);
    let context;
    try {
      context = swapFormContext(deps.serviceContext(c), viewer.id, values.shift);
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
      <SwapFormPage
        data={{ member: viewer, csrf: csrfToken(db, session), context, values, errors: byField, formError: general.length > 0 ? general.join(" ") : null }}
      />,
      status,
    );
  };

  app.get("/swaps/new", (c) => {
    c.set("route", "/swaps/new");
    const session = sessions.of(c);
    if (!session) return render(c, <SignInNeededPage />, 401);
    const values = { shift: c.req.query("shift") ?? "", start: "", end: "", type: "cover", to: "", offered: "", note: "" };
    return formPage(c, session, values, [], null, 200);
  });

  app.post("/swaps/new", async (c) => {
    c.set("route", "/swaps/new");
    const accepted = await acceptForm(c);
    if (accepted instanceof Response) return accepted;
    const { session, form } = accepted;
    const zone = viewerOf(session).timeZone;
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
    if (errors.length > 0 || !slot) return formPage(c, session, values, errors, null, 400);
    try {
      const input = parseOrThrow(openSwapSchema, {
        shift: { team: slot.team, rotation: slot.rotation, start, end },
        type: values.type,
        to: values.to || null,
        offered: values.offered || null,
        note: values.note || null,
      });
      const view = openSwap({ ctx: deps.serviceContext(c), notify }, input);
      return c.redirect(`/swaps/${view.id}`, 303);
    } catch (error) {
      if (!(error instanceof BatonError)) throw error;
      const status = statusOf(error.code) as ContentfulStatusCode;
      return formPage(c, session, values, error.errors, error.errors.length === 0 ? error.message : null, status);
    }
  });

  const swapPage = (c: C, session: Session, id: number, error: string | null, status: ContentfulStatusCode) => {
    const ctx = deps.serviceContext(c);
    const viewer = viewerOf(session);
    let detail;
    try {
      detail = getSwap({ ctx, notify }, id);
    } catch (failure) {
      if (!(failure instanceof BatonError)) throw failure;
      return render(c, <MessagePage title="No such request" message={failure.message} signedInAs={viewer.name} backTo="/me" />, 404);
    }
    const label = labels();
    const labelled = label(detail);
    const offeredRotationName = detail.offered ? label({ team: detail.team, rotation: detail.offered.rotation }).rotationName : null;
    const now = toIsoZ(clock.now());
    const returnable =
      detail.type === "trade" && detail.offered === null && detail.requester.id !== viewer.id
        ? upcomingShifts(ctx, viewer.id, UPCOMING_DAYS).filter((s) => s.team === detail.team && s.start > now && !(s.rotation === detail.rotation && s.start < detail.end && detail.start < s.end))
        : [];
    return render(
      c,
      <SwapPage
        data={{ viewer, csrf: csrfToken(db, session), swap: { ...labelled, offeredRotationName }, names: memberNames(db), returnable, error }}
      />,
      status,
    );
  };

  app.get("/swaps/:id{[0-9]+}", (c) => {
    c.set("route", "/swaps/:id");
    const session = sessions.of(c);
    if (!session) return render(c, <SignInNeededPage />, 401);
    return swapPage(c, session, Number(c.req.param("id")), null, 200);
  });

  const actions: Record<"accept" | "decline" | "cancel", (deps: SwapDeps, id: number, form: Record<string, string>) => SwapView> = {
    accept: (deps, id, form) => acceptSwap(deps, id, parseOrThrow(acceptSwapSchema, form.offered ? { offered: form.offered } : {})),
    decline: (deps, id) => declineSwap(deps, id, {}),
    cancel: (deps, id) => cancelSwap(deps, id, {}),
  };
  for (const [action, run] of Object.entries(actions)) {
    app.post(`/swaps/:id{[0-9]+}/${action}`, async (c) => {
      c.set("route", `/swaps/:id/${action}`);
      const accepted = await acceptForm(c);
      if (accepted instanceof Response) return accepted;
      const id = Number(c.req.param("id"));
      try {
        run({ ctx: deps.serviceContext(c), notify }, id, accepted.form);
        return c.redirect(`/swaps/${id}`, 303);
      } catch (error) {
        if (!(error instanceof BatonError)) throw error;
        return swapPage(c, accepted.session, id, error.message, statusOf(error.code) as ContentfulStatusCode);
      }
    });
  }
}

function laterOf(a: string, b: string): string {
  return a > b ? a : b;
}

/** The next whole hour in the member's zone: where a part of a shift already under way can start. */
function nextWholeHour(now: DateTime, zone: string): string {
  return toIsoZ(now.setZone(zone).startOf("hour").plus({ hours: 1 }));
}
