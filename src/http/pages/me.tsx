import type { Eligibility } from "../../domain/swaps";
import { localTime } from "../../domain/swaps";
import type { Shift } from "../../domain/types";
import type { CalendarLinks } from "../../services/calendar";
import type { SwapView } from "../../services/swaps";
import { Layout } from "./layout";

export type Labelled = { teamName: string; rotationName: string };

export type MePageData = {
  member: { id: string; name: string; timeZone: string };
  shifts: (Shift & Labelled & { id: string; openRequest: number | null })[];
  waiting: { swap: SwapView & Labelled; check: Eligibility }[];
  mine: (SwapView & Labelled)[];
  calendar: CalendarLinks;
  csrf: string;
};

const SOURCE: Record<Shift["source"], string> = { schedule: "scheduled", override: "override", swap: "swap", "holiday-cover": "holiday cover" };

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

export function MePage({ data }: { data: MePageData }) {
  const zone = data.member.timeZone;
  const when = (iso: string) => localTime(iso, zone);
  return (
    <Layout title="My shifts" signedInAs={data.member.name} signOutToken={data.csrf}>
      <h1>{data.member.name}</h1>
      <p class="muted">Times are in your zone, {zone}.</p>

      <h2>My upcoming shifts</h2>
      {data.shifts.length === 0 ? (
        <p class="muted">No shifts in the coming weeks.</p>
      ) : (
        <table>
          <thead>
            <tr>
              <th>Team · rotation</th>
              <th>From</th>
              <th>Until</th>
              <th class="optional">How</th>
              <th></th>
            </tr>
          </thead>
          <tbody>
            {data.shifts.map((s) => (
              <tr data-shift={s.id}>
                <td>
                  {s.teamName} · {s.rotationName}
                </td>
                <td>{when(s.start)}</td>
                <td>{when(s.end)}</td>
                <td class="optional">{SOURCE[s.source]}</td>
                <td>
                  {s.openRequest !== null ? (
                    <a href={`/swaps/${s.openRequest}`}>request #{s.openRequest}</a>
                  ) : (
                    <a href={`/swaps/new?shift=${encodeURIComponent(s.id)}`}>Swap…</a>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}

      <h2>Requests waiting for me</h2>
      {data.waiting.length === 0 ? (
        <p class="muted">Nobody is asking you or your rotations for anything.</p>
      ) : (
        data.waiting.map(({ swap, check }) => (
          <div class="card" data-swap={swap.id}>
            <a href={`/swaps/${swap.id}`}>
              #{swap.id}: {swap.requester.name} asks for {swap.type === "cover" ? "cover" : "a trade"}
            </a>{" "}
            <span class="muted">{swap.to ? "(asked you by name)" : "(open to the rotation)"}</span>
            <div>
              {swap.teamName} · {swap.rotationName}, {when(swap.start)} to {when(swap.end)}
            </div>
            {swap.note ? <div class="muted">“{swap.note}”</div> : null}
            <Eligible check={check} you />
          </div>
        ))
      )}

      <h2>My requests</h2>
      {data.mine.length === 0 ? (
        <p class="muted">You have not asked for any swaps.</p>
      ) : (
        <ul>
          {data.mine.map((swap) => (
            <li>
              <a href={`/swaps/${swap.id}`}>#{swap.id}</a> <span class="status">{swap.status}</span> {swap.type}: {swap.teamName} · {swap.rotationName},{" "}
              {when(swap.start)} to {when(swap.end)}
              {swap.taker ? ` — taken by ${swap.taker.name}` : ""}
            </li>
          ))}
        </ul>
      )}

      <h2>Calendar</h2>
      <p>Subscribe to your shifts in every team:</p>
      <ul>
        <li>
          <a href={data.calendar.webcal}>Subscribe (webcal)</a>
        </li>
        <li>
          <a href={data.calendar.google}>Add to Google Calendar</a>
        </li>
        <li>
          <a href={data.calendar.https}>Feed URL (https)</a> <span class="muted">for calendars that ask for a URL</span>
        </li>
      </ul>
    </Layout>
  );
}
