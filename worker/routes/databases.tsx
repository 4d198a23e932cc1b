import type { Context } from "hono";
import { Hono } from "hono";
import { z } from "zod";
import { appName, dbPlugin, serviceName, required } from "../../protocol/names.js";
import type { OpArgs } from "../../protocol/ops.js";
import { maskUrlCredentials } from "../../protocol/redact.js";
import { DatabaseBody, DatabaseLists, DatabasePage, DatabasePart, DatabasesBody, DatabasesPage, DbResult } from "../pages/databases.js";
import { UnlinkConfirm } from "../pages/database-unlink.js";
import type { HostEnv } from "../types.js";
import { change, noStore, unlessFailed, type ChangeOp } from "./answers.js";
import { refuse, valid, validArgs } from "./input.js";
import { fromReads, streamPage } from "./stream-page.js";
import { databaseUrl } from "../urls.js";
import { BackupsSection } from "../pages/database-backups.js";
import { backupRoutes } from "./database-backups.js";
import { dumpRoutes } from "./database-dumps.js";
import { DumpSection } from "../pages/database-dumps.js";
import { mayOf } from "../pages/may.js";
import type { DbPlugin } from "../../protocol/names.js";
import type { Outcome } from "../hub/outcome.js";

const service = valid("param", z.object({ plugin: dbPlugin, service: serviceName }));
const createForm = valid("form", z.object({ plugin: dbPlugin, service: required("the database a name", serviceName) }));
const linkForm = valid(
  "form",
  z.object({ app: required("an app", appName), noRestart: z.enum(["1", "on", "true"]).optional(), confirmed: z.literal("1").optional() }),
);
const exposeFields = z.object({ ports: z.string().trim().max(100, "ports are at most 100 characters").default("") });
const destroyForm = valid("form", z.object({ confirm: z.string().max(63, "confirm is at most 63 characters") }));

type DbOp = Extract<ChangeOp, `databases.${string}`>;

/**
 * A database change: streamed live into the page when htmx asks for a stream, otherwise run to the
 * end and answered with a fragment (htmx) or a page (a plain form post: these forms work without JS).
 */
const dbChange = <N extends DbOp>(c: Context<HostEnv>, op: N, args: OpArgs<N>, message: string, next?: { href: string; label: string }) =>
  change(c, op, args, (r) => <DbResult message={message} result={r} next={next} />, {
    mask: maskUrlCredentials,
    page: { title: message, current: "databases" },
  });

/** A database's page below its name: its info, links and destroy form, or why it could not be read (it is gone). */
function dbBody(c: Context<HostEnv>, plugin: DbPlugin, service: string, info: Outcome<"databases.info">, apps: Outcome<"apps.list">) {
  const { host } = c.var;
  return info.kind === "ok" ? (
    <DatabaseBody host={host.id} plugin={plugin} service={service} info={info.result} apps={apps.kind === "ok" ? apps.result.apps.map((x) => x.name) : null} />
  ) : (
    <DatabasePart host={host.id} plugin={plugin} service={service}>
      {unlessFailed(c, info, () => null)}
      <p>
        <a href={databaseUrl(host.id)}>All databases</a>
      </p>
    </DatabasePart>
  );
}

