import type { Hono } from "hono";
import { BatonError } from "../../domain/errors";
import { pageViewer } from "../../services/page-labels";
import { teamPageData } from "../../services/team-page";
import type { AppEnv } from "../env";
import { MessagePage, SignInNeededPage } from "../pages/messages";
import { render } from "../pages/render";
import { TeamPage } from "../pages/team-page";
import type { PageDeps } from "./page-deps";

/** The team page: server-rendered, readable on a phone, for anyone signed in. */
export function teamPageRoutes(app: Hono<AppEnv>, deps: PageDeps): void {
  app.get("/teams/:team", async (c) => {
    c.set("route", "/teams/:team");
    const ctx = deps.serviceContext(c);
    const viewer = await pageViewer(ctx);
    if (!viewer) return render(c, <SignInNeededPage />, 401);
    const session = deps.sessions.of(c);
    const signOutToken = session ? deps.forms.token(session) : null;
    try {
      const data = await teamPageData(ctx, deps.index, c.req.param("team"), deps.clock.now());
      return render(c, <TeamPage data={data} signedInAs={viewer.name} signOutToken={signOutToken} />);
    } catch (error) {
      if (!(error instanceof BatonError) || error.code !== "not-found") throw error;
      return render(c, <MessagePage title="No such team" message={`There is no team ${c.req.param("team")}.`} signedInAs={viewer.name} signOutToken={signOutToken} backTo="/" />, 404);
    }
  });
}
