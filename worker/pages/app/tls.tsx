import type { CertsInfo, LetsencryptRow, OpResult } from "../../../protocol/ops.js";
import type { HostStatus } from "../../hub/outcome.js";
import { PluginNotice } from "../plugin-state.js";
import { appBase } from "./shell.js";

type Status = OpResult<"tls.status">;

const days = (seconds: number) => Math.floor(Math.abs(seconds) / 86_400);
const daysText = (seconds: number) => (days(seconds) === 1 ? "1 day" : `${days(seconds)} days`);

/**
 * What a `letsencrypt:list` row means now: expired (its time before expiry ends in ` ago`),
 * renewal overdue (only the renewal time does), or active.
 */
export function letsencryptVerdict(le: LetsencryptRow): { label: string; cls: string } {
  if (le.secondsToExpiry !== null && le.secondsToExpiry < 0) return { label: `expired ${daysText(le.secondsToExpiry)} ago`, cls: "down" };
  if (le.secondsToRenewal !== null && le.secondsToRenewal < 0) return { label: "renewal overdue", cls: "warn" };
  return { label: "active", cls: "up" };
}

/**
 * What certs:report says of the certificate in use: whether it has expired (its `ssl-expires-at`),
 * and its verification as Dokku printed it (`self signed` whenever openssl verify did not say OK:
 * fn-ssl-verified in plugins/certs/internal-functions, reportSSLVerified in plugins/certs/report.go).
 */
export function certVerdicts(c: CertsInfo): Array<{ label: string; cls: string }> {
  if (!c.enabled) return [];
  const out: Array<{ label: string; cls: string }> = [];
  if (c.secondsToExpiry !== null && c.secondsToExpiry < 0) out.push({ label: `expired ${daysText(c.secondsToExpiry)} ago`, cls: "down" });
  if (c.verified === "self signed") out.push({ label: "unverified (self signed)", cls: "warn" });
  else if (c.verified === "verified by a certificate authority") out.push({ label: "verified by a certificate authority", cls: "up" });
  else out.push({ label: c.verified ? `verification: ${c.verified}` : "verification unknown", cls: "idle" });
  return out;
}

function LetsencryptFacts({ le }: { le: LetsencryptRow }) {
  const expired = le.secondsToExpiry !== null && le.secondsToExpiry < 0;
  const overdue = le.secondsToRenewal !== null && le.secondsToRenewal < 0;
  return (
    <>
      <dt>Expires</dt>
      <dd class="expiry">
        {le.expiry} {le.timeBeforeExpiry ? (expired ? `(expired ${le.timeBeforeExpiry})` : `(${le.timeBeforeExpiry} left)`) : null}
      </dd>
      <dt>Renewal</dt>
      <dd class="renewal">{le.timeBeforeRenewal ? (overdue ? `overdue since ${le.timeBeforeRenewal}` : `in ${le.timeBeforeRenewal}`) : "—"}</dd>
    </>
  );
}

/** Let's Encrypt state, expiry and the certificate in use; reloaded in place after enable/renew. */
export function TlsStatus({ status }: { status: Status }) {
  const le = status.letsencrypt;
  const plugin = status.letsencryptPlugin;
  const verdict = le ? letsencryptVerdict(le) : null;
  const cert = certVerdicts(status.certs);
  const readable = plugin.state === "enabled" || plugin.state === "too-old";
  return (
    <div id="tls-status">
      <PluginNotice status={plugin} purpose="get certificates from Let's Encrypt here" />
      <dl class="facts">
        <dt>Let's Encrypt</dt>
        <dd class="le-state">
          {verdict ? <span class={`badge ${verdict.cls}`}>{verdict.label}</span> : <span class="badge idle">{readable ? "not enabled" : "unavailable"}</span>}
        </dd>
        {le ? <LetsencryptFacts le={le} /> : null}
        {readable ? (
          <>
            <dt>E-mail</dt>
            <dd class="le-email">{status.email ?? "not set"}</dd>
          </>
        ) : null}
        <dt>Certificate</dt>
        <dd class="cert">{status.certs.enabled ? `installed${status.certs.issuer ? `, issued by ${status.certs.issuer}` : ""}` : "none (HTTP only)"}</dd>
        {cert.length > 0 ? (
          <>
            <dt>Verification</dt>
            <dd class="cert-verdict">
              {cert.map((v) => (
                <>
                  <span class={`badge ${v.cls}`}>{v.label}</span>{" "}
                </>
              ))}
            </dd>
          </>
        ) : null}
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
      {status.letsencryptPlugin.state === "enabled" ? (
        <>
          <section aria-labelledby="enable-h">
            <h2 id="enable-h">{status.letsencrypt ? "Re-issue with Let's Encrypt" : "Enable Let's Encrypt"}</h2>
            <p>Sets the e-mail Let's Encrypt writes to about expiry, then requests a certificate for the app's domains.</p>
            <form method="post" action={`${base}/tls/enable`} class="inline" hx-post={`${base}/tls/enable`} hx-target="#enable-result" hx-disable="find button">
              <label for="tls-email">E-mail</label>
              <input id="tls-email" name="email" type="email" required autocomplete="email" placeholder="ops@example.com" value={status.email ?? undefined} />
              <button type="submit">Enable</button>
            </form>
            <div id="enable-result" class="result" aria-live="polite"></div>
          </section>
          {status.letsencrypt ? (
            <section aria-labelledby="renew-h">
              <h2 id="renew-h">Renew</h2>
              <p>Renews the certificate if it is within its renewal window (otherwise says how long is left).</p>
              <button type="button" hx-post={`${base}/tls/renew`} hx-target="#renew-result" hx-disable="this">
                Auto-renew now
              </button>
              <div id="renew-result" class="result" aria-live="polite"></div>
            </section>
          ) : null}
        </>
      ) : null}
    </>
  );
}
