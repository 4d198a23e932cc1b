import type { OpResult } from "../../../protocol/ops.js";
import type { HostStatus } from "../../hub/outcome.js";
import { appBase } from "./shell.js";

type Status = OpResult<"tls.status">;

/** The command that installs dokku-letsencrypt on the host (as the relay's catalog says it). */
export const LETSENCRYPT_INSTALL = "sudo dokku plugin:install https://github.com/dokku/dokku-letsencrypt.git";

/** Let's Encrypt state, expiry and the certificate in use; reloaded in place after enable/renew. */
export function TlsStatus({ status }: { status: Status }) {
  const le = status.letsencrypt;
  return (
    <div id="tls-status">
      {!status.letsencryptInstalled ? (
        <div class="outcome outcome-warning" role="status">
          <strong>The letsencrypt plugin is not installed on this host.</strong>
          <p>Install it on the host, then come back:</p>
          <pre>
            <code>{LETSENCRYPT_INSTALL}</code>
          </pre>
        </div>
      ) : null}
      <dl class="facts">
        <dt>Let's Encrypt</dt>
        <dd>
          {le ? <span class="badge up">active</span> : <span class="badge idle">{status.letsencryptInstalled ? "not enabled" : "not installed"}</span>}
        </dd>
        {le ? (
          <>
            <dt>Expires</dt>
            <dd class="expiry">
              {le.expiry} ({le.timeBeforeExpiry} left)
            </dd>
            <dt>Renewal</dt>
            <dd>in {le.timeBeforeRenewal}</dd>
          </>
        ) : null}
        {status.letsencryptInstalled ? (
          <>
            <dt>E-mail</dt>
            <dd class="le-email">{status.email ?? "not set"}</dd>
          </>
        ) : null}
        <dt>Certificate</dt>
        <dd>{status.certs.enabled ? `installed${status.certs.issuer ? `, issued by ${status.certs.issuer}` : ""}` : "none (HTTP only)"}</dd>
        {status.certs.enabled && status.certs.expiresAt ? (
          <>
            <dt>Certificate expires</dt>
            <dd>{status.certs.expiresAt}</dd>
          </>
        ) : null}
        {status.certs.hostnames.length > 0 ? (
          <>
            <dt>Hostnames</dt>
            <dd>{status.certs.hostnames.join(", ")}</dd>
          </>
        ) : null}
      </dl>
    </div>
  );
}

/** The TLS tab's content (inside the app's shell). */
export function TlsBody({ host, app, status }: { host: HostStatus; app: string; status: Status }) {
  const base = appBase(host.host, app);
  return (
    <>
      <section aria-labelledby="tls-h">
        <h2 id="tls-h">TLS certificate</h2>
        <TlsStatus status={status} />
      </section>
      {status.letsencryptInstalled ? (
        <>
          <section aria-labelledby="enable-h">
            <h2 id="enable-h">{status.letsencrypt ? "Re-issue with Let's Encrypt" : "Enable Let's Encrypt"}</h2>
            <p>Sets the e-mail Let's Encrypt writes to about expiry, then requests a certificate for the app's domains.</p>
            <form class="inline" hx-post={`${base}/tls/enable`} hx-target="#enable-result" hx-disable="find button">
              <label for="tls-email">E-mail</label>
              <input id="tls-email" name="email" type="email" required autocomplete="email" placeholder="ops@example.com" value={status.email ?? undefined} />
              <button type="submit">Enable</button>
            </form>
            <div id="enable-result" class="result" aria-live="polite"></div>
          </section>
          <section aria-labelledby="renew-h">
            <h2 id="renew-h">Renew</h2>
            <p>Renews the certificate if it is within its renewal window (otherwise says how long is left).</p>
            <button type="button" hx-post={`${base}/tls/renew`} hx-target="#renew-result" hx-disable="this">
              Auto-renew now
            </button>
            <div id="renew-result" class="result" aria-live="polite"></div>
          </section>
        </>
      ) : null}
    </>
  );
}
