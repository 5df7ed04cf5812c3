import type { Eligibility } from "../../domain/swaps";
import { localTime } from "../../domain/swaps";
import type { Shift } from "../../domain/types";
import type { MemberPageData } from "../../services/member-page";
import { dateLabel, inZone } from "./format";
import { Layout } from "./layout";

export const SOURCE_LABEL: Record<Shift["source"], string> = { schedule: "scheduled", override: "override", swap: "swap", "holiday-cover": "holiday cover" };

export function Eligible(props: { check: Eligibility; you?: boolean }) {
  const { check } = props;
  return (
    <>
      {check.eligible ? <span class="ok">{props.you ? "You can take it." : "can take it"}</span> : <span class="warn">not eligible: {check.refusals.map((r) => r.message).join("; ")}</span>}
      {check.warnings.map((w) => (
        <div class="warn">warning: {w}</div>
      ))}
    </>
  );
}

export type TimeOffForm = { values: { start: string; end: string; note: string }; errors: Partial<Record<"start" | "end" | "note", string>>; formError: string | null; added: string | null };

export const emptyTimeOffForm = (): TimeOffForm => ({ values: { start: "", end: "", note: "" }, errors: {}, formError: null, added: null });

function DateField(props: { field: "start" | "end"; label: string; value: string; error: string | undefined }) {
  return (
    <div>
      <label for={`time-off-${props.field}`}>{props.label}</label>
      <input
        type="date"
        id={`time-off-${props.field}`}
        name={props.field}
        value={props.value}
        required
        {...(props.error ? { "aria-invalid": "true", "aria-describedby": `time-off-${props.field}-error` } : {})}
      />
      {props.error ? (
        <p class="error" id={`time-off-${props.field}-error`} data-error-for={props.field}>
          {props.error}
        </p>
      ) : null}
    </div>
  );
}

