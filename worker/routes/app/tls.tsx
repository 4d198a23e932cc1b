import { Hono } from "hono";
import { mayOf } from "../../pages/may.js";
import { z } from "zod";
import { emailAddress, required } from "../../../protocol/names.js";
import { CERT_MAX_CHARS, KEY_MAX_CHARS, pemCertificate, pemPrivateKey } from "../../../protocol/ops.js";
import { wildcardRefusal } from "../../pages/app/certs.js";
import { Done } from "../../pages/app/shell.js";
import { TlsBody, TlsStatus } from "../../pages/app/tls.js";
import type { HostAppEnv } from "../../types.js";
import { change, failure, fragment } from "../answers.js";
import { problems, refuse, valid } from "../input.js";
import { fromReads } from "../stream-page.js";
import { appPage, unlessFailed, type C } from "./kit.js";

const emailForm = z.object({
  email: required("an e-mail address", emailAddress),
});

const certForm = z.object({
  certificate: required("the certificate (PEM, pasted or as a file)", pemCertificate),
  key: required("the private key (PEM, pasted or as a file)", pemPrivateKey),
});

/** The largest certificate upload (body bytes, multipart overhead included): more is refused before it is read. */
const CERT_BODY_MAX = 2 * (CERT_MAX_CHARS + KEY_MAX_CHARS) + 16 * 1024;

/**
 * The certificate and key from a form: each pasted (`certificate`, `key`) or chosen as a file
 * (`certificate_file`, `key_file`, read as text); a file wins over an empty text box. The body is
 * bounded before it is read (Content-Length, then its real size), so a huge upload costs nothing.
 */
async function readCertForm(c: C): Promise<{ ok: true; certificate: string; key: string } | { ok: false; res: Response | Promise<Response> }> {
  const declared = Number(c.req.header("content-length") ?? "0");
  if (declared > CERT_BODY_MAX)
    return { ok: false, res: refuse(c, `the upload is larger than ${Math.round(CERT_BODY_MAX / 1024)} KiB: a certificate and key are far smaller`) };
  const raw = await c.req.arrayBuffer();
  if (raw.byteLength > CERT_BODY_MAX)
    return { ok: false, res: refuse(c, `the upload is larger than ${Math.round(CERT_BODY_MAX / 1024)} KiB: a certificate and key are far smaller`) };
  const body = await new Request("http://form/", { method: "POST", headers: { "content-type": c.req.header("content-type") ?? "" }, body: raw })
    .formData()
    .catch(() => null);
  if (!body) return { ok: false, res: refuse(c, "the form could not be read") };
  const field = async (text: string, file: string) => {
    const f: unknown = body.get(file);
    if (f instanceof Blob && f.size > 0) return f.text();
    const t = body.get(text);
    return typeof t === "string" ? t : "";
  };
  const parsed = certForm.safeParse({ certificate: await field("certificate", "certificate_file"), key: await field("key", "key_file") });
  if (!parsed.success) return { ok: false, res: refuse(c, problems(parsed.error)) };
  return { ok: true, ...parsed.data };
}

/** An app's TLS tab, `…/tls`: certificate status, Let's Encrypt enable, auto-renew, disable and cleanup, the app's own certificate. */
export const tlsRoutes = new Hono<HostAppEnv>()
  .get("/", (c) => {
    const { host, app } = c.var;
    const [status, tls] = [host.status(), host.run("tls.status", { app })];
    const body = fromReads([status, tls], (s, t) => unlessFailed(c, t, (r) => <TlsBody host={s} app={app} status={r} may={mayOf(host)} />));
    return appPage(c, "tls", [body], status, tls);
  })
  .get("/status", (c) => fragment(c, "tls.status", { app: c.var.app }, (r) => <TlsStatus host={c.var.host.id} app={c.var.app} status={r} />))
  /**
   * Set the e-mail first (a short op); only if that worked, enable (streamed: it talks to Let's
   * Encrypt). A wildcard domain without DNS-01 is refused first: the enable would fail half-way.
   */
  .post("/enable", valid("form", emailForm), async (c) => {
    const { host, app } = c.var;
    const status = await host.run("tls.status", { app });
    if (status.kind !== "ok") return failure(c, status);
    const wildcard = wildcardRefusal(status.result);
    if (wildcard) return refuse(c, wildcard);
    const set = await host.run("tls.setEmail", { app, email: c.req.valid("form").email });
    if (set.kind !== "ok") return failure(c, set);
    return change(c, "tls.enable", { app }, (r) => <Done title={`Let's Encrypt enabled for ${app}`} result={r} />);
  })
  /** The relay says as a warning when nothing was renewed (no certificate, not yet in the renewal window). */
  .post("/renew", (c) =>
    change(c, "tls.autoRenew", { app: c.var.app }, (r) => (
      <Done title={r.warning ? "Nothing renewed" : `Renewed the certificate of ${c.var.app}`} result={r} />
    )),
  )
  .post("/disable", (c) => change(c, "tls.disable", { app: c.var.app }, (r) => <Done title={`Let's Encrypt disabled for ${c.var.app}`} result={r} />))
  .post("/cleanup", (c) => change(c, "tls.cleanup", { app: c.var.app }, (r) => <Done title="Old certificates cleaned up" result={r} />))
  /** Install or replace the app's own certificate: the key goes to the host in the signed op only. */
  .post("/certs", async (c) => {
    const form = await readCertForm(c);
    if (!form.ok) return form.res;
    const { app } = c.var;
    return change(c, "certs.add", { app, certificate: form.certificate, key: form.key }, (r) => <Done title={`Certificate installed on ${app}`} result={r} />);
  })
  .post("/certs/remove", (c) => change(c, "certs.remove", { app: c.var.app }, (r) => <Done title={`Certificate removed from ${c.var.app}`} result={r} />));
