import type { Person } from "../../services/oncall";
import type { CalendarDay, PlannedWeek, TeamPageData } from "../../services/team-page";
import { addDays } from "../../domain/time";
import { CHART_STYLE, CoverageBand, FairnessChart } from "./charts";
import { dateLabel, inZone, plural } from "./format";
import { Layout } from "./layout";
import { SOURCE_LABEL } from "./member-page";

const TEAM_STYLE = `
.month { margin: .5rem 0 1.5rem; }
.month-grid { display: grid; grid-template-columns: repeat(7, minmax(0, 1fr)); border-top: 1px solid var(--line); border-left: 1px solid var(--line); }
.month-grid > * { border-right: 1px solid var(--line); border-bottom: 1px solid var(--line); min-width: 0; }
.month-grid .dow { font-size: .8rem; font-weight: 600; color: var(--muted); padding: .25rem .4rem; background: var(--panel); }
.month-grid .day { min-height: 5.5rem; padding: .25rem .4rem; font-size: .8rem; }
.month-grid .day.off { background: var(--panel); }
.month-grid .day.today { box-shadow: inset 0 0 0 2px var(--accent); }
.month-grid .num { font-weight: 700; font-size: .85rem; }
.month-grid .who { display: block; overflow: hidden; line-height: 1.3; margin-top: .15rem; }
.month-grid .who .rot { color: var(--muted); font-size: .7rem; text-transform: uppercase; letter-spacing: .03em; }
.month-grid .who.changed { color: #5b21b6; } .month-grid .who.holiday-cover { color: var(--warn); }
.month-grid .who.nobody { color: var(--bad); font-weight: 600; }
.week-list .card h3 { margin: 0 0 .25rem; font-size: 1rem; }
.holdings { list-style: none; padding: 0; margin: .35rem 0; }
.holdings li { padding: .15rem 0; }
.reason { font-size: .875rem; color: var(--muted); }
.contact .email { display: block; font-size: .875rem; }
.feed { display: flex; flex-wrap: wrap; gap: .5rem 1rem; align-items: center; }
@media (max-width: 48rem) { .calendar-grid { display: none; } }
`;

function Contact(props: { person: Person }) {
  const p = props.person;
  return (
    <span class="contact">
      <strong>{p.name}</strong> {p.phone ? <a href={`tel:${p.phone.replace(/\s+/g, "")}`} class="nowrap">{p.phone}</a> : null}
      <a href={`mailto:${p.email}`} class="email">
        {p.email}
      </a>
    </span>
  );
}

function capitalised(word: string): string {
  return word.charAt(0).toUpperCase() + word.slice(1);
}

type Cell = CalendarDay | { date: string; blank: true };

/**
 * The calendar's months, each as whole Monday-to-Sunday weeks. Weeks with no
 * planned day are left out, and days of a neighbouring month stay blank, so
 * each day is drawn once.
 */
function months(days: CalendarDay[]): { title: string; cells: Cell[] }[] {
  const byDate = new Map(days.map((d) => [d.date, d]));
  const result: { title: string; cells: Cell[] }[] = [];
  if (days.length === 0) return result;
  const isMonday = (date: string) => dateLabel(date, "c") === "1";
  let month = days[0]!.date.slice(0, 7);
  const last = days.at(-1)!.date.slice(0, 7);
  while (month <= last) {
    const first = `${month}-01`;
    const cells: Cell[] = [];
    let week: Cell[] = [];
    for (let date = addDays(first, 1 - Number(dateLabel(first, "c"))); date.slice(0, 7) <= month || !isMonday(date); date = addDays(date, 1)) {
      week.push((date.slice(0, 7) === month ? byDate.get(date) : undefined) ?? { date, blank: true });
      if (week.length === 7) {
        if (week.some((cell) => !("blank" in cell))) cells.push(...week);
        week = [];
      }
    }
    result.push({ title: dateLabel(first, "LLLL yyyy"), cells });
    month = addDays(`${month}-28`, 7).slice(0, 7);
  }
  return result;
}

