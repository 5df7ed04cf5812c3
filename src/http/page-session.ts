import type { Context, MiddlewareHandler } from "hono";
import { deleteCookie, getSignedCookie, setSignedCookie } from "hono/cookie";
import type { Config } from "../config";
import type { Db } from "../db/open";
import type { Clock } from "../domain/time";
import { SESSION_COOKIE, SESSION_MAX_AGE_S, readAdminSession, readSession, sessionKey, signOut } from "../services/sessions";
import { API_PREFIX } from "./api-route";
import type { AppEnv } from "./env";

/** Who a page request is signed in as: a member, or the admin (who sees every page and acts for members). */
export type PageSession = { kind: "member"; memberId: string; value: string } | { kind: "admin"; value: string };

/**
 * Signed-in sessions for the server-rendered pages. The middleware reads the
 * signed cookie on every page request and makes its owner the actor; the API
 * ignores the cookie and takes bearer tokens only, so that no JSON endpoint
 * can be driven by a cookie a browser attaches on its own. An admin signed in
 * to the pages acts as `admin:web` in the audit log.
 */
export function pageSessions(deps: { db: Db; clock: Clock; config: Config }) {
  let key: string | null = null;
  const signingKey = () => (key ??= sessionKey(deps.db));
  const secure = deps.config.publicUrl.startsWith("https:");
  const sessions = new WeakMap<Request, PageSession>();

  const read = async (value: string): Promise<PageSession | null> => {
    const now = deps.clock.now();
    const member = await readSession(deps.db, value, now);
    if (member) return { kind: "member", memberId: member.memberId, value };
    return await readAdminSession(deps.db, value, now, deps.config.BATON_ADMIN_TOKEN) ? { kind: "admin", value } : null;
  };

  const middleware: MiddlewareHandler<AppEnv> = async (c, next) => {
    if (c.req.path.startsWith(`${API_PREFIX}/`)) return next();
    const value = await getSignedCookie(c, signingKey(), SESSION_COOKIE);
    const session = value ? await read(value) : null;
    if (session) {
      sessions.set(c.req.raw, session);
      c.set("actor", session.kind === "member" ? { kind: "member", memberId: session.memberId } : { kind: "admin", via: "web" });
    }
    await next();
  };

  return {
    middleware,
    of: (c: Context<AppEnv>) => sessions.get(c.req.raw) ?? null,
    start: (c: Context<AppEnv>, value: string) =>
      setSignedCookie(c, SESSION_COOKIE, value, signingKey(), { path: "/", httpOnly: true, sameSite: "Lax", secure, maxAge: SESSION_MAX_AGE_S }),
    /** Signs out: the session ends on the server too, so a copy of the cookie opens nothing. */
    end: async (c: Context<AppEnv>) => {
      const session = sessions.get(c.req.raw);
      if (session?.kind === "member") await signOut(deps.db, { memberId: session.memberId, value: session.value }, deps.clock.now());
      deleteCookie(c, SESSION_COOKIE, { path: "/", secure });
    },
  };
}

export type PageSessions = ReturnType<typeof pageSessions>;
