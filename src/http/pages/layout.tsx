import { raw } from "hono/html";
import type { Child } from "hono/jsx";

/*
 * One stylesheet for every page. Words never break inside (no `overflow-wrap:
 * anywhere`): narrow screens get stacked rows instead of squeezed columns,
 * and only URLs and emails, which are one long word, may wrap anywhere.
 */
const STYLE = `
:root { color-scheme: light; --accent: #1d4ed8; --accent-soft: #dbeafe; --warn: #92400e; --warn-soft: #fef3c7; --bad: #b91c1c; --bad-soft: #fee2e2;
  --ok: #166534; --muted: #4b5563; --line: #d1d5db; --panel: #f9fafb; --text: #111827; }
* { box-sizing: border-box; }
html { -webkit-text-size-adjust: 100%; }
body { font: 16px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; margin: 0; color: var(--text); background: #fff; }
.page { max-width: 70rem; margin: 0 auto; padding: 0 1rem 3rem; }
.site { background: #0f172a; color: #f8fafc; }
.site nav { max-width: 70rem; margin: 0 auto; padding: .6rem 1rem; display: flex; flex-wrap: wrap; gap: .4rem 1.2rem; align-items: center; }
.site a { color: inherit; text-decoration: none; }
.site a:hover, .site a:focus { text-decoration: underline; }
.site .brand { font-weight: 700; font-size: 1.1rem; letter-spacing: .02em; }
.site .who { color: #cbd5e1; font-size: .9rem; margin-left: auto; }
.site form { display: inline; }
.site button { background: transparent; color: #f8fafc; border: 1px solid #64748b; padding: .2rem .7rem; font-size: .9rem; }
h1 { font-size: 1.75rem; line-height: 1.25; margin: 1.25rem 0 .5rem; }
h2 { font-size: 1.25rem; margin: 2rem 0 .6rem; padding-bottom: .25rem; border-bottom: 1px solid var(--line); }
h3 { font-size: 1.05rem; margin: 1rem 0 .4rem; }
p { margin: .5rem 0; }
a { color: var(--accent); }
code, .url { font-family: ui-monospace, SFMono-Regular, Menlo, monospace; font-size: .85em; overflow-wrap: anywhere; }
.email { overflow-wrap: anywhere; }
.muted { color: var(--muted); } .small { font-size: .875rem; }
.warn { color: var(--warn); } .bad { color: var(--bad); } .ok { color: var(--ok); }
.error { color: var(--bad); font-size: .9rem; margin: .25rem 0; }
.notice { background: var(--warn-soft); border-left: 4px solid #d97706; padding: .5rem .75rem; border-radius: .25rem; }
.notice.bad { background: var(--bad-soft); border-color: var(--bad); }
.notice.good { background: #dcfce7; border-color: #16a34a; color: var(--ok); }
.card { border: 1px solid var(--line); border-radius: .5rem; padding: .75rem 1rem; margin: .5rem 0; background: #fff; }
.cards { display: grid; gap: .75rem; grid-template-columns: repeat(auto-fill, minmax(min(100%, 20rem), 1fr)); }
.cards .card { margin: 0; }
.tag { display: inline-block; font-size: .75rem; font-weight: 600; padding: 0 .45rem; border-radius: 1rem; background: var(--accent-soft); color: #1e3a8a; white-space: nowrap; }
.tag.swap, .tag.override { background: #ede9fe; color: #5b21b6; } .tag.holiday-cover { background: var(--warn-soft); color: var(--warn); }
.tag.open { background: var(--warn-soft); color: var(--warn); } .tag.accepted { background: #dcfce7; color: var(--ok); }
.tag.declined, .tag.cancelled, .tag.expired { background: #f3f4f6; color: var(--muted); }
.nowrap { white-space: nowrap; }
table { border-collapse: collapse; width: 100%; }
th, td { text-align: left; padding: .4rem .6rem; border-bottom: 1px solid var(--line); vertical-align: top; }
th { font-size: .875rem; color: var(--muted); font-weight: 600; white-space: nowrap; }
button, .button { background: var(--accent); color: #fff; border: 0; border-radius: .35rem; padding: .45rem .9rem; font: inherit; cursor: pointer; text-decoration: none; display: inline-block; }
button.secondary, .button.secondary { background: #fff; color: var(--text); border: 1px solid #9ca3af; }
button.danger { background: #fff; color: var(--bad); border: 1px solid var(--bad); padding: .2rem .6rem; font-size: .875rem; }
button:disabled { opacity: .5; cursor: not-allowed; }
label { display: block; margin: .75rem 0 .25rem; font-weight: 600; }
input, select, textarea { font: inherit; padding: .4rem .5rem; max-width: 100%; border: 1px solid #9ca3af; border-radius: .3rem; }
label.choice { display: inline-block; font-weight: normal; margin: .25rem 1rem .25rem 0; }
fieldset { border: 0; padding: 0; margin: .75rem 0 0; } legend { font-weight: 600; padding: 0; }
[aria-invalid="true"] { outline: 2px solid var(--bad); }
.inline { display: inline; }
.status { font-weight: 600; text-transform: uppercase; font-size: .85rem; }
.row { display: flex; flex-wrap: wrap; gap: .5rem 1rem; align-items: end; }
.row > div { min-width: 0; }
.stack > * + * { margin-top: .25rem; }
ul.plain { list-style: none; padding: 0; margin: .5rem 0; }
ul.plain > li { padding: .45rem 0; border-bottom: 1px solid var(--line); }
dl.facts { display: grid; grid-template-columns: max-content 1fr; gap: .2rem 1rem; margin: .5rem 0; }
dl.facts dt { color: var(--muted); } dl.facts dd { margin: 0; min-width: 0; }
.hero { background: linear-gradient(135deg, #eff6ff, #f5f3ff); border-radius: .75rem; padding: 1.25rem 1.5rem; margin-top: 1.25rem; }
.hero h1 { margin-top: 0; }
.split { display: grid; gap: 1.5rem; grid-template-columns: minmax(0, 3fr) minmax(0, 2fr); align-items: start; }
figure { margin: .75rem 0; } figcaption { font-size: .875rem; color: var(--muted); margin-top: .25rem; }
svg text { font-family: system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; }
.legend { display: flex; flex-wrap: wrap; gap: .25rem 1rem; font-size: .875rem; color: var(--muted); margin: .25rem 0 .5rem; padding: 0; list-style: none; }
.legend li { display: flex; align-items: center; gap: .35rem; white-space: nowrap; }
.swatch { display: inline-block; width: .9rem; height: .9rem; border-radius: .15rem; border: 1px solid #0002; }
@media (max-width: 48rem) {
  .split { grid-template-columns: minmax(0, 1fr); }
  h1 { font-size: 1.5rem; }
  table.stackable thead { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); }
  table.stackable, table.stackable tbody, table.stackable tr, table.stackable td { display: block; width: 100%; }
  table.stackable tr { border-bottom: 1px solid var(--line); padding: .4rem 0; }
  table.stackable td { border: 0; padding: .1rem 0; }
  table.stackable td[data-label]::before { content: attr(data-label) ": "; color: var(--muted); font-size: .875rem; }
}
`;

export type LayoutProps = {
  title: string;
  children?: Child;
  signedInAs?: string | null;
  /** The session's CSRF token, which puts a sign-out button in the header. */
  signOutToken?: string | null;
  /** Extra styles a page needs (the team calendar, the charts). */
  style?: string;
};

export function Layout(props: LayoutProps) {
  const signedIn = Boolean(props.signedInAs);
  return (
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>{props.title} · Baton</title>
        <style>{raw(STYLE + (props.style ?? ""))}</style>
      </head>
      <body>
        <header class="site">
          <nav aria-label="Baton">
            <a href="/" class="brand">
              Baton
            </a>
            {signedIn ? <a href="/">Teams</a> : null}
            {signedIn ? <a href="/me">My page</a> : null}
            {signedIn ? <span class="who">signed in as {props.signedInAs}</span> : <a href="/login" class="who">Sign in</a>}
            {props.signOutToken ? (
              <form method="post" action="/logout">
                <input type="hidden" name="_csrf" value={props.signOutToken} />
                <button type="submit">Sign out</button>
              </form>
            ) : null}
          </nav>
        </header>
        <main class="page">{props.children}</main>
      </body>
    </html>
  );
}
