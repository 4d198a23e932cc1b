import type { CertsInfo, LetsencryptRow, OpResult } from "../../../protocol/ops.js";
import type { HostStatus } from "../../hub/outcome.js";
import { PluginNotice } from "../plugin-state.js";
import { utcTime } from "../time.js";
import { appUrl } from "../../urls.js";
import { reloadsOn } from "../stale.js";
import { CertsSections, LetsencryptUpkeep, WildcardNotice } from "./certs.js";
import { IfMay, type May } from "../may.js";
import { PostForm } from "../post-form.js";
import { Section } from "../section.js";

type Status = OpResult<"tls.status">;

const days = (seconds: number) => Math.floor(Math.abs(seconds) / 86_400);
const daysText = (seconds: number) => (days(seconds) === 1 ? "1 day" : `${days(seconds)} days`);

/**
 * What a `letsencrypt:list` row means now: its certificate expired (its time before expiry ends in
 * ` ago`), renewal overdue (only the renewal time does), or active. How long ago is said once, on
 * the expiry line (`Expiry`).
 */
export function letsencryptVerdict(le: LetsencryptRow): { label: string; cls: string } {
  if (le.secondsToExpiry !== null && le.secondsToExpiry < 0) return { label: "certificate expired", cls: "down" };
  if (le.secondsToRenewal !== null && le.secondsToRenewal < 0) return { label: "renewal overdue", cls: "warn" };
  return { label: "active", cls: "up" };
}

/**
 * The certificate in use as certs:report verified it (`self signed` whenever openssl verify did not
 * say OK: fn-ssl-verified in plugins/certs/internal-functions, reportSSLVerified in
 * plugins/certs/report.go). Its expiry is the expiry line's (`Expiry`), not a badge here.
 */
export function certVerdicts(c: CertsInfo): Array<{ label: string; cls: string }> {
  if (!c.enabled) return [];
  if (c.verified === "self signed") return [{ label: "unverified (self signed)", cls: "warn" }];
  if (c.verified === "verified by a certificate authority") return [{ label: "verified by a certificate authority", cls: "up" }];
  return [{ label: c.verified ? `verification: ${c.verified}` : "verification unknown", cls: "idle" }];
}

/**
 * The one expiry line. `letsencrypt:list` lists an app only while Let's Encrypt's certificate is
 * the one in use (fn-letsencrypt-list-apps-with-expiry and fn-letsencrypt-is-active in
 * internal-functions of dokku/dokku-letsencrypt), so its expiry and certs:report's `ssl-expires-at`
 * (reportSSLExpiresAt in plugins/certs/report.go of dokku/dokku) are the same certificate's, printed
 * two ways: the certificate's own date (GMT) is shown, the plugin's (the host's local time) only
 * when certs:report had none.
 */
function Expiry({ certs, le }: { certs: CertsInfo; le: LetsencryptRow | null }) {
  const at = certs.enabled ? certs.expiresAtMs : null;
  const left = at !== null ? Math.round((at - Date.now()) / 1000) : (le?.secondsToExpiry ?? null);
  const when = at !== null ? utcTime(at) : le ? `${le.expiry} (the host's local time)` : null;
  if (when === null) return null;
  return (
    <>
      <dt>Certificate expires</dt>
      <dd class="expiry">
        {when} {left === null ? null : left < 0 ? <span class="badge down">expired {daysText(left)} ago</span> : `(${daysText(left)} left)`}
      </dd>
    </>
  );
}

function Renewal({ le }: { le: LetsencryptRow }) {
  const overdue = le.secondsToRenewal !== null && le.secondsToRenewal < 0;
  return (
    <>
      <dt>Renewal</dt>
      <dd class="renewal">{le.timeBeforeRenewal ? (overdue ? `overdue since ${le.timeBeforeRenewal}` : `in ${le.timeBeforeRenewal}`) : "—"}</dd>
    </>
  );
}

/** Let's Encrypt state, expiry and the certificate in use; reloaded in place after enable/renew. */
export function TlsStatus({ host, app, status }: { host: string; app: string; status: Status }) {
  const le = status.letsencrypt;
  const plugin = status.letsencryptPlugin;
  const verdict = le ? letsencryptVerdict(le) : null;
  const cert = certVerdicts(status.certs);
  const readable = plugin.state === "enabled" || plugin.state === "too-old";
  return (
    <div id="tls-status" {...reloadsOn(appUrl(host, app, "/tls/status"), ["tls.status"])}>
      <PluginNotice status={plugin} purpose="get certificates from Let's Encrypt here" />
      <dl class="facts">
        <dt>Let's Encrypt</dt>
        <dd class="le-state">
          {verdict ? <span class={`badge ${verdict.cls}`}>{verdict.label}</span> : <span class="badge idle">{readable ? "not enabled" : "unavailable"}</span>}
        </dd>
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
        <Expiry certs={status.certs} le={le} />
        {le ? <Renewal le={le} /> : null}
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
export function TlsBody({ host, app, status, may }: { host: HostStatus; app: string; status: Status; may: May }) {
  const base = appUrl(host.host, app);
  return (
    <>
      <Section name="tls" title="TLS certificate">
        <TlsStatus host={host.host} app={app} status={status} />
      </Section>
      {status.letsencryptPlugin.state === "enabled" ? (
        <>
          <IfMay may={may} op="tls.enable" args={{ app }}>
            <Section name="enable" title={status.letsencrypt ? "Re-issue with Let's Encrypt" : "Enable Let's Encrypt"}>
              <WildcardNotice status={status} app={app} />
              <p>Sets the e-mail Let's Encrypt writes to about expiry, then requests a certificate for the app's domains.</p>
              <PostForm action={`${base}/tls/enable`} class="inline" target="#enable-result">
                <label for="tls-email">E-mail</label>
                <input id="tls-email" name="email" type="email" required autocomplete="email" placeholder="ops@example.com" value={status.email ?? undefined} />
                <button type="submit">Enable</button>
              </PostForm>
              <div id="enable-result" class="result" aria-live="polite"></div>
            </Section>
          </IfMay>
          {status.letsencrypt && may("tls.autoRenew", { app }) ? (
            <Section name="renew" title="Renew">
              <p>Renews the certificate if it is within its renewal window (otherwise says how long is left).</p>
              <button type="button" hx-post={`${base}/tls/renew`} hx-target="#renew-result" hx-disable="this">
                Auto-renew now
              </button>
              <div id="renew-result" class="result" aria-live="polite"></div>
            </Section>
          ) : null}
          <LetsencryptUpkeep host={host.host} app={app} may={may} />
        </>
      ) : null}
      <CertsSections host={host.host} app={app} may={may} />
      <div id="certs-result" class="result" aria-live="polite"></div>
    </>
  );
}
