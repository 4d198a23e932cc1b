import { mayOf } from "../../pages/may.js";
import { Hono } from "hono";
import { z } from "zod";
import { DriftSection, DriftSlot } from "../../pages/app/drift.js";
import { BuildOutput, ReleasesBody } from "../../pages/app/releases.js";
import { ReleaseDetail, ReleaseValues, RollbackPreview } from "../../pages/app/release-detail.js";
import { buildId } from "../../../protocol/ops.js";
import { Done } from "../../pages/app/shell.js";
import type { HostAppEnv } from "../../types.js";
import { appUrl } from "../../urls.js";
import { change, failure, fragment, noStore } from "../answers.js";
import { requireSameOrigin } from "../../security.js";
import { valid } from "../input.js";
import { fromReads } from "../stream-page.js";
import { appPage, unlessFailed } from "./kit.js";

/** A release number in the path: `…/releases/3`. */
const releaseParam = valid(
  "param",
  z.object({ number: z.coerce.number("the release is a number").int("the release is a whole number").min(1, "releases count from 1").max(1_000_000_000) }),
);

/**
 * An app's Releases tab, `…/releases`: the list (newest first, the live one marked, each with what
 * it changed), one release's page, the rollback's preview (`…/releases/N/rollback`, read before
 * anything runs) and the rollback itself (POST there: one change with its own page and live output).
 */
export const releaseRoutes = new Hono<HostAppEnv>()
  .get("/", (c) => {
    const { host, app } = c.var;
    const [status, list] = [host.status(), host.run("releases.list", { app })];
    const body = fromReads([status, list], (s, l) =>
      unlessFailed(c, l, (r) => (
        <>
          <DriftSlot host={s.host} app={app} />
          <ReleasesBody host={s.host} app={app} list={r} may={mayOf(c.var.host)} />
        </>
      )),
    );
    return appPage(c, "releases", [body], status, list);
  })
  /** The list alone, as the tab reloads it after a change made it stale. */
  .get("/list", (c) =>
    fragment(c, "releases.list", { app: c.var.app }, (r) => <ReleasesBody host={c.var.host.id} app={c.var.app} list={r} may={mayOf(c.var.host)} />),
  )
  /** What changed since the live release (keys only), loaded into the Releases and Deploy tabs. */
  .get("/drift", (c) =>
    fragment(c, "releases.drift", { app: c.var.app }, (r) => <DriftSection host={c.var.host.id} app={c.var.app} drift={r} may={mayOf(c.var.host)} />),
  )
  .post("/keep", (c) =>
    change(c, "releases.keep", { app: c.var.app }, (r) => <Done title={`Kept the changes made to ${c.var.app} outside Docklight`} result={r} />),
  )
  .post("/revert", (c) =>
    change(c, "releases.revert", { app: c.var.app }, (r) => <Done title={`Reverted the changes made to ${c.var.app} outside Docklight`} result={r} />),
  )
  /** Dokku's output of one of its builds (0.38+), loaded into a release's page. */
  .get("/builds/:id/output", valid("param", z.object({ id: buildId })), (c) =>
    fragment(c, "builds.output", { app: c.var.app, id: c.req.valid("param").id }, (r) => <BuildOutput r={r} />),
  )
  /** Stop the deploy running on the app, one started outside Docklight (builds:cancel). */
  .post("/builds/cancel", (c) =>
    change(c, "builds.cancel", { app: c.var.app }, (r) => <Done title={`Cancelled the deploy of ${c.var.app} started outside Docklight`} result={r} />),
  )
  .get("/:number", releaseParam, (c) => {
    const { host, app } = c.var;
    const { number } = c.req.valid("param");
    const [status, list] = [host.status(), host.run("releases.list", { app })];
    const body = fromReads([status, list], (s, l) =>
      unlessFailed(c, l, (r) => {
        const found = r.releases.find((x) => x.number === number);
        return found ? (
          <ReleaseDetail host={s.host} r={found} may={mayOf(c.var.host)} />
        ) : (
          <p role="alert">
            {app} has no release #{number} in the list. <a href={appUrl(s.host, app, "/releases")}>All releases</a>
          </p>
        );
      }),
    );
    return appPage(c, "releases", [body], status, list);
  })
  /** A release's config values, on demand, to a user who may reveal secrets (releases.values declares `reveals`): same-origin only, never cached. */
  .get("/:number/values", requireSameOrigin, releaseParam, async (c) => {
    const outcome = await c.var.host.run("releases.values", { app: c.var.app, number: c.req.valid("param").number });
    if (outcome.kind !== "ok") return failure(c, outcome);
    noStore(c);
    return c.html(<ReleaseValues vars={outcome.result.vars} />);
  })
  .get("/:number/rollback", releaseParam, (c) => {
    const { host, app } = c.var;
    const { number } = c.req.valid("param");
    const [status, plan] = [host.status(), host.run("releases.plan", { app, number })];
    const body = fromReads([status, plan], (s, p) => unlessFailed(c, p, (r) => <RollbackPreview host={s.host} app={app} plan={r} may={mayOf(c.var.host)} />));
    return appPage(c, "releases", [body], status, plan);
  })
  .post("/:number/rollback", releaseParam, (c) => {
    const { app } = c.var;
    const { number } = c.req.valid("param");
    return change(c, "releases.rollback", { app, number }, (r) => <Done title={`Rolled back ${app} to release #${number}`} result={r} />);
  });
