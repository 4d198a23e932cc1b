import { Hono } from "hono";
import { z } from "zod";
import { OP_LIMITS } from "../../../protocol/ops.js";
import { processType } from "../../../protocol/names.js";
import { offersChanges } from "../../pages/app-state.js";
import { RowActionResult } from "../../pages/apps.js";
import { AppActions, DestroySubmit, OverviewBody, OverviewPart, ScaleSubmit } from "../../pages/app/overview.js";
import { AppSummary } from "../../pages/app/app-summary.js";
import { Done } from "../../pages/app/shell.js";
import type { HostAppEnv } from "../../types.js";
import { change, fragment } from "../answers.js";
import { refuse, valid } from "../input.js";
import { fromReads } from "../stream-page.js";
import { appPage, unlessFailed, type C } from "./kit.js";
import { hostUrl } from "../../urls.js";
import { mayOf } from "../../pages/may.js";

/** `scale.<type>` fields, one per process type: every type at once. */
const COUNT = `a count is a whole number from 0 to ${OP_LIMITS.scaleCount}`;
const quantity = z
  .string()
  .regex(/^\d{1,3}$/, COUNT)
  .transform(Number)
  .pipe(z.number().int().min(0).max(OP_LIMITS.scaleCount, COUNT));
const scaleForm = z
  .record(z.string(), z.string())
  .transform((fields) =>
    Object.entries(fields)
      .filter(([k]) => k.startsWith("scale."))
      .map(([k, v]) => [k.slice(6), v] as const),
  )
  .pipe(
    z
      .array(z.tuple([processType, quantity]))
      .min(1, "give a count for at least one process type")
      .max(OP_LIMITS.scaleTypes, `at most ${OP_LIMITS.scaleTypes} process types`)
      .transform((pairs) => Object.fromEntries(pairs) as Record<string, number>),
  );

const destroyForm = z.object({ confirm: z.string().max(63, "the confirmation is at most 63 characters") });

/**
 * Dokku's warnings that mean the action did nothing ("App x already running", "… has not been
 * deployed"), as opposed to notes along the way ("App has been detected as not running, releasing").
 */
const nothingDone = (warning: string | undefined) => warning !== undefined && /(already running|has not been deployed|is not running)$/im.test(warning.trim());

const PS_OPS = {
  start: ["apps.start", "Started"],
  stop: ["apps.stop", "Stopped"],
  restart: ["apps.restart", "Restarted"],
  rebuild: ["apps.rebuild", "Rebuilt"],
} as const;

/** The change running on this app now, if any (its actions wait for it: the relay runs one change per app). */
const runningOn = async (c: C) => (await c.var.host.running()).find((j) => j.app === c.var.app);

/** An app's Overview tab (the app's own URL): its summary, actions (start, stop…), scale and destroy. */
export const overviewRoutes = new Hono<HostAppEnv>()
  .get("/", (c) => {
    const { host, app } = c.var;
    const status = host.status();
    const [detail, scale, running] = [host.run("apps.detail", { app }), host.run("apps.scale.show", { app }), runningOn(c)];
    return appPage(
      c,
      "overview",
      [
        fromReads([status, detail, scale, running], (s, d, sc, r) =>
          unlessFailed(c, d, (result) => (
            <OverviewBody
              host={s}
              detail={result}
              scale={sc.kind === "ok" ? sc.result.scale : []}
              running={r}
              live={offersChanges(s, d, sc)}
              may={mayOf(host)}
            />
          )),
        ),
      ],
      status,
      detail,
    );
  })
  /** The tab's sections alone, read again when a change made them stale; a destroyed app's says it is gone. */
  .get("/overview", async (c) => {
    const { host, app } = c.var;
    const [status, detail, scale, running] = await Promise.all([
      host.status(),
      host.run("apps.detail", { app }),
      host.run("apps.scale.show", { app }),
      runningOn(c),
    ]);
    c.header("cache-control", "no-store");
    return c.html(
      detail.kind === "ok" ? (
        <OverviewBody host={status} detail={detail.result} scale={scale.kind === "ok" ? scale.result.scale : []} running={running} may={mayOf(host)} />
      ) : (
        <OverviewPart host={host.id} app={app}>
          {unlessFailed(c, detail, () => null)}
        </OverviewPart>
      ),
    );
  })
  .get("/summary", (c) => fragment(c, "apps.detail", { app: c.var.app }, (d) => <AppSummary host={c.var.host.id} detail={d} />))
  .get("/actions", async (c) => {
    const running = await runningOn(c);
    // With the buttons, the Scale and Destroy buttons elsewhere on the page (out of band): all come back when the change ends.
    const live = offersChanges(await c.var.host.status());
    return fragment(c, "apps.detail", { app: c.var.app }, (d) => (
      <>
        <AppActions host={c.var.host.id} detail={d} running={running} live={live} may={mayOf(c.var.host)} />
        <ScaleSubmit running={running} oob />
        <DestroySubmit app={c.var.app} running={running} oob />
      </>
    ));
  })
  .post("/ps/:action", (c) => {
    const { app } = c.var;
    const action = c.req.param("action");
    if (!Object.hasOwn(PS_OPS, action)) return refuse(c, "action is start, stop, restart or rebuild");
    const [op, verb] = PS_OPS[action as keyof typeof PS_OPS];
    return change(c, op, { app }, (r) => <Done title={nothingDone(r.warning) ? `Nothing to do for ${app}` : `${verb} ${app}`} result={r} />);
  })
  /** The dashboard's Restart and Start buttons (one row of the apps table); the list reads itself again. */
  .post("/restart", (c) =>
    change(c, "apps.restart", { app: c.var.app }, (r) => <RowActionResult action="restart" app={c.var.app} result={r} nothingDone={nothingDone(r.warning)} />),
  )
  .post("/start", (c) =>
    change(c, "apps.start", { app: c.var.app }, (r) => <RowActionResult action="start" app={c.var.app} result={r} nothingDone={nothingDone(r.warning)} />),
  )
  .post("/scale", valid("form", scaleForm), (c) => {
    const scale = c.req.valid("form");
    const said = Object.entries(scale)
      .map(([t, n]) => `${t}=${n}`)
      .join(" ");
    return change(c, "apps.scale.set", { app: c.var.app, scale }, (r) => <Done title={`Scaled ${c.var.app}: ${said}`} result={r} />);
  })
  .post("/destroy", valid("form", destroyForm), (c) => {
    const { host, app } = c.var;
    const { confirm } = c.req.valid("form");
    // Refused here with what to do (the relay checks it again, and would refuse it as bad_request).
    if (confirm !== app) return refuse(c, `Type the app name, ${app}, exactly to confirm; nothing was destroyed.`);
    return change(c, "apps.destroy", { app, confirm }, (r) => (
      <div class="outcome outcome-ok" role="status">
        <strong>Destroyed {app}.</strong> <a href={hostUrl(host.id)}>Back to the apps on {host.id}</a>
        {r.output ? <pre>{r.output}</pre> : null}
      </div>
    ));
  });
