import type { Child } from "hono/jsx";
import type { Eligibility } from "../../domain/swaps";
import { localTime, shiftId } from "../../domain/swaps";
import type { SwapPageData as SwapData } from "../../services/swap-page";
import type { SwapDetail } from "../../services/swaps";
import { Layout } from "./layout";
import { Eligible } from "./member-page";

export type SwapPageData = SwapData & { csrf: string; error: string | null };

const OUTCOME: Record<SwapDetail["status"], string> = {
  open: "Open: waiting for someone to take it.",
  accepted: "Accepted.",
  declined: "Declined.",
  cancelled: "Cancelled by the requester.",
  expired: "Expired: nobody took it before it began, so the requester stayed on call.",
};

function ActionButton(props: { id: number; action: "accept" | "decline" | "cancel"; csrf: string; label: string; disabled?: boolean; children?: Child }) {
  return (
    <form method="post" action={`/swaps/${props.id}/${props.action}`} class="card">
      <input type="hidden" name="_csrf" value={props.csrf} />
      {props.children}
      <button type="submit" disabled={props.disabled ?? false}>
        {props.label}
      </button>
    </form>
  );
}

/** What an admin may do for the members concerned: the audit log records the admin acting for them. */
function AdminActions({ data }: { data: SwapPageData }) {
  const { swap } = data;
  const takers = swap.eligibility.filter((e) => e.eligible);
  const needsReturn = swap.type === "trade" && swap.offered === null;
  return (
    <>
      <h2>Act as admin</h2>
      <p class="muted small">What you do here is recorded as done by the admin for the member named.</p>
      {!needsReturn && takers.length > 0 ? (
        <ActionButton id={swap.id} action="accept" csrf={data.csrf} label="Accept for them">
          <label for="asMember">Who takes it</label>
          <select id="asMember" name="asMember">
            {takers.map((e) => (
              <option value={e.member}>{data.names.get(e.member) ?? e.member}</option>
            ))}
          </select>
        </ActionButton>
      ) : null}
      {swap.to ? (
        <ActionButton id={swap.id} action="decline" csrf={data.csrf} label={`Decline for ${swap.to.name}`}>
          <input type="hidden" name="asMember" value={swap.to.id} />
        </ActionButton>
      ) : null}
      <ActionButton id={swap.id} action="cancel" csrf={data.csrf} label={`Cancel for ${swap.requester.name}`}>
        <input type="hidden" name="asMember" value={swap.requester.id} />
      </ActionButton>
    </>
  );
}

export function SwapPage({ data }: { data: SwapPageData }) {
  const { swap, viewer } = data;
  const zone = viewer.timeZone;
  const when = (iso: string) => localTime(iso, zone);
  const name = (id: string) => data.names.get(id) ?? id;
  const mine = swap.requester.id === viewer.id;
  const ownCheck: Eligibility | undefined = swap.eligibility.find((e) => e.member === viewer.id);
  const needsReturn = swap.type === "trade" && swap.offered === null;
  return (
    <Layout title={`Request #${swap.id}`} signedInAs={viewer.name} signOutToken={data.csrf}>
      <h1>
        Request #{swap.id}: {swap.type === "cover" ? "cover" : "trade"}
      </h1>
      <p>
        <span class="status" id="status">
          {swap.status}
        </span>{" "}
        {OUTCOME[swap.status]}
        {swap.taker ? ` Taken by ${swap.taker.name}.` : ""}
      </p>
      {data.error ? (
        <p class="error" role="alert" id="action-error">
          {data.error}
        </p>
      ) : null}
      <table>
        <tbody>
          <tr>
            <th>Shift</th>
            <td>
              {swap.teamName} · {swap.rotationName}, {when(swap.start)} to {when(swap.end)}
              {swap.minutes !== null ? <span class="muted"> ({Math.round((swap.minutes / 60) * 10) / 10} hours on call)</span> : null}
            </td>
          </tr>
          <tr>
            <th>Asked by</th>
            <td>{swap.requester.name}</td>
          </tr>
          <tr>
            <th>Asked of</th>
            <td>{swap.to ? swap.to.name : "anyone eligible in the rotation"}</td>
          </tr>
          {swap.type === "trade" ? (
            <tr>
              <th>In return</th>
              <td>
                {swap.offered
                  ? `${swap.offeredRotationName ?? swap.offered.rotation}, ${when(swap.offered.start)} to ${when(swap.offered.end)}`
                  : "a shift the taker offers when accepting"}
              </td>
            </tr>
          ) : null}
          {swap.note ? (
            <tr>
              <th>Note</th>
              <td id="note">{swap.note}</td>
            </tr>
          ) : null}
        </tbody>
      </table>

      {swap.status === "open" ? (
        <>
          <h2>Who can take it</h2>
          {swap.eligibility.length === 0 ? (
            <p class="warn">Nobody else is in this rotation.</p>
          ) : (
            <ul id="eligibility">
              {swap.eligibility.map((check) => (
                <li data-member={check.member}>
                  <strong>{name(check.member)}</strong>: <Eligible check={check} />
                </li>
              ))}
            </ul>
          )}
          {swap.requesterEligibility && !swap.requesterEligibility.eligible ? (
            <p class="warn">
              {swap.requester.name} cannot take the shift in return: {swap.requesterEligibility.refusals.map((r) => r.message).join("; ")}
            </p>
          ) : null}

          {data.admin ? <AdminActions data={data} /> : null}
          {mine ? <ActionButton id={swap.id} action="cancel" csrf={data.csrf} label="Cancel my request" /> : null}
          {!mine && ownCheck ? (
            <ActionButton id={swap.id} action="accept" csrf={data.csrf} label="Accept" disabled={!ownCheck.eligible || (needsReturn && data.returnable.length === 0)}>
              {needsReturn ? (
                <p>
                  <label for="offered">Your shift in return</label>
                  <select id="offered" name="offered">
                    {data.returnable.map((s) => (
                      <option value={shiftId(s)}>
                        {when(s.start)} to {when(s.end)}
                      </option>
                    ))}
                  </select>
                </p>
              ) : null}
            </ActionButton>
          ) : null}
          {!mine && swap.to?.id === viewer.id ? <ActionButton id={swap.id} action="decline" csrf={data.csrf} label="Decline" /> : null}
        </>
      ) : null}
      <p>
        <a href="/me">Back to my shifts</a>
      </p>
    </Layout>
  );
}
