import { raw } from "hono/html";
import type { Child } from "hono/jsx";

const STYLE = `
:root { color-scheme: light dark; --accent: #2457c5; --warn: #b45309; --muted: #6b7280; }
* { box-sizing: border-box; }
body { font: 16px/1.5 system-ui, -apple-system, "Segoe UI", sans-serif; margin: 0 auto; max-width: 52rem; padding: 1rem; }
header { display: flex; gap: 1rem; align-items: baseline; flex-wrap: wrap; border-bottom: 1px solid #8884; margin-bottom: 1rem; }
header a { color: inherit; text-decoration: none; font-weight: 600; }
h1 { font-size: 1.5rem; margin: .5rem 0; } h2 { font-size: 1.15rem; margin-top: 1.5rem; }
table { border-collapse: collapse; width: 100%; } th, td { text-align: left; padding: .35rem .5rem; border-bottom: 1px solid #8883; vertical-align: top; overflow-wrap: anywhere; }
.muted { color: var(--muted); } .warn { color: var(--warn); } .error { color: #b91c1c; font-size: .9rem; }
.card { border: 1px solid #8884; border-radius: .5rem; padding: .75rem 1rem; margin: .5rem 0; }
button, .button { background: var(--accent); color: #fff; border: 0; border-radius: .35rem; padding: .45rem .9rem; font: inherit; cursor: pointer; text-decoration: none; display: inline-block; }
label { display: block; margin: .75rem 0 .25rem; font-weight: 600; } input, select, textarea { font: inherit; padding: .35rem; max-width: 100%; }
label.choice { display: inline; font-weight: normal; margin-right: 1rem; } fieldset { border: 0; padding: 0; margin: .75rem 0 0; } legend { font-weight: 600; padding: 0; }
[aria-invalid="true"] { outline: 2px solid #b91c1c; } .ok { color: #15803d; } .inline { display: inline; } .status { font-weight: 600; text-transform: uppercase; font-size: .85rem; }
button.secondary { background: transparent; color: inherit; border: 1px solid #8886; } button:disabled { opacity: .5; cursor: not-allowed; }
@media (max-width: 40rem) { th.optional, td.optional { display: none; } }
`;

/** `signOutToken`: the session's CSRF token, which puts a sign-out button in the header. */
export function Layout(props: { title: string; children?: Child; signedInAs?: string | null; signOutToken?: string | null }) {
  return (
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>{props.title} · Baton</title>
        <style>{raw(STYLE)}</style>
      </head>
      <body>
        <header>
          <a href="/me">Baton</a>
          {props.signedInAs ? <span class="muted">signed in as {props.signedInAs}</span> : null}
          {props.signOutToken ? (
            <form method="post" action="/logout" class="inline">
              <input type="hidden" name="_csrf" value={props.signOutToken} />
              <button type="submit" class="secondary">Sign out</button>
            </form>
          ) : null}
        </header>
        <main>{props.children}</main>
      </body>
    </html>
  );
}
