import { Hono } from "hono";
import { mayOf } from "../../pages/may.js";
import { z } from "zod";
import { cronId } from "../../../protocol/ops/cron.js";
import { CronList, CronSection } from "../../pages/app/cron.js";
import { Done } from "../../pages/app/shell.js";
import type { HostAppEnv } from "../../types.js";
import { change } from "../answers.js";
import { valid } from "../input.js";
import { historyHref } from "../scope.js";
import { fromReads } from "../stream-page.js";
import { appPage } from "./kit.js";

// "task", not "id": a control named "id" shadows the form's own id in the DOM (test/unit/worker/pages/form-control-names.test.ts)
const taskForm = z.object({ task: cronId });

/** An app's Cron tab, `…/cron`: its tasks, run one now (streamed), suspend and resume (0.37+). */
export const cronRoutes = new Hono<HostAppEnv>()
  .get("/", (c) => {
    const { host, app } = c.var;
    const list = host.run("cron.list", { app });
    return appPage(
      c,
      "cron",
      [fromReads([list], (l) => <CronSection host={host.id} app={app} list={l} historyHref={historyHref(c)} may={mayOf(host)} />)],
      undefined,
      list,
    );
  })
  .get("/list", async (c) => {
    const { host, app } = c.var;
    return c.html(<CronList host={host.id} app={app} list={await host.run("cron.list", { app })} historyHref={historyHref(c)} may={mayOf(host)} />);
  })
  .post("/run", valid("form", taskForm), (c) =>
    change(c, "cron.run", { app: c.var.app, id: c.req.valid("form").task }, (r) => <Done title={`Cron task of ${c.var.app} ran`} result={r} />),
  )
  .post("/suspend", valid("form", taskForm), (c) =>
    change(c, "cron.suspend", { app: c.var.app, id: c.req.valid("form").task }, (r) => (
      <Done title="Cron task suspended: it no longer runs on its schedule" result={r} />
    )),
  )
  .post("/resume", valid("form", taskForm), (c) =>
    change(c, "cron.resume", { app: c.var.app, id: c.req.valid("form").task }, (r) => (
      <Done title="Cron task resumed: it runs on its schedule again" result={r} />
    )),
  );