function CalendarGrid(props: { days: CalendarDay[]; today: string; manyRotations: boolean }) {
  return (
    <div class="calendar-grid" id="calendar-grid">
      {months(props.days).map((m) => (
        <section class="month">
          <h3>{m.title}</h3>
          <div class="month-grid">
            {["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"].map((d) => (
              <div class="dow">{d}</div>
            ))}
            {m.cells.map((cell) => {
              if ("blank" in cell) {
                return (
                  <div class="day off">
                    <span class="num muted">{Number(cell.date.slice(8))}</span>
                  </div>
                );
              }
              return (
                <div class={`day ${cell.date === props.today ? "today" : ""}`} data-date={cell.date}>
                  <span class="num">{Number(cell.date.slice(8))}</span>
                  {cell.holders.map((h) =>
                    h.people.length === 0 ? (
                      <span class="who nobody">{props.manyRotations ? `${h.rotationName}: ` : ""}nobody</span>
                    ) : (
                      h.people.map((p) => (
                        <span class={`who ${p.source === "schedule" ? "" : p.source === "holiday-cover" ? "holiday-cover" : "changed"}`} title={`${h.rotationName}: ${p.name} (${SOURCE_LABEL[p.source]})`}>
                          {props.manyRotations ? <span class="rot">{h.rotationName} </span> : null}
                          {p.name}
                        </span>
                      ))
                    ),
                  )}
                </div>
              );
            })}
          </div>
        </section>
      ))}
    </div>
  );
}

/** Gaps or overlaps between regional windows: they recur daily while clocks drift, so the list opens on demand. */
function WindowNotes(props: { kind: string; items: { start: string; end: string; minutes: number; resolution: string }[]; zone: string; summary: (n: number) => string }) {
  if (props.items.length === 0) return null;
  return (
    <details class="small">
      <summary>{props.summary(props.items.length)}</summary>
      <ul>
        {props.items.map((g) => (
          <li>
            {props.kind} <span class="nowrap">{inZone(g.start, props.zone)}</span> – <span class="nowrap">{inZone(g.end, props.zone, "HH:mm")}</span> ({g.minutes} min): {g.resolution}
          </li>
        ))}
      </ul>
    </details>
  );
}

function WeekCard(props: { week: PlannedWeek; zone: string; manyRotations: boolean }) {
  const { week, zone } = props;
  const t = (iso: string) => inZone(iso, zone, "ccc d LLL HH:mm");
  const split = week.holdings.length > 1 || week.holdings.some((h) => h.source !== "schedule");
  return (
    <article class="card" data-week={`${week.rotation}~${week.weekStart}`}>
      <h3>
        <span class="nowrap">{inZone(week.weekStart, zone, "ccc d LLL")}</span> – <span class="nowrap">{inZone(week.weekEnd, zone, "ccc d LLL")}</span>
        {props.manyRotations ? <span class="muted"> · {week.rotationName}</span> : null}
      </h3>
      {week.planned ? (
        <div>
          Planned: <strong>{week.planned.name}</strong>
        </div>
      ) : (
        <div class="bad">Nobody could be planned.</div>
      )}
      <div class="reason">{week.reason}</div>
      {split ? (
        <ul class="holdings" aria-label="Who holds which part">
          {week.holdings.map((h) => (
            <li>
              <strong>{h.member ? h.member.name : "nobody"}</strong> <span class="nowrap">{t(h.start)}</span> – <span class="nowrap">{t(h.end)}</span>{" "}
              {h.source === "schedule" ? null : <span class={`tag ${h.source}`}>{SOURCE_LABEL[h.source]}</span>}
            </li>
          ))}
        </ul>
      ) : null}
    </article>
  );
}

