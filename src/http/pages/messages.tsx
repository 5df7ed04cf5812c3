import { Layout } from "./layout";
import { LoginForm } from "./login";

/** A page that only says something: a refused link, a refused form, a missing page. */
export function MessagePage(props: { title: string; message: string; signedInAs?: string | null; signOutToken?: string | null; backTo?: string }) {
  return (
    <Layout title={props.title} signedInAs={props.signedInAs ?? null} signOutToken={props.signOutToken ?? null}>
      <h1>{props.title}</h1>
      <p role="alert">{props.message}</p>
      {props.backTo ? (
        <p>
          <a href={props.backTo}>Back</a>
        </p>
      ) : null}
    </Layout>
  );
}

export function SignInNeededPage() {
  return (
    <Layout title="Sign in">
      <h1>Sign in</h1>
      <p role="alert">This page needs you to be signed in.</p>
      <LoginForm error={null} />
    </Layout>
  );
}

export function NotFoundPage(props: { path: string; signedInAs?: string | null }) {
  return (
    <Layout title="Page not found" signedInAs={props.signedInAs ?? null}>
      <h1>Page not found</h1>
      <p role="alert">
        There is no page at <code>{props.path}</code>.
      </p>
      <p>
        <a href="/">Go to the home page</a>
      </p>
    </Layout>
  );
}

export function ErrorPage() {
  return (
    <Layout title="Something went wrong">
      <h1>Something went wrong</h1>
      <p role="alert">Baton could not show this page. The error is in the server's log; try again in a moment.</p>
      <p>
        <a href="/">Go to the home page</a>
      </p>
    </Layout>
  );
}

export function SignOutPage(props: { signedInAs: string | null; token: string | null }) {
  return (
    <Layout title="Sign out" signedInAs={props.signedInAs}>
      <h1>Sign out</h1>
      {props.token ? (
        <form method="post" action="/logout">
          <input type="hidden" name="_csrf" value={props.token} />
          <button type="submit">Sign out of Baton</button>
        </form>
      ) : (
        <p>You are not signed in.</p>
      )}
    </Layout>
  );
}
