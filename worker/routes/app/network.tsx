import { Hono } from "hono";
import { z } from "zod";
import { ops } from "../../../protocol/ops.js";
import { NETWORK_KEYS, type NetworkProperty } from "../../../protocol/ops/network.js";
import { NetworkFacts } from "../../pages/app/network.js";
import { Done } from "../../pages/app/shell.js";
import type { HostAppEnv } from "../../types.js";
import { change } from "../answers.js";
import { problems, refuse, valid } from "../input.js";
import { historyHref } from "../scope.js";

const setForm = z.object({ property: z.enum(NETWORK_KEYS as [NetworkProperty, ...NetworkProperty[]]), value: z.string().trim().max(400) });

/** An app's network properties, `…/network/…` (a section of the Settings tab). */
export const networkRoutes = new Hono<HostAppEnv>()
  .get("/facts", async (c) => {
    const { host, app } = c.var;
    return c.html(<NetworkFacts host={host.id} app={app} report={await host.run("network.report", { app })} historyHref={historyHref(c)} />);
  })
  /** The value is checked by the op's own schema (attach-* take networks separated by spaces); empty unsets. */
  .post("/set", valid("form", setForm), (c) => {
    const { property, value } = c.req.valid("form");
    const v = value === "" ? undefined : property.startsWith("attach-") ? value.split(/\s+/) : value;
    const args = { app: c.var.app, property, ...(v === undefined ? {} : { value: v }) };
    const parsed = ops["network.set"].args.safeParse(args);
    if (!parsed.success) return refuse(c, problems(parsed.error));
    return change(c, "network.set", args, (r) => (
      <Done title={`${v === undefined ? "Unset" : "Set"} ${property}. Rebuild the app for it to apply.`} result={r} />
    ));
  });
