import type { TeamSummary } from "../../services/home-page";
import { inZone, plural } from "./format";
import { Layout } from "./layout";
import { LoginForm } from "./login";

export function HomeSignedOut(props: { error: string | null }) {
  return (
    <Layout title="On-call rotas that stay fair">
      <section class="hero">
        <h1>Baton: on-call rotas that stay fair</h1>
        <p>
          Baton plans who is on call for each team, week by week. It knows every member's public holidays and time off, follows the sun across regions,
          evens out swaps and covers over time, and answers <em>who is on call now</em> for your alerting.
        </p>
        <ul>
          <li>See who is on call, their local time and the escalation chain.</li>
          <li>Ask a colleague to cover or trade a shift, and book your time off.</li>
          <li>Subscribe to your shifts or your team's in any calendar app.</li>
        </ul>
      </section>
      <h2>Sign in</h2>
      <LoginForm error={props.error} />
    </Layout>
  );
}

function TeamCard({ team, now }: { team: TeamSummary; now: string }) {
  const warnings = team.uncovered.length;
  return (
    <article class="card" data-team={team.id}>
      <h3>
        <a href={`/teams/${encodeURIComponent(team.id)}`}>{team.name}</a>
      </h3>
      {!team.planned ? (
        <p class="notice bad">Nothing is planned for this team yet.</p>
      ) : team.oncall.length === 0 ? (
        <p class="notice bad">Nobody is on call right now.</p>
      ) : (
        <ul class="plain">
          {team.oncall.map((o) => (
            <li>
              <strong>{o.member.name}</strong> <span class="muted small">{team.rotations.get(o.rotation) ?? o.rotation}</span>
              <div class="muted small">
                their time <span class="nowrap">{inZone(now, o.member.timeZone, "ccc HH:mm")}</span> · until{" "}
                <span class="nowrap">{inZone(o.end, team.timeZone)}</span>
              </div>
            </li>
          ))}
        </ul>
      )}
      {team.nextHandoff ? (
        <p class="small">
          Next handoff <span class="nowrap">{inZone(team.nextHandoff, team.timeZone)}</span> <span class="muted">({team.timeZone})</span>
        </p>
      ) : null}
      {warnings > 0 ? (
        <p class="notice bad small">
          {plural(warnings, "stretch", "stretches")} with nobody on call in the coming four weeks, first{" "}
          <span class="nowrap">{inZone(team.uncovered[0]!.start, team.timeZone)}</span>.
        </p>
      ) : team.gaps + team.overlaps > 0 ? (
        <p class="notice small">
          {plural(team.gaps, "gap")} and {plural(team.overlaps, "overlap")} between regional windows, all held.
        </p>
      ) : team.planned ? (
        <p class="ok small">Covered for the coming four weeks.</p>
      ) : null}
      <p class="small">
        <a href={`/teams/${encodeURIComponent(team.id)}`}>Calendar, escalation and fairness for {team.name}</a>
      </p>
    </article>
  );
}

export function HomeSignedIn(props: { teams: TeamSummary[]; now: string; signedInAs: string; signOutToken: string; admin: boolean }) {
  return (
    <Layout title="Teams" signedInAs={props.signedInAs} signOutToken={props.signOutToken}>
      <h1>Who is on call now</h1>
      <p class="muted">
        {props.admin ? "Signed in as admin: every page is yours, and you can act for members from " : "Your shifts, time off and swap requests are on "}
        <a href="/me">{props.admin ? "the members page" : "your page"}</a>.
      </p>
      {props.teams.length === 0 ? <p class="notice">No teams yet. An admin imports the org file with <code>npx baton import org.json</code>.</p> : null}
      <div class="cards">
        {props.teams.map((team) => (
          <TeamCard team={team} now={props.now} />
        ))}
      </div>
    </Layout>
  );
}
