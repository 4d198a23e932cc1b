import { Hono } from "hono";
import { z } from "zod";
import { NETWORK_KEYS, type NetworkProperty } from "../../../protocol/ops/network.js";
import { NetworkFacts } from "../../pages/app/network.js";
import { Done } from "../../pages/app/shell.js";
import type { HostAppEnv } from "../../types.js";
import { change } from "../answers.js";
import { validArgs } from "../input.js";
import { historyHref } from "../scope.js";

const setForm = z.object({ property: z.enum(NETWORK_KEYS as [NetworkProperty, ...NetworkProperty[]]), value: z.string().trim().max(400) });

/** An app's network properties, `…/network/…` (a section of the Settings tab). */
export const networkRoutes = new Hono<HostAppEnv>()
  .get("/facts", async (c) => {
    const { host, app } = c.var;
    return c.html(<NetworkFacts host={host.id} app={app} report={await host.run("network.report", { app })} historyHref={historyHref(c)} />);
  })
  /** The value is checked by the op's own schema (attach-* take networks separated by spaces); empty unsets. */
  .post(
    "/set",
    validArgs("network.set", setForm, ({ property, value }, u) => ({
      app: u.app,
      property,
      value: value === "" ? undefined : property.startsWith("attach-") ? value.split(/\s+/) : value,
    })),
    (c) => {
      const d = c.req.valid("form");
      return change(c, "network.set", d, (r) => (
        <Done title={`${d.value === undefined ? "Unset" : "Set"} ${d.property}. Rebuild the app for it to apply.`} result={r} />
      ));
    },
  );
