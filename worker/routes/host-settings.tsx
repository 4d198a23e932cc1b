import { mayOf } from "../pages/may.js";
import { Hono } from "hono";
import { z } from "zod";
import { domainName, envKey, gitRef, required } from "../../protocol/names.js";
import { OP_LIMITS } from "../../protocol/ops.js";
import { pluginName } from "../../protocol/ops/host-settings.js";
import { HostPlugins, HostSettingsState } from "../pages/host-settings.js";
import { Done } from "../pages/app/shell.js";
import type { HostEnv } from "../types.js";
import { change } from "./answers.js";
import { valid } from "./input.js";
import { historyHref } from "./scope.js";

const domainForm = z.object({ domain: required("a domain", domainName) });
const keyForm = z.object({ key: required("a key", envKey) });
// the value is taken as typed (a secret), only bounded
const setForm = z.object({ key: required("a key", envKey), value: z.string().max(OP_LIMITS.configValueLength, "a config value is at most 32 KiB") });
const branchForm = z.object({
  branch: z
    .string()
    .trim()
    .transform((v) => v || undefined)
    .pipe(gitRef.optional()),
});
const updateForm = z.object({ name: required("a plugin", pluginName), confirm: z.string().trim().max(100) });

/**
 * `/hosts/:host/host/settings/…`: the host page's settings section, its parts read again in place,
 * and the host-wide changes (each host-root by its op's declaration, which the one policy reads).
 */
export const hostSettingsRoutes = new Hono<HostEnv>()
  .get("/state", async (c) =>
    c.html(
      <HostSettingsState host={c.var.host.id} settings={await c.var.host.run("host.settings", {})} historyHref={historyHref(c)} may={mayOf(c.var.host)} />,
    ),
  )
  .get("/plugins", async (c) =>
    c.html(<HostPlugins host={c.var.host.id} plugins={await c.var.host.run("plugins.list", {})} historyHref={historyHref(c)} may={mayOf(c.var.host)} />),
  )
  .post("/domains/add", valid("form", domainForm), (c) => {
    const { domain } = c.req.valid("form");
    return change(c, "host.domains.add", { domains: [domain] }, (r) => <Done title={`Global domain ${domain} added`} result={r} />);
  })
  .post("/domains/remove", valid("form", domainForm), (c) => {
    const { domain } = c.req.valid("form");
    return change(c, "host.domains.remove", { domains: [domain] }, (r) => <Done title={`Global domain ${domain} removed`} result={r} />);
  })
  .post("/config/set", valid("form", setForm), (c) => {
    const { key, value } = c.req.valid("form");
    // the relay masks the value in everything it answers with (configRedaction)
    return change(c, "host.config.set", { vars: { [key]: value } }, (r) => <Done title={`${key} set for every app`} result={r} />);
  })
  .post("/config/unset", valid("form", keyForm), (c) => {
    const { key } = c.req.valid("form");
    return change(c, "host.config.unset", { keys: [key] }, (r) => <Done title={`${key} unset for every app`} result={r} />);
  })
  .post("/branch", valid("form", branchForm), (c) => {
    const { branch } = c.req.valid("form");
    return change(c, "host.deployBranch", branch ? { branch } : {}, (r) => (
      <Done title={branch ? `Global deploy branch set to ${branch}` : "Global deploy branch unset (master)"} result={r} />
    ));
  })
  .post("/cleanup", (c) => change(c, "host.cleanup", {}, (r) => <Done title="Host cleaned up" result={r} />))
  .post("/plugins/update", valid("form", updateForm), (c) => {
    const { name, confirm } = c.req.valid("form");
    return change(c, "plugins.update", { name, confirm }, (r) => <Done title={`Plugin ${name} updated`} result={r} />);
  });
