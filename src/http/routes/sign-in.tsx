import type { Hono } from "hono";
import { signIn, signInAdmin } from "../../services/sessions";
import { homePageData } from "../../services/home-page";
import { pageViewer } from "../../services/page-labels";
import type { AppEnv } from "../env";
import { HomeSignedIn, HomeSignedOut } from "../pages/home";
import { LoginPage } from "../pages/login";
import { MessagePage, SignOutPage } from "../pages/messages";
import { render } from "../pages/render";
import type { PageDeps } from "./page-deps";

/** The home page, signing in (a personal link, or a form taking a personal or the admin token) and out. */
export function signInRoutes(app: Hono<AppEnv>, deps: PageDeps): void {
  const { db, clock, sessions, forms } = deps;

  app.get("/", async (c) => {
    c.set("route", "/");
    const session = sessions.of(c);
    const viewer = session ? await pageViewer(deps.serviceContext(c)) : null;
    if (!session || !viewer) return render(c, <HomeSignedOut error={null} />);
    const data = await homePageData(deps.index, clock.now());
    return render(c, <HomeSignedIn teams={data.teams} now={data.now} signedInAs={viewer.name} signOutToken={forms.token(session)} admin={viewer.kind === "admin"} />);
  });

  app.get("/login", (c) => {
    c.set("route", "/login");
    return render(c, <LoginPage error={null} />);
  });

  // No session yet, so no form token: the origin check alone keeps other sites from signing a browser in.
  app.post("/login", async (c) => {
    c.set("route", "/login");
    const refused = await forms.refusedCrossSite(c);
    if (refused) return refused;
    const token = ((await forms.fields(c)).token ?? "").trim();
    const now = clock.now();
    const member = await signIn(db, token, now);
    if (member) {
      await sessions.start(c, member.value);
      return c.redirect("/me", 303);
    }
    const admin = token && (await deps.authenticator.actorFor(token))?.kind === "admin" ? await signInAdmin(db, deps.config.BATON_ADMIN_TOKEN, now) : null;
    if (admin) {
      await sessions.start(c, admin.value);
      return c.redirect("/", 303);
    }
    return render(c, <LoginPage error={token ? "This token is not valid: it may have been replaced by a newer one." : "Enter your token."} />, token ? 401 : 400);
  });

  app.get("/login/:token", async (c) => {
    c.set("route", "/login/:token");
    const session = await signIn(db, c.req.param("token"), clock.now());
    if (!session) {
      return render(c, <MessagePage title="Sign-in link not valid" message="This sign-in link is not valid; it may have been replaced by a newer one. Ask an admin for your current link." />, 404);
    }
    await sessions.start(c, session.value);
    return c.redirect("/me", 303);
  });

  app.get("/logout", async (c) => {
    c.set("route", "/logout");
    const session = sessions.of(c);
    const viewer = session ? await pageViewer(deps.serviceContext(c)) : null;
    return render(c, <SignOutPage signedInAs={viewer?.name ?? null} token={session ? forms.token(session) : null} />);
  });

  app.post("/logout", async (c) => {
    c.set("route", "/logout");
    const accepted = await forms.accept(c);
    if (accepted instanceof Response) return accepted;
    await sessions.end(c);
    return render(c, <MessagePage title="Signed out" message="You are signed out. Your personal link signs you in again." />);
  });
}
