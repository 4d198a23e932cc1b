import type { Child } from "hono/jsx";
import type { HostStatus } from "../hub/outcome.js";
import { Layout } from "./layout.js";
import { PasskeySignIn } from "./passkeys.js";
import { Notices } from "./notice.js";

/** The sign-in page; `sso`: the single sign-on buttons this edge offers (routes/sso.tsx ssoButtons). */
export function LoginPage({ error, host, sso }: { error?: string; host?: HostStatus | null; sso?: Child }) {
  return (
    <Layout title="Log in" signedIn={false} host={host}>
      <section class="login">
        <h1>Log in to Docklight</h1>
        <Notices error={error} />
        <form method="post" action="/login">
          <label for="email">E-mail</label>
          <input id="email" name="email" type="text" inputmode="email" autocomplete="username" autofocus placeholder="empty for the first owner (admin)" />
          <label for="password">Password</label>
          <input id="password" name="password" type="password" autocomplete="current-password" required />
          <button type="submit">Log in</button>
        </form>
        <PasskeySignIn />
        {sso ?? null}
      </section>
    </Layout>
  );
}

/** The second step when two-factor sign-in is on. */
export function SecondFactorPage({ error, host }: { error?: string; host?: HostStatus | null }) {
  return (
    <Layout title="Enter your code" signedIn={false} host={host}>
      <section class="login">
        <h1>Enter your code</h1>
        <Notices error={error} />
        <form method="post" action="/login/2fa">
          <label for="code">6-digit code from your authenticator app, or a recovery code</label>
          <input id="code" name="code" autocomplete="one-time-code" maxlength={16} required autofocus />
          <button type="submit">Continue</button>
        </form>
        <p>
          <a href="/login">Start over</a>
        </p>
      </section>
    </Layout>
  );
}
