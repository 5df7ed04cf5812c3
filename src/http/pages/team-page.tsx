import { DateTime } from "luxon";
import type { CoverageGap, CoverageOverlap } from "../../domain/coverage";
import type { Team } from "../../domain/org-file";
import type { OncallAnswer, Person } from "../../services/oncall";
import { Layout } from "./layout";

export type UpcomingWeek = { rotation: string; weekStart: string; weekEnd: string; member: Person | null; changed: boolean };

export type TeamPageData = {
  team: Team;
  now: string;
  oncall: OncallAnswer;
  chain: { level: number; afterMinutes: number; members: Person[] }[];
  repeat: number;
  upcoming: UpcomingWeek[];
  coverage: { gaps: CoverageGap[]; overlaps: CoverageOverlap[]; uncovered: { start: string; end: string }[] };
  signedInAs: string | null;
};

const inZone = (iso: string, zone: string, format = "ccc d LLL HH:mm") => DateTime.fromISO(iso).setZone(zone).toFormat(format);

function Contact(props: { person: Person }) {
  const p = props.person;
  return (
    <span>
      <strong>{p.name}</strong>{" "}
      {p.phone ? <a href={`tel:${p.phone.replace(/\s+/g, "")}`}>{p.phone}</a> : null}{" "}
      <a href={`mailto:${p.email}`} class="muted">{p.email}</a>
    </span>
  );
}

export function TeamPage({ data, signOutToken }: { data: TeamPageData; signOutToken: string | null }) {
  const { team, oncall, now } = data;
  const rotationName = new Map(team.rotations.map((r) => [r.id, r.name]));
  const warnings = data.coverage.uncovered.length + data.coverage.gaps.length + data.coverage.overlaps.length;
  return (
    <Layout title={team.name} signedInAs={data.signedInAs} signOutToken={signOutToken}>
      <h1>{team.name}</h1>
      <p class="muted">
        Times in {team.timeZone} unless marked. Handoff {team.handoff.weekday.charAt(0).toUpperCase() + team.handoff.weekday.slice(1)} {team.handoff.time}.
      </p>

      <h2>On call now</h2>
      {oncall.oncall.length === 0 ? (
        <p class="warn">Nobody is on call right now: no planned shift covers this instant.</p>
      ) : (
        oncall.oncall.map((o) => (
          <div class="card">
            <div>
              {rotationName.get(o.rotation) ?? o.rotation}: <Contact person={o.member} />
            </div>
            <div class="muted">
              their time {inZone(now, o.member.timeZone, "ccc HH:mm")} ({o.member.timeZone}) · until {inZone(o.end, team.timeZone)}
              {o.source !== "schedule" ? ` · ${o.source}` : ""}
            </div>
          </div>
        ))
      )}
      {oncall.nextHandoff ? <p class="muted">Next handoff {inZone(oncall.nextHandoff, team.timeZone)}.</p> : null}

      <h2>Escalation</h2>
      <table>
        <thead>
          <tr><th>Level</th><th>After</th><th>Who</th></tr>
        </thead>
        <tbody>
          {data.chain.map((level) => (
            <tr>
              <td>{level.level}</td>
              <td>{level.afterMinutes} min</td>
              <td>{level.members.length === 0 ? <span class="warn">nobody</span> : level.members.map((p, i) => <>{i > 0 ? ", " : ""}<Contact person={p} /></>)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <p class="muted">{data.repeat > 0 ? `The chain is walked ${data.repeat} more time${data.repeat > 1 ? "s" : ""} if nobody answers.` : "The chain is walked once."}</p>

      <h2>Coming weeks</h2>
      <table>
        <thead>
          <tr><th>Week</th><th>Rotation</th><th>Who</th></tr>
        </thead>
        <tbody>
          {data.upcoming.map((w) => (
            <tr>
              <td>{inZone(w.weekStart, team.timeZone, "ccc d LLL")} – {inZone(w.weekEnd, team.timeZone, "ccc d LLL")}</td>
              <td>{rotationName.get(w.rotation) ?? w.rotation}</td>
              <td>{w.member ? w.member.name : <span class="warn">nobody planned</span>}{w.changed ? <span class="muted"> (covers or swaps)</span> : null}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {data.upcoming.length === 0 ? <p class="warn">No weeks are planned yet.</p> : null}

      <h2>Coverage</h2>
      {warnings === 0 ? <p>The whole day is covered for the next two weeks.</p> : null}
      <ul>
        {data.coverage.uncovered.map((u) => (
          <li class="warn">Nobody on call {inZone(u.start, team.timeZone)} – {inZone(u.end, team.timeZone)}</li>
        ))}
        {data.coverage.gaps.map((g) => (
          <li>Gap {inZone(g.start, team.timeZone)} – {inZone(g.end, team.timeZone, "HH:mm")} ({g.minutes} min): {g.resolution}</li>
        ))}
        {data.coverage.overlaps.map((o) => (
          <li>Overlap {inZone(o.start, team.timeZone)} – {inZone(o.end, team.timeZone, "HH:mm")} ({o.minutes} min): {o.resolution}</li>
        ))}
      </ul>
    </Layout>
  );
}

export function SignInPage() {
  return (
    <Layout title="Sign in">
      <h1>Sign in</h1>
      <p>Open the personal link Baton gave you (an admin prints it with <code>npx baton token --member you</code>).</p>
    </Layout>
  );
}
