import { encode } from "uqr";
import type { LoginRecord, SessionRecord, TotpStatus } from "../guard/auth-guard.js";
import { apiTokenUrl, endSessionUrl, userUrl } from "../urls.js";
import { utcTime } from "./time.js";
import { Layout } from "./layout.js";
import { SignInsTable } from "./sign-ins.js";
import { PasskeysSection } from "./passkeys.js";
import type { PasskeyView } from "../team/passkey-store.js";
import { Notices } from "./notice.js";

/** What the Account page shows beyond the sign-ins: the user, their live sessions (this one marked), what they may manage. */
export interface AccountView {
  user: { email: string; role: string };
  sessions: SessionRecord[];
  current: string;
  /** Whether they may manage users (a link to the Users page). */
  manages: boolean;
  /** The first owner: "log out everywhere" ends every user's sessions. */
  firstOwner: boolean;
  /** Their passkeys. */
  passkeys: PasskeyView[];
}

export function AccountPage({
  logins,
  totp,
  notice,
  error,
  view,
}: {
  logins: LoginRecord[];
  totp: TotpStatus;
  notice?: string;
  error?: string;
  view: AccountView;
}) {
  return (
    <Layout title="Account">
      <h1>Account</h1>
      <p>
        Signed in as {view.user.email} ({view.user.role}).{view.manages ? " " : null}
        {view.manages ? <a href={userUrl()}>Users</a> : null} <a href={apiTokenUrl()}>API tokens</a>
      </p>
      <Notices notice={notice} error={error} />
      <PasskeysSection passkeys={view.passkeys} />
      <section class="account-section">
        <h2>Two-factor sign-in</h2>
        <p>
          {totp.enabled
            ? `On: signing in with your password asks for a code from your authenticator app. ${totp.recoveryCodesLeft} recovery code(s) left.`
            : "Off: your password alone signs in."}{" "}
          <a href="/account/2fa">{totp.enabled ? "Manage" : "Turn on"}</a>
        </p>
      </section>
      <section class="account-section">
        <h2>Sessions</h2>
        {view.sessions.length === 0 ? null : (
          <ul class="sessions">
            {view.sessions.map((s) => (
              <li>
                {utcTime(s.at)} from {s.ip} ({s.userAgent || "unknown browser"}){s.jti === view.current ? " — this browser" : null}{" "}
                <form method="post" action={endSessionUrl(s.jti)} class="inline">
                  <button type="submit">End</button>
                </form>
              </li>
            ))}
          </ul>
        )}
        <p>
          {view.firstOwner
            ? "Log out every browser signed in to this dashboard, everyone's, this one included."
            : "Log out every browser you are signed in with, this one included."}
        </p>
        <form method="post" action="/logout/all">
          <button type="submit">Log out everywhere</button>
        </form>
      </section>
      <section class="account-section">
        <h2>Recent sign-ins</h2>
        <SignInsTable logins={logins} />
      </section>
    </Layout>
  );
}

/** A QR code as inline SVG markup: presentation attributes only (no style attribute, no script). */
export function QrCode({ text, label }: { text: string; label: string }) {
  const { data, size } = encode(text, { ecc: "M", border: 2 });
  let d = "";
  data.forEach((row, y) =>
    row.forEach((dark, x) => {
      if (dark) d += `M${x} ${y}h1v1h-1z`;
    }),
  );
  return (
    <svg xmlns="http://www.w3.org/2000/svg" viewBox={`0 0 ${size} ${size}`} class="qr" role="img" aria-label={label} shape-rendering="crispEdges">
      <rect width={size} height={size} fill="#ffffff" />
      <path d={d} fill="#000000" />
    </svg>
  );
}

export function EnrolPage({ secret, uri, error }: { secret: string; uri: string; error?: string }) {
  return (
    <Layout title="Two-factor sign-in">
      <h1>Turn on two-factor sign-in</h1>
      <ol class="steps">
        <li>Scan this code with an authenticator app (or type the key below).</li>
        <li>Enter the 6-digit code it shows to confirm.</li>
      </ol>
      <QrCode text={uri} label="QR code for your authenticator app" />
      <p>
        Key: <code class="totp-secret">{secret.replace(/(.{4})/g, "$1 ").trim()}</code>
      </p>
      <Notices error={error} />
      <form method="post" action="/account/2fa/confirm" class="code-form">
        <label for="code">Code from the app</label>
        <input id="code" name="code" inputmode="numeric" autocomplete="one-time-code" pattern="[0-9]{6}" maxlength={6} required />
        <button type="submit">Confirm</button>
      </form>
    </Layout>
  );
}

export function RecoveryCodesPage({ codes }: { codes: string[] }) {
  return (
    <Layout title="Recovery codes">
      <h1>Two-factor sign-in is on</h1>
      <p>Keep these recovery codes somewhere safe. Each works once, in place of a code, if you lose your device. They are shown only now.</p>
      <p>Every other session, signed in with the password alone, has been signed out.</p>
      <ul class="recovery-codes">
        {codes.map((code) => (
          <li>
            <code>{code}</code>
          </li>
        ))}
      </ul>
      <p>
        <a href="/account">Back to the account page</a>
      </p>
    </Layout>
  );
}

export function TotpManagePage({ totp, error }: { totp: TotpStatus; error?: string }) {
  return (
    <Layout title="Two-factor sign-in">
      <h1>Two-factor sign-in</h1>
      <p>On. {totp.recoveryCodesLeft} recovery code(s) left.</p>
      <Notices error={error} />
      <form method="post" action="/account/2fa/disable" class="code-form">
        <label for="code">A current code (or a recovery code) to turn it off</label>
        <input id="code" name="code" autocomplete="one-time-code" maxlength={16} required />
        <button type="submit">Turn off</button>
      </form>
    </Layout>
  );
}
