import { Hono } from "hono";
import { mayOf } from "../../pages/may.js";
import { z } from "zod";
import type { OpArgs } from "../../../protocol/ops.js";
import { NGINX_KEYS, NGINX_SETTINGS, proxyType, type NginxKey } from "../../../protocol/ops/proxy.js";
import { ProxyBody } from "../../pages/app/proxy.js";
import { Done } from "../../pages/app/shell.js";
import type { HostAppEnv } from "../../types.js";
import { change, failure } from "../answers.js";
import { refuse, valid } from "../input.js";
import { historyHref } from "../scope.js";

/**
 * Each nginx field as typed (trimmed); a changed one is then held to its setting's own form
 * (protocol/ops/proxy.ts), so a value set outside Docklight in another form does not block the rest.
 */
const nginxForm = z.object(Object.fromEntries(NGINX_KEYS.map((k) => [k, z.string().trim().max(300).optional()]))).strip() as unknown as z.ZodType<
  Partial<Record<NginxKey, string>>
>;

const typeForm = z.object({ type: proxyType });

/** An app's proxy and nginx settings, `…/proxy/…` (a section of the Settings tab). */
export const proxyRoutes = new Hono<HostAppEnv>()
  .get("/section", async (c) => {
    const { host, app } = c.var;
    const [proxy, nginx] = await Promise.all([host.run("proxy.report", { app }), host.run("nginx.report", { app })]);
    return c.html(<ProxyBody host={host.id} app={app} proxy={proxy} nginx={nginx} historyHref={historyHref(c)} may={mayOf(host)} />);
  })
  .post("/enable", (c) => change(c, "proxy.enable", { app: c.var.app }, (r) => <Done title={`Enabled the proxy of ${c.var.app}`} result={r} />))
  .post("/disable", (c) => change(c, "proxy.disable", { app: c.var.app }, (r) => <Done title={`Disabled the proxy of ${c.var.app}`} result={r} />))
  .post("/type", valid("form", typeForm), (c) => {
    const { type } = c.req.valid("form");
    return change(c, "proxy.setType", { app: c.var.app, type }, (r) => <Done title={`${c.var.app} now uses ${type}`} result={r} />);
  })
  /** Only what differs from the app's current values is sent: an empty field unsets, a filled one sets. */
  .post("/nginx", valid("form", nginxForm), async (c) => {
    const { host, app } = c.var;
    const now = await host.run("nginx.report", { app });
    if (now.kind !== "ok") return failure(c, now);
    const form = c.req.valid("form");
    const settings: Partial<Record<NginxKey, string | null>> = {};
    const wrong: string[] = [];
    for (const k of NGINX_KEYS) {
      const v = form[k];
      if (v === undefined || v === now.result.settings[k].app) continue;
      const checked = v === "" ? null : NGINX_SETTINGS[k].value.safeParse(v);
      if (checked && !checked.success) wrong.push(`${k}: ${checked.error.issues[0]!.message}`);
      settings[k] = v === "" ? null : v;
    }
    if (wrong.length > 0) return refuse(c, wrong.join("\n"));
    if (Object.keys(settings).length === 0) return refuse(c, "nothing to change: every field holds the app's current value");
    const what = Object.keys(settings).join(", ");
    return change(c, "nginx.set", { app, settings: settings as OpArgs<"nginx.set">["settings"] }, (r) => <Done title={`Changed ${what}`} result={r} />);
  })
  .post("/reload", (c) => change(c, "nginx.reload", {}, (r) => <Done title="Reloaded nginx" result={r} />));
