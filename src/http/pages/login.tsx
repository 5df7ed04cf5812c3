import { Layout } from "./layout";

/** The sign-in form: a personal token (from a sign-in link) or the admin token. */
export function LoginForm(props: { error: string | null }) {
  return (
    <form method="post" action="/login" class="card" style="max-width: 32rem">
      <label for="token">Your token</label>
      <input
        type="password"
        id="token"
        name="token"
        required
        autocomplete="current-password"
        style="width: 100%"
        {...(props.error ? { "aria-invalid": "true", "aria-describedby": "token-error" } : { "aria-describedby": "token-hint" })}
      />
      {props.error ? (
        <p class="error" id="token-error" role="alert">
          {props.error}
        </p>
      ) : null}
      <p class="muted small" id="token-hint">
        Paste the personal token from your sign-in link (it starts with <code>bt_p_</code>), or the admin token. Opening the link itself signs you in too.
      </p>
      <button type="submit">Sign in</button>
    </form>
  );
}

export function LoginPage(props: { error: string | null }) {
  return (
    <Layout title="Sign in">
      <h1>Sign in to Baton</h1>
      <LoginForm error={props.error} />
      <p class="muted small">
        No token? An admin prints your sign-in link with <code>npx baton token --member &lt;you&gt;</code>.
      </p>
    </Layout>
  );
}
