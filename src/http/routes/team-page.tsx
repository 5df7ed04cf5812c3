import type { Hono } from "hono";
import type { Clock } from "../../domain/time";
import type { Db } from "../../db/open";
import type { OncallIndex } from "../../services/oncall-index";
import { csrfToken } from "../../services/sessions";
import type { PageSessions } from "./pages";
import { teamPageData } from "../../services/team-page";
import type { AppEnv } from "../env";
import { SignInPage, TeamPage } from "../pages/team-page";

/** The team page: server-rendered, readable on a phone, for anyone signed in. */
export function teamPageRoutes(app: Hono<AppEnv>, deps: { index: OncallIndex; clock: Clock; db: Db; sessions: PageSessions }): void {
  app.get("/teams/:team", (c) => {
    c.set("route", "/teams/:team");
    const actor = c.get("actor");
    if (actor.kind === "anonymous") return c.html(<SignInPage />, 401);
    const signedInAs = actor.kind === "member" ? (deps.index.memberMap().get(actor.memberId)?.name ?? actor.memberId) : "admin";
    const data = teamPageData(deps.index, c.req.param("team"), deps.clock.now(), signedInAs);
    const session = deps.sessions.of(c);
    return c.html(<TeamPage data={data} signOutToken={session ? csrfToken(deps.db, session) : null} />);
  });
}
