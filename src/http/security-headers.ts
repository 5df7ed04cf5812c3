import type { MiddlewareHandler } from "hono";
import type { AppEnv } from "./env";

/** Pages draw their pictures as inline SVG and style themselves inline: nothing else may load, run or frame them. */
export const PAGE_CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src 'self' data:; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

/**
 * `nosniff` on every response; on HTML pages (which show names, phone
 * numbers and emails) also a CSP that forbids framing, no referrer, and no
 * caching. Set after the handler so that error pages get them too.
 */
export const securityHeaders: MiddlewareHandler<AppEnv> = async (c, next) => {
  await next();
  c.res.headers.set("X-Content-Type-Options", "nosniff");
  if (c.res.headers.get("content-type")?.startsWith("text/html")) {
    c.res.headers.set("Content-Security-Policy", PAGE_CSP);
    c.res.headers.set("X-Frame-Options", "DENY");
    c.res.headers.set("Referrer-Policy", "no-referrer");
    c.res.headers.set("Cache-Control", "no-store");
  }
};
