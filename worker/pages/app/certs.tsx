import { CERT_MAX_CHARS, KEY_MAX_CHARS, wildcardsWithoutDns, type OpResult } from "../../../protocol/ops.js";
import { appUrl } from "../../urls.js";
import { IfMay, type May } from "../may.js";
import { PostForm } from "../post-form.js";
import { Section } from "../section.js";

type Status = OpResult<"tls.status">;

/**
 * Said before an enable that would fail: Let's Encrypt proves a wildcard domain only over DNS-01
 * (a lego DNS provider set with `letsencrypt:set APP dns-provider NAME`), never over HTTP-01
 * (README.md of dokku/dokku-letsencrypt, "DNS-01 challenge").
 */
export function WildcardNotice({ status, app }: { status: Status; app: string }) {
  const wild = wildcardsWithoutDns(status);
  if (wild.length === 0) return null;
  return (
    <div class="outcome outcome-warning" id="wildcard-notice" role="status">
      <strong>
        {wild.join(", ")} {wild.length === 1 ? "is a wildcard domain" : "are wildcard domains"}: Let's Encrypt needs DNS-01 for it.
      </strong>
      <p>
        This app uses HTTP-01, which cannot prove a wildcard, so enabling would fail. Set a DNS provider (and its credentials) on the host first, or remove the
        wildcard domain:
      </p>
      <pre>
        <code class="remedy">dokku letsencrypt:set {app} dns-provider NAME</code>
      </pre>
    </div>
  );
}

/** The message an enable is refused with while a wildcard domain has no DNS-01 (nothing is run). */
export function wildcardRefusal(status: Status): string | null {
  const wild = wildcardsWithoutDns(status);
  return wild.length === 0
    ? null
    : `Let's Encrypt cannot issue ${wild.join(", ")} over HTTP-01: a wildcard needs DNS-01 (set a dns-provider for the app with letsencrypt:set on the host first). Nothing was run.`;
}

/**
 * Install (or replace) the app's own certificate with its key, and remove it. The key is pasted
 * or chosen as a file; it goes to the host inside the signed op and is shown nowhere again. The
 * forms are the same whatever is installed (the status above says what is): a section reloaded
 * after a change would replace a form whose own change may still be streaming, which stops it.
 */
export function CertsSections({ host, app, may }: { host: string; app: string; may: May }) {
  const add = appUrl(host, app, "/tls/certs");
  const remove = appUrl(host, app, "/tls/certs/remove");
  return (
    <IfMay may={may} op="certs.add" args={{ app }}>
      <Section name="own-cert" title="Your own certificate">
        <p>
          A PEM certificate (with its chain) and its private key without a passphrase, pasted or chosen as files (at most {CERT_MAX_CHARS / 1024} KiB and{" "}
          {KEY_MAX_CHARS / 1024} KiB). The key is written to a private file on the host for <code>dokku certs:add</code> and deleted after; it is never shown or
          kept in the history.
        </p>
        <form method="post" action={add} enctype="multipart/form-data" class="stack" hx-post={add} hx-target="#certs-result" hx-disable="find button">
          <label for="cert-pem">Certificate (PEM)</label>
          <textarea id="cert-pem" name="certificate" rows={4} spellcheck={false} autocomplete="off" placeholder="-----BEGIN CERTIFICATE-----"></textarea>
          <label for="cert-file">…or the certificate file</label>
          <input id="cert-file" name="certificate_file" type="file" accept=".crt,.pem,.cer" />
          <label for="key-pem">Private key (PEM)</label>
          <textarea id="key-pem" name="key" rows={4} spellcheck={false} autocomplete="off" placeholder="-----BEGIN PRIVATE KEY-----"></textarea>
          <label for="key-file">…or the key file</label>
          <input id="key-file" name="key_file" type="file" accept=".key,.pem" />
          <button type="submit">Install certificate</button>
        </form>
        <p>Installing replaces the certificate in use, whoever installed it (Let's Encrypt's included). Removing it serves the app over HTTP only.</p>
        <IfMay may={may} op="certs.remove" args={{ app }}>
          <PostForm action={remove} class="inline" target="#certs-result" confirm={`Remove the TLS certificate of ${app}? It is served over HTTP only after.`}>
            <button type="submit" class="danger">
              Remove certificate
            </button>
          </PostForm>
        </IfMay>
      </Section>
    </IfMay>
  );
}

/** Let's Encrypt's own upkeep: disable it for the app (removing its certificate), clean up old certificate folders. */
export function LetsencryptUpkeep({ host, app, may }: { host: string; app: string; may: May }) {
  const disable = appUrl(host, app, "/tls/disable");
  const cleanup = appUrl(host, app, "/tls/cleanup");
  return (
    <Section name="le-upkeep" title="Let's Encrypt upkeep">
      <p>Disabling removes Let's Encrypt's files and the certificate it installed; cleaning up removes old certificate folders the current one replaced.</p>
      <div class="buttons">
        <IfMay may={may} op="tls.disable" args={{ app }}>
          <PostForm action={disable} target="#le-upkeep-result" confirm={`Disable Let's Encrypt for ${app} and remove its certificate?`}>
            <button type="submit" class="danger">
              Disable Let's Encrypt
            </button>
          </PostForm>
        </IfMay>
        <IfMay may={may} op="tls.cleanup" args={{ app }}>
          <PostForm action={cleanup} target="#le-upkeep-result">
            <button type="submit">Clean up old certificates</button>
          </PostForm>
        </IfMay>
      </div>
      <div id="le-upkeep-result" class="result" aria-live="polite"></div>
    </Section>
  );
}