/** A member's own page; `actingAs` is set when an admin is looking at it on their behalf. */
export function MemberPage(props: { data: MemberPageData; csrf: string; signedInAs: string; actingAs: boolean; timeOff: TimeOffForm }) {
  const { data, timeOff } = props;
  const zone = data.member.timeZone;
  const when = (iso: string) => localTime(iso, zone);
  const base = `/members/${encodeURIComponent(data.member.id)}`;
  return (
    <Layout title={props.actingAs ? data.member.name : "My page"} signedInAs={props.signedInAs} signOutToken={props.csrf}>
      <h1>{data.member.name}</h1>
      {props.actingAs ? (
        <p class="notice">You are signed in as admin and acting for {data.member.name}: what you change here is recorded as done by the admin.</p>
      ) : null}
      <p class="muted">
        Times are in {props.actingAs ? "their" : "your"} zone, {zone}.{" "}
        {data.teams.length > 0 ? (
          <>
            Teams:{" "}
            {data.teams.map((t, i) => (
              <>
                {i > 0 ? ", " : ""}
                <a href={`/teams/${encodeURIComponent(t.id)}`}>{t.name}</a> <span class="small">({t.rotations.join(", ")})</span>
              </>
            ))}
            .
          </>
        ) : (
          "Not in any team's rotation."
        )}
      </p>

      <h2>Upcoming shifts</h2>
      {data.shifts.length === 0 ? (
        <p class="muted">No planned shifts.</p>
      ) : (
        <>
          <p class="muted small">
            {data.shifts.length} planned {data.shifts.length === 1 ? "shift" : "shifts"}
            {data.horizon ? `, to the end of the plan on ${inZone(data.horizon, zone, "d LLL yyyy")}` : ""}.
          </p>
          <table class="stackable" id="shifts">
            <thead>
              <tr>
                <th>Team · rotation</th>
                <th>From</th>
                <th>Until</th>
                <th>How</th>
                <th>Swap</th>
              </tr>
            </thead>
            <tbody>
              {data.shifts.map((s) => (
                <tr data-shift={s.id}>
                  <td>
                    <strong>{s.teamName}</strong> · {s.rotationName}
                  </td>
                  <td data-label="From">{when(s.start)}</td>
                  <td data-label="Until">{when(s.end)}</td>
                  <td>{s.source === "schedule" ? <span class="muted small">scheduled</span> : <span class={`tag ${s.source}`}>{SOURCE_LABEL[s.source]}</span>}</td>
                  <td>
                    {s.openRequest !== null ? (
                      <a href={`/swaps/${s.openRequest}`}>Request #{s.openRequest}</a>
                    ) : props.actingAs ? null : (
                      <a href={`/swaps/new?shift=${encodeURIComponent(s.id)}`}>Swap…</a>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      )}

      <h2 id="time-off">Time off</h2>
      {timeOff.added ? (
        <p class="notice good" role="status">
          {timeOff.added}
        </p>
      ) : null}
      {data.timeOff.length === 0 ? (
        <p class="muted">No time off booked.</p>
      ) : (
        <ul class="plain" id="time-off-list">
          {data.timeOff.map((t) => (
            <li data-time-off={t.id} class="row" style="justify-content: space-between; align-items: center">
              <span>
                <strong class="nowrap">{dateLabel(t.start)}</strong>
                {t.end && t.end !== t.start ? (
                  <>
                    {" "}
                    to <strong class="nowrap">{dateLabel(t.end)}</strong>
                  </>
                ) : null}
                {t.rrule ? <span class="muted small"> repeating ({t.rrule})</span> : null}
                {t.note ? <span class="muted"> · {t.note}</span> : null}
              </span>
              <form method="post" action={`${base}/time-off/${t.id}/delete`} class="inline">
                <input type="hidden" name="_csrf" value={props.csrf} />
                <button type="submit" class="danger" aria-label={`Remove time off from ${t.start}`}>
                  Remove
                </button>
              </form>
            </li>
          ))}
        </ul>
      )}
      <form method="post" action={`${base}/time-off`} class="card" id="time-off-form" novalidate>
        <h3>Book time off</h3>
        <p class="muted small">Whole days, both included, in {zone}. The rota is re-planned at once so nobody is left on call while away.</p>
        {timeOff.formError ? (
          <p class="error" role="alert">
            {timeOff.formError}
          </p>
        ) : null}
        <input type="hidden" name="_csrf" value={props.csrf} />
        <div class="row">
          <DateField field="start" label="First day" value={timeOff.values.start} error={timeOff.errors.start} />
          <DateField field="end" label="Last day" value={timeOff.values.end} error={timeOff.errors.end} />
        </div>
        <label for="time-off-note">Note (optional)</label>
        <input type="text" id="time-off-note" name="note" value={timeOff.values.note} maxlength={500} style="width: 100%" />
        {timeOff.errors.note ? <p class="error">{timeOff.errors.note}</p> : null}
        <p>
          <button type="submit">Book time off</button>
        </p>
      </form>

      <h2>Requests waiting for {props.actingAs ? data.member.name : "me"}</h2>
      {data.waiting.length === 0 ? (
        <p class="muted">Nobody is asking {props.actingAs ? "them" : "you"} or {props.actingAs ? "their" : "your"} rotations for anything.</p>
      ) : (
        data.waiting.map(({ swap, check }) => (
          <div class="card" data-swap={swap.id}>
            <a href={`/swaps/${swap.id}`}>
              #{swap.id}: {swap.requester.name} asks for {swap.type === "cover" ? "cover" : "a trade"}
            </a>{" "}
            <span class="muted">{swap.to ? (props.actingAs ? "(asked them by name)" : "(asked you by name)") : "(open to the rotation)"}</span>
            <div>
              {swap.teamName} · {swap.rotationName}, {localTime(swap.start, zone)} to {localTime(swap.end, zone)}
            </div>
            {swap.note ? <div class="muted">“{swap.note}”</div> : null}
            <Eligible check={check} you={!props.actingAs} />
          </div>
        ))
      )}

      <h2>{props.actingAs ? "Their" : "My"} swap requests</h2>
      {data.mine.length === 0 ? (
        <p class="muted">No swap requests yet.</p>
      ) : (
        <ul class="plain" id="my-swaps">
          {data.mine.map((swap) => (
            <li data-swap={swap.id}>
              <span class={`tag ${swap.status}`}>{swap.status}</span> <a href={`/swaps/${swap.id}`}>#{swap.id}</a> {swap.type === "cover" ? "cover" : "trade"}:{" "}
              {swap.teamName} · {swap.rotationName}, <span class="nowrap">{when(swap.start)}</span> to <span class="nowrap">{when(swap.end)}</span>
              {swap.taker ? ` — taken by ${swap.taker.name}` : ""}
            </li>
          ))}
        </ul>
      )}

      <h2>Calendar</h2>
      <p>Subscribe to {props.actingAs ? "their" : "your"} shifts in every team:</p>
      <ul>
        <li>
          <a href={data.calendar.webcal}>Subscribe in your calendar app (webcal)</a>
        </li>
        <li>
          <a href={data.calendar.google}>Add to Google Calendar</a>
        </li>
        <li>
          Feed URL for calendars that ask for one: <a href={data.calendar.https} class="url">{data.calendar.https}</a>
        </li>
      </ul>
    </Layout>
  );
}

/** What an admin sees at /me: the members they can act for. */
export function MembersPage(props: { members: { id: string; name: string }[]; csrf: string }) {
  return (
    <Layout title="Members" signedInAs="admin" signOutToken={props.csrf}>
      <h1>Members</h1>
      <p class="muted">You are signed in as admin. Open a member's page to see their shifts and swap requests, or to book or remove time off for them; the audit log records it as done by the admin.</p>
      <ul class="cards plain" id="members">
        {props.members.map((m) => (
          <li class="card">
            <a href={`/members/${encodeURIComponent(m.id)}`}>{m.name}</a>
          </li>
        ))}
      </ul>
    </Layout>
  );
}
