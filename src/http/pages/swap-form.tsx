import type { Child } from "hono/jsx";
import { localTime, shiftId } from "../../domain/swaps";
import type { SwapFormContext } from "../../services/swaps";
import { Layout } from "./layout";

export const FORM_FIELDS = ["start", "end", "type", "to", "offered", "note"] as const;
export type FormField = (typeof FORM_FIELDS)[number];

export type SwapFormValues = { shift: string; start: string; end: string; type: string; to: string; offered: string; note: string };

export type SwapFormData = {
  member: { name: string; timeZone: string };
  csrf: string;
  context: SwapFormContext;
  values: SwapFormValues;
  errors: Partial<Record<FormField, string>>;
  formError: string | null;
};

/** A field's error, right under it, tied to it for screen readers. */
function FieldError(props: { field: FormField; errors: SwapFormData["errors"] }) {
  const message = props.errors[props.field];
  return message ? (
    <p class="error" id={`${props.field}-error`} data-error-for={props.field}>
      {message}
    </p>
  ) : null;
}

const invalidProps = (field: FormField, errors: SwapFormData["errors"]) =>
  errors[field] ? { "aria-invalid": "true", "aria-describedby": `${field}-error` } : {};

function Field(props: { field: FormField; label: string; errors: SwapFormData["errors"]; children: Child; hint?: string }) {
  return (
    <div>
      <label for={props.field}>{props.label}</label>
      {props.children}
      {props.hint ? <div class="muted">{props.hint}</div> : null}
      <FieldError field={props.field} errors={props.errors} />
    </div>
  );
}

export function SwapFormPage({ data }: { data: SwapFormData }) {
  const { context, values, errors } = data;
  const zone = data.member.timeZone;
  return (
    <Layout title="Ask for a swap" signedInAs={data.member.name} signOutToken={data.csrf}>
      <h1>Ask for a swap</h1>
      <p>
        {context.teamName} · {context.rotationName}: {localTime(context.slot.start, zone)} to {localTime(context.slot.end, zone)}
      </p>
      {data.formError ? (
        <p class="error" role="alert" id="form-error">
          {data.formError}
        </p>
      ) : null}
      <form method="post" action="/swaps/new" novalidate>
        <input type="hidden" name="_csrf" value={data.csrf} />
        <input type="hidden" name="shift" value={values.shift} />

        <Field field="start" label="From" errors={errors} hint={`Your local time (${zone}); keep the whole shift or give away a part.`}>
          <input type="datetime-local" id="start" name="start" value={values.start} required {...invalidProps("start", errors)} />
        </Field>
        <Field field="end" label="Until" errors={errors}>
          <input type="datetime-local" id="end" name="end" value={values.end} required {...invalidProps("end", errors)} />
        </Field>

        <fieldset {...invalidProps("type", errors)}>
          <legend>What you ask for</legend>
          <label class="choice">
            <input type="radio" name="type" value="cover" checked={values.type !== "trade"} /> Cover: someone takes it
          </label>
          <label class="choice">
            <input type="radio" name="type" value="trade" checked={values.type === "trade"} /> Trade: you take one of their shifts in return
          </label>
          <FieldError field="type" errors={errors} />
        </fieldset>

        <Field field="to" label="Ask" errors={errors}>
          <select id="to" name="to" {...invalidProps("to", errors)}>
            <option value="" selected={values.to === ""}>
              Anyone eligible in the rotation
            </option>
            {context.candidates.map((c) => (
              <option value={c.member} selected={values.to === c.member}>
                {c.name}
                {c.eligible ? (c.warnings.length > 0 ? ` (can take it; ${c.warnings.join("; ")})` : " (can take it)") : ` (not eligible: ${c.refusals.map((r) => r.message).join("; ")})`}
              </option>
            ))}
          </select>
        </Field>

        <Field field="offered" label="For a trade, in return" errors={errors}>
          <select id="offered" name="offered" {...invalidProps("offered", errors)}>
            <option value="" selected={values.offered === ""}>
              The taker offers one of their shifts when accepting
            </option>
            {context.tradeable.map((s) => {
              const id = shiftId(s);
              return (
                <option value={id} selected={values.offered === id}>
                  {s.name}: {localTime(s.start, zone)} to {localTime(s.end, zone)}
                </option>
              );
            })}
          </select>
        </Field>

        <Field field="note" label="Note (optional)" errors={errors}>
          <textarea id="note" name="note" rows={3} cols={60} maxlength={1000} {...invalidProps("note", errors)}>
            {values.note}
          </textarea>
        </Field>

        <p>
          <button type="submit">Ask</button> <a href="/me">Back to my shifts</a>
        </p>
      </form>
    </Layout>
  );
}
