import { Hono } from "hono";
import { z } from "zod";
import { emailAddress, required } from "../../../protocol/names.js";
import { Done } from "../../pages/app/shell.js";
import { TlsBody, TlsStatus } from "../../pages/app/tls.js";
import type { HostAppEnv } from "../../types.js";
import { change, failure, fragment } from "../answers.js";
import { valid } from "../input.js";
import { fromReads } from "../stream-page.js";
import { appPage, unlessFailed } from "./kit.js";

const emailForm = z.object({
  email: required("an e-mail address", emailAddress),
});


/** An app's TLS tab, `…/tls`: certificate status, Let's Encrypt enable and auto-renew. */
export const tlsRoutes = new Hono<HostAppEnv>()
  .get("/", (c) => {
    const { host, app } = c.var;
    const [status, tls] = [host.status(), host.run("tls.status", { app })];
    const body = fromReads([status, tls], (s, t) => unlessFailed(c, t, (r) => <TlsBody host={s} app={app} status={r} />));
    return appPage(c, "tls", [body], status, tls);
  })
  .get("/status", (c) => fragment(c, "tls.status", { app: c.var.app }, (r) => <TlsStatus host={c.var.host.id} app={c.var.app} status={r} />))
  /** Set the e-mail first (a short op); only if that worked, enable (streamed: it talks to Let's Encrypt). */
  .post("/enable", valid("form", emailForm), async (c) => {
    const { host, app } = c.var;
    const set = await host.run("tls.setEmail", { app, email: c.req.valid("form").email });
    if (set.kind !== "ok") return failure(c, set);
    return change(c, "tls.enable", { app }, (r) => <Done title={`Let's Encrypt enabled for ${app}`} result={r} />);
  })
  /** The relay says as a warning when nothing was renewed (no certificate, not yet in the renewal window). */
  .post("/renew", (c) =>
    change(c, "tls.autoRenew", { app: c.var.app }, (r) => <Done title={r.warning ? "Nothing renewed" : `Renewed the certificate of ${c.var.app}`} result={r} />),
  );
