import { Hono } from "hono";
import { z } from "zod";
import { required } from "../../protocol/names.js";
import { ops } from "../../protocol/ops.js";
import { hostNetworkName } from "../../protocol/ops/network.js";
import { Done } from "../pages/app/shell.js";
import { mayOf } from "../pages/may.js";
import { NetworkList, NetworksBody, NetworksPage } from "../pages/networks.js";
import type { HostEnv } from "../types.js";
import { change } from "./answers.js";
import { problems, refuse, valid } from "./input.js";
import { historyHref } from "./scope.js";
import { fromReads, streamPage } from "./stream-page.js";

const createForm = z.object({ name: required("the network a name", hostNetworkName) });
const destroyForm = z.object({ name: required("a network", hostNetworkName), confirm: z.string().trim().max(63, "confirm is at most 63 characters") });
const page = (title: string) => ({ page: { title, current: "networks" as const } });

/**
 * `/hosts/:host/networks`: the host's docker networks (network:list), Create and Destroy (each
 * host-root by its op's declaration, which the one policy reads); the list reads itself again
 * after either (network.list stale), so the page shows the state the change made.
 */
export const networkRoutes = new Hono<HostEnv>()
  .get("/", (c) => {
    const { host } = c.var;
    const [status, list] = [host.status(), host.run("network.list", {})];
    return streamPage(
      c,
      async (slot) => (
        <NetworksPage host={await status} hosts={c.var.hosts}>
          {slot}
        </NetworksPage>
      ),
      [fromReads([list], (l) => <NetworksBody host={host.id} list={l} may={mayOf(host)} historyHref={historyHref(c)} />)],
      list,
    );
  })
  .get("/list", async (c) =>
    c.html(<NetworkList host={c.var.host.id} list={await c.var.host.run("network.list", {})} may={mayOf(c.var.host)} historyHref={historyHref(c)} />),
  )
  .post("/create", valid("form", createForm), (c) => {
    const { name } = c.req.valid("form");
    return change(c, "network.create", { name }, (r) => <Done title={`Network ${name} created`} result={r} />, page(`Network ${name} created`));
  })
  .post("/destroy", valid("form", destroyForm), (c) => {
    const args = c.req.valid("form");
    // the name typed again is the confirmation; a mismatch is said here, before anything is signed
    const parsed = ops["network.destroy"].args.safeParse(args);
    if (!parsed.success) return refuse(c, problems(parsed.error));
    return change(c, "network.destroy", args, (r) => <Done title={`Network ${args.name} destroyed`} result={r} />, page(`Network ${args.name} destroyed`));
  });
