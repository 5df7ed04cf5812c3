import type { Context } from "hono";
import { API_PREFIX } from "./api-route";
import { ErrorPage, NotFoundPage } from "./pages/messages";
import { render } from "./pages/render";

/** Paths a browser opens as pages, answered with HTML errors; the API, feeds and probes answer problem+json. */
export function isPagePath(path: string): boolean {
  return !path.startsWith(`${API_PREFIX}/`) && path !== API_PREFIX && !path.startsWith("/calendars/") && path !== "/healthz" && path !== "/metrics";
}

export const pageNotFoundResponse = (c: Context) => render(c, <NotFoundPage path={c.req.path} />, 404);

export const pageErrorResponse = (c: Context) => render(c, <ErrorPage />, 500);