/** Datastore services (dokku-postgres and friends), `/hosts/:host/databases`: overview, create, info, link/unlink, destroy. */
export const databaseRoutes = new Hono<HostEnv>()
  .get("/", (c) => {
    const { host } = c.var;
    const [status, overview] = [host.status(), host.run("databases.overview", {})];
    return streamPage(
      c,
      async (slot) => (
        <DatabasesPage host={await status} hosts={c.var.hosts}>
          {slot}
        </DatabasesPage>
      ),
      [fromReads([overview], (o) => unlessFailed(c, o, (r) => <DatabasesBody host={host.id} plugins={r.plugins} />))],
      overview,
    );
  })
  .post("/", createForm, (c) => {
    const { plugin, service } = c.req.valid("form");
    return dbChange(c, "databases.create", { plugin, service }, `Created ${plugin} database ${service}`, {
      href: databaseUrl(c.var.host.id, plugin, service),
      label: `Open ${service}`,
    });
  })
  /** The services lists alone, read again when a change made the overview stale (pages/stale.ts). */
  .get("/lists", async (c) => {
    const overview = await c.var.host.run("databases.overview", {});
    return c.html(
      <>
        {unlessFailed(c, overview, (r) => (
          <DatabaseLists host={c.var.host.id} plugins={r.plugins} />
        ))}
      </>,
    );
  })
  .get("/:plugin/:service", service, (c) => {
    const { host } = c.var;
    const { plugin, service } = c.req.valid("param");
    const [status, info, apps, backups] = [
      host.status(),
      host.run("databases.info", { plugin, service }),
      host.run("apps.list", {}),
      host.run("databases.backups", { plugin, service }),
    ];
    const body = fromReads([info, apps], (i, a) => dbBody(c, plugin, service, i, a));
    // a service that is gone has no backups to show: its body says so
    const backupPart = fromReads([info, backups], (i, b) =>
      i.kind === "ok" ? (
        <>
          <DumpSection host={host.id} plugin={plugin} service={service} may={mayOf(host)} />
          <BackupsSection host={host.id} plugin={plugin} service={service} backups={b} />
        </>
      ) : null,
    );
    // the service's connection details (its DSN's password is masked by the relay)
    noStore(c);
    return streamPage(
      c,
      async (slot) => (
        <DatabasePage host={await status} hosts={c.var.hosts} plugin={plugin} service={service}>
          {slot}
        </DatabasePage>
      ),
      [body, backupPart],
      info,
    );
  })
  /** The page below the name alone, read again when a change made it stale (pages/stale.ts). */
  .get("/:plugin/:service/body", service, async (c) => {
    const { plugin, service } = c.req.valid("param");
    const [info, apps] = await Promise.all([c.var.host.run("databases.info", { plugin, service }), c.var.host.run("apps.list", {})]);
    noStore(c);
    return c.html(<>{dbBody(c, plugin, service, info, apps)}</>);
  })
  .post("/:plugin/:service/:action{link|unlink}", service, linkForm, (c) => {
    const { plugin, service } = c.req.valid("param");
    const { app, noRestart, confirmed } = c.req.valid("form");
    const args = { plugin, service, app, noRestart: noRestart !== undefined };
    if (c.req.param("action") === "link") return dbChange(c, "databases.link", args, `Linked ${service} to ${app}`);
    // htmx's dialog asked already (confirmed=1); a plain post is asked here, on a page of its own
    if (confirmed === undefined) return c.html(<UnlinkConfirm host={c.var.host.id} plugin={plugin} service={service} app={app} noRestart={args.noRestart} />);
    return dbChange(c, "databases.unlink", args, `Unlinked ${service} from ${app}`);
  })
  .route("/:plugin/:service/backups", backupRoutes)
  .route("/:plugin/:service", dumpRoutes)
  .post(
    "/:plugin/:service/expose",
    service,
    validArgs("databases.expose", exposeFields, (f, u) => ({
      plugin: u.param("plugin"),
      service: u.param("service"),
      ports: f.ports.split(/\s+/).filter(Boolean),
    })),
    (c) => {
      const d = c.req.valid("form");
      return dbChange(c, "databases.expose", d, `Exposed ${d.service}`);
    },
  )
  .post("/:plugin/:service/unexpose", service, (c) => {
    const { plugin, service } = c.req.valid("param");
    return dbChange(c, "databases.unexpose", { plugin, service }, `Unexposed ${service}`);
  })
  .post("/:plugin/:service/destroy", service, destroyForm, (c) => {
    const { plugin, service } = c.req.valid("param");
    const { confirm } = c.req.valid("form");
    if (confirm !== service) return refuse(c, `Type the database's name, ${service}, exactly to confirm; nothing was destroyed.`);
    return dbChange(c, "databases.destroy", { plugin, service, confirm }, `Destroyed ${plugin} database ${service}`, {
      href: databaseUrl(c.var.host.id),
      label: "Back to the databases",
    });
  });
