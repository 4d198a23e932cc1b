import { Hono } from "hono";
import { mayOf } from "../../pages/may.js";
import { z } from "zod";
import { PORT_SCHEMES, domainName, listedPortMapping, orList, required } from "../../../protocol/names.js";
import { DomainList, DomainsBody, PortList, PortsSection } from "../../pages/app/domains.js";
import { Done } from "../../pages/app/shell.js";
import type { HostAppEnv } from "../../types.js";
import { change, fragment } from "../answers.js";
import { valid } from "../input.js";
import { historyHref } from "../scope.js";
import { fromReads } from "../stream-page.js";
import { appPage, unlessFailed } from "./kit.js";

const domainForm = z.object({ domain: required("a domain", z.string().toLowerCase().pipe(domainName)) });

const PORT = "a port is a whole number from 1 to 65535";
const portNumber = z.coerce.number({ error: PORT }).int(PORT).min(1, PORT).max(65535, PORT);

/** A new mapping from its three fields, as Dokku's `scheme:host-port:container-port`. */
const addPortForm = z
  .object({
    scheme: z.enum(PORT_SCHEMES, { error: `the scheme is ${orList(PORT_SCHEMES)}` }),
    host_port: portNumber,
    container_port: portNumber,
  })
  .transform((f) => ({ mapping: `${f.scheme}:${f.host_port}:${f.container_port}` }));

/** Any mapping Dokku lists can be removed, whatever its scheme. */
const removePortForm = z.object({ mapping: listedPortMapping });

/** An app's "Domains & ports" tab, `…/domains`; its port mappings are served under `…/ports`. */
export const domainRoutes = new Hono<HostAppEnv>()
  .get("/", (c) => {
    const { host, app } = c.var;
    const [status, report, ports] = [host.status(), host.run("domains.report", { app }), host.run("ports.report", { app })];
    return appPage(
      c,
      "domains",
      [
        fromReads([status, report], (s, r) => unlessFailed(c, r, (d) => <DomainsBody host={s} app={app} report={d} may={mayOf(host)} />)),
        fromReads([report, ports], (r, p) =>
          r.kind === "ok" ? <PortsSection host={host.id} app={app} ports={p} historyHref={historyHref(c)} may={mayOf(host)} /> : null,
        ),
      ],
      status,
      report,
    );
  })
  .get("/list", (c) =>
    fragment(c, "domains.report", { app: c.var.app }, (r) => <DomainList host={c.var.host.id} app={c.var.app} report={r} may={mayOf(c.var.host)} />),
  )
  .post("/add", valid("form", domainForm), (c) => {
    const { domain } = c.req.valid("form");
    return change(c, "domains.add", { app: c.var.app, domains: [domain] }, (r) => <Done title={`Added ${domain}`} result={r} />);
  })
  .post("/remove", valid("form", domainForm), (c) => {
    const { domain } = c.req.valid("form");
    return change(c, "domains.remove", { app: c.var.app, domains: [domain] }, (r) => <Done title={`Removed ${domain}`} result={r} />);
  });

/** An app's port mappings, `…/ports/…` (shown on the Domains & ports tab). */
export const portRoutes = new Hono<HostAppEnv>()
  .get("/list", async (c) => {
    const { host, app } = c.var;
    return c.html(<PortList host={host.id} app={app} ports={await host.run("ports.report", { app })} historyHref={historyHref(c)} may={mayOf(host)} />);
  })
  .post("/add", valid("form", addPortForm), (c) => {
    const { mapping } = c.req.valid("form");
    return change(c, "ports.add", { app: c.var.app, mappings: [mapping] }, (r) => <Done title={`Added ${mapping}`} result={r} />);
  })
  .post("/remove", valid("form", removePortForm), (c) => {
    const { mapping } = c.req.valid("form");
    return change(c, "ports.remove", { app: c.var.app, mappings: [mapping] }, (r) => <Done title={`Removed ${mapping}`} result={r} />);
  });