export function TeamPage({ data, signedInAs, signOutToken }: { data: TeamPageData; signedInAs: string; signOutToken: string | null }) {
  const { team, oncall, now } = data;
  const zone = team.timeZone;
  const rotationName = new Map(team.rotations.map((r) => [r.id, r.name]));
  const manyRotations = team.rotations.length > 1;
  const today = data.calendar.from;
  const { coverage } = data;
  return (
    <Layout title={team.name} signedInAs={signedInAs} signOutToken={signOutToken} style={TEAM_STYLE + CHART_STYLE}>
      <h1>{team.name}</h1>
      <p class="muted">
        Times in {zone}. Handoff {capitalised(team.handoff.weekday)} {team.handoff.time}
        {manyRotations ? ` · ${team.rotations.map((r) => r.name).join(", ")}` : ""}.
      </p>

      <div class="split">
        <section>
          <h2>On call now</h2>
          {oncall.oncall.length === 0 ? (
            <p class="notice bad">Nobody is on call right now: no planned shift covers this instant.</p>
          ) : (
            oncall.oncall.map((o) => (
              <div class="card">
                <div>
                  <span class="muted">{rotationName.get(o.rotation) ?? o.rotation}:</span> <Contact person={o.member} />
                </div>
                <div class="muted small">
                  their time {inZone(now, o.member.timeZone, "ccc HH:mm")} ({o.member.timeZone}) · until <span class="nowrap">{inZone(o.end, zone)}</span>
                  {o.source !== "schedule" ? ` · ${SOURCE_LABEL[o.source]}` : ""}
                </div>
              </div>
            ))
          )}
          {oncall.nextHandoff ? <p class="muted">Next handoff {inZone(oncall.nextHandoff, zone)}.</p> : null}
        </section>
        <section>
          <h2>Coverage</h2>
          {coverage.uncovered.length + coverage.gaps.length + coverage.overlaps.length === 0 ? (
            <p class="ok">Every planned hour of the coming {coverage.days} days has someone on call.</p>
          ) : null}
          {coverage.uncovered.length > 0 ? (
            <ul id="coverage-warnings">
              {coverage.uncovered.map((u) => (
                <li class="bad">
                  Nobody on call <span class="nowrap">{inZone(u.start, zone)}</span> – <span class="nowrap">{inZone(u.end, zone)}</span>
                </li>
              ))}
            </ul>
          ) : null}
          <WindowNotes kind="Gap" items={coverage.gaps} zone={zone} summary={(n) => `${plural(n, "gap")} between regional windows, each held by a longer window`} />
          <WindowNotes kind="Overlap" items={coverage.overlaps} zone={zone} summary={(n) => `${plural(n, "overlap")} where two regions are on call`} />
          <h2>Team calendar feed</h2>
          <div class="feed">
            <a href={data.feed.webcal} class="button">
              Subscribe (webcal)
            </a>
            <a href={data.feed.google}>Add to Google Calendar</a>
          </div>
          <p class="small muted">
            Every shift of the team. Feed URL: <a href={data.feed.https} class="url">{data.feed.https}</a>
          </p>
        </section>
      </div>

      <h2>Escalation</h2>
      <table class="stackable" id="escalation">
        <thead>
          <tr>
            <th>Level</th>
            <th>After</th>
            <th>Who is paged</th>
          </tr>
        </thead>
        <tbody>
          {data.chain.map((level) => (
            <tr>
              <td data-label="Level">{level.level}</td>
              <td data-label="After">{level.afterMinutes} min</td>
              <td>{level.members.length === 0 ? <span class="warn">nobody</span> : level.members.map((p, i) => <>{i > 0 ? <br /> : null}<Contact person={p} /></>)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <p class="muted">{data.repeat > 0 ? `The chain is walked ${data.repeat} more time${data.repeat > 1 ? "s" : ""} if nobody answers.` : "The chain is walked once."}</p>

      <h2>Coming weeks</h2>
      {data.weeks.length === 0 ? (
        <p class="notice">No weeks are planned yet.</p>
      ) : (
        <>
          <CalendarGrid days={data.calendar.days} today={today} manyRotations={manyRotations} />
          <div class="cards week-list" id="week-list">
            {data.weeks.map((w) => (
              <WeekCard week={w} zone={zone} manyRotations={manyRotations} />
            ))}
          </div>
        </>
      )}

      {data.band ? (
        <>
          <h2>Follow-the-sun coverage, next {plural(data.band.days.length, "day")}</h2>
          <CoverageBand band={data.band} timeZone={zone} />
        </>
      ) : null}

      <h2>Fairness</h2>
      <FairnessChart bars={data.fairness.bars} from={data.fairness.from} to={data.fairness.to} timeZone={zone} />
    </Layout>
  );
}
