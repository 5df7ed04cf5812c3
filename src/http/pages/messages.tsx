import { Layout } from "./layout";

/** A page that only says something: a refused link, a missing sign-in, a refused form. */
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
    <MessagePage
      title="Sign in"
      message="Open the personal link Baton gave you to sign in (an admin prints it with npx baton token --member <you>)."
    />
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
