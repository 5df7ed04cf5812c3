import type { Context } from "hono";
import { csrf } from "hono/csrf";
import { HTTPException } from "hono/http-exception";
import type { Config } from "../config";
import type { Db } from "../db/open";
import { csrfToken, csrfTokenMatches } from "../services/sessions";
import type { AppEnv } from "./env";
import type { PageSession, PageSessions } from "./page-session";
import { MessagePage, SignInNeededPage } from "./pages/messages";
import { render } from "./pages/render";

export type AcceptedForm = { session: PageSession; form: Record<string, string> };

/**
 * Form posts from the pages pass two checks before they are read: the
 * browser says the post came from this origin (hono/csrf: Origin or
 * Sec-Fetch-Site), and it carries the session's token from a hidden field,
 * which another site cannot know.
 */
export function pageForms(deps: { db: Db; config: Config; sessions: PageSessions }) {
  const sameOrigin = csrf({ origin: (origin, c) => origin === new URL(c.req.url).origin || origin === new URL(deps.config.publicUrl).origin });

  /** Null when the post came from this site; else the refusal to send. */
  async function refusedCrossSite(c: Context<AppEnv>): Promise<Response | null> {
    try {
      await sameOrigin(c, async () => {});
      return null;
    } catch (error) {
      if (!(error instanceof HTTPException)) throw error;
      return render(c, <MessagePage title="Form refused" message="This form was sent from another site, so Baton refused it." />, 403);
    }
  }

  async function fields(c: Context<AppEnv>): Promise<Record<string, string>> {
    const body = await c.req.parseBody();
    return Object.fromEntries(Object.entries(body).filter((e): e is [string, string] => typeof e[1] === "string"));
  }

  return {
    refusedCrossSite,
    fields,
    /** The token a signed-in page puts in its forms. */
    token: (session: PageSession) => csrfToken(deps.db, session),
    /** A signed-in form post that passed both checks, or the page that refuses it. */
    async accept(c: Context<AppEnv>): Promise<AcceptedForm | Response> {
      const refused = await refusedCrossSite(c);
      if (refused) return refused;
      const session = deps.sessions.of(c);
      if (!session) return render(c, <SignInNeededPage />, 401);
      const form = await fields(c);
      if (!csrfTokenMatches(deps.db, session, form._csrf ?? "")) {
        return render(c, <MessagePage title="Form refused" message="This form did not come from your current sign-in. Reload the page and try again." backTo="/me" />, 403);
      }
      return { session, form };
    },
  };
}

export type PageForms = ReturnType<typeof pageForms>;
