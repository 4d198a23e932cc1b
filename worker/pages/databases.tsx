import type { HostRef } from "../hub/outcome.js";
import type { Child } from "hono/jsx";
import type { DbPlugin } from "../../protocol/names.js";
import type { CommandOutput, OpResult } from "../../protocol/ops.js";
import type { HostStatus } from "../hub/outcome.js";
import { Layout } from "./layout.js";
import { ChangeDone } from "./outcome.js";
import { PluginBadge, PluginNotice } from "./plugin-state.js";
import { appUrl, databaseUrl } from "../urls.js";
import { reloadsOn } from "./stale.js";
import { ExposeSection } from "./database-ports.js";
import { IfMay, type May } from "./may.js";
import { PostForm } from "./post-form.js";
import { Section } from "./section.js";

type Overview = OpResult<"databases.overview">["plugins"];
type Info = OpResult<"databases.info">;

const SERVICE_PATTERN = "[A-Za-z0-9_][A-Za-z0-9_\\-]*";

/** A form that posts normally without JS, and through htmx (streamed output into `target`) with it. */
function ActionForm({ action, target, class: cls, confirm, children }: { action: string; target: string; class?: string; confirm?: string; children: Child }) {
  // confirmed through htmx's dialog: the edge asks again (a page of its own) only without JavaScript
  return (
    <PostForm action={action} target={`#${target}`} class={cls} confirm={confirm} vals={confirm ? JSON.stringify({ confirmed: "1" }) : undefined}>
      {children}
    </PostForm>
  );
}

/** What Unlink asks before it runs: it takes the URL out of the app's config and restarts the app. */
export const unlinkQuestion = (app: string, service: string) =>
  `Unlink ${service} from ${app}? ${app} loses the database's URL from its config and restarts, and can no longer reach it.`;

/** The databases page's frame; `DatabasesBody` fills it once the host answered. */
export function DatabasesPage({ host, hosts, children }: { host: HostStatus; hosts: HostRef[]; children?: Child }) {
  return (
    <Layout title={`Databases on ${host.name}`} host={host} hosts={hosts} current="databases">
      <h1>Databases on {host.name}</h1>
      {children}
    </Layout>
  );
}

export function DatabasesBody({ host: h, plugins, may }: { host: string; plugins: Overview; may: May }) {
  const installed = may("databases.create", {}) ? plugins.filter((p) => p.status.state === "enabled") : [];
  return (
    <>
      {installed.length > 0 ? (
        <Section name="create" title="Create a database" class="db-create">
          <ActionForm action={databaseUrl(h)} target="create-result" class="inline-form">
            <div>
              <label for="create-plugin">Type</label>
              <select id="create-plugin" name="plugin" required>
                {installed.map((p) => (
                  <option value={p.plugin}>{p.plugin}</option>
                ))}
              </select>
            </div>
            <div>
              <label for="create-name">Name</label>
              <input id="create-name" name="service" required maxlength={63} pattern={SERVICE_PATTERN} autocomplete="off" />
            </div>
            <button type="submit">Create</button>
          </ActionForm>
          <div id="create-result" class="result" aria-live="polite"></div>
        </Section>
      ) : null}
      <DatabaseLists host={h} plugins={plugins} />
    </>
  );
}

/**
 * Each datastore plugin's services, read again (`/databases/lists`) when a change made the overview
 * stale (pages/stale.ts): a database just created is listed, one destroyed is gone.
 */
export function DatabaseLists({ host: h, plugins }: { host: string; plugins: Overview }) {
  return (
    <div id="db-lists" {...reloadsOn(databaseUrl(h, undefined, undefined, "/lists"), ["databases.overview"])}>
      {plugins.map((p) => (
        <section class="db-plugin" data-plugin={p.plugin} aria-labelledby={`p-${p.plugin}`}>
          <h2 id={`p-${p.plugin}`}>
            {p.plugin} <PluginBadge status={p.status} />
          </h2>
          {p.status.state !== "enabled" ? (
            <PluginNotice status={p.status} purpose={`use ${p.plugin} databases`} />
          ) : p.services === null ? (
            <div class="outcome outcome-error list-unread" role="alert">
              <strong>The {p.plugin} databases could not be read.</strong>
              <pre class="message">{p.problem ?? "no reason given"}</pre>
            </div>
          ) : p.services.length === 0 ? (
            <p>No {p.plugin} databases yet.</p>
          ) : (
            <ul class="services">
              {p.services.map((s) => (
                <li data-service={s}>
                  <a href={databaseUrl(h, p.plugin, s)}>{s}</a>
                </li>
              ))}
            </ul>
          )}
        </section>
      ))}
    </div>
  );
}

/** Info fields shown first, in this order, or in a section of their own; the rest follow as the plugin printed them. */
const FIRST = ["status", "version", "dsn", "links", "exposed-ports"];

/** One database's page frame; `DatabaseBody` fills it once the host answered. */
export function DatabasePage({
  host,
  hosts,
  plugin,
  service,
  children,
}: {
  host: HostStatus;
  hosts: HostRef[];
  plugin: DbPlugin;
  service: string;
  children?: Child;
}) {
  const h = host.host;
  return (
    <Layout title={`${service} (${plugin}) on ${host.name}`} host={host} hosts={hosts} current="databases">
      <p class="crumbs">
        <a href={databaseUrl(h)}>Databases</a> / {plugin}
      </p>
      <h1>{service}</h1>
      {children}
    </Layout>
  );
}

/**
 * A database's page below its name, read again (`…/body`) when a change made its info or the apps
 * stale (pages/stale.ts): after Link it lists the app as linked, after Destroy it says the service
 * is gone. Each answer area is kept across that.
 */
export function DatabasePart({ host, plugin, service, children }: { host: string; plugin: string; service: string; children: Child }) {
  return (
    <div id="db-body" {...reloadsOn(`${databaseUrl(host, plugin, service)}/body`, ["databases.info", "apps.list"])}>
      {children}
    </div>
  );
}

export function DatabaseBody({
  host: h,
  plugin,
  service,
  info,
  apps,
  may,
}: {
  host: string;
  plugin: DbPlugin;
  service: string;
  info: Info;
  apps: string[] | null;
  may: May;
}) {
  const base = databaseUrl(h, plugin, service);
  const rest = Object.keys(info.fields).filter((k) => !FIRST.includes(k));
  // only the apps the policy lets this user link (databases.link acts on the app it names)
  const linkable = (apps ?? []).filter((a) => !info.links.includes(a) && may("databases.link", { app: a, plugin, service }));
  return (
    <DatabasePart host={h} plugin={plugin} service={service}>
      <dl class="facts db-info">
        <dt>Status</dt>
        <dd>{info.status || "—"}</dd>
        <dt>Version</dt>
        <dd>{info.version || "—"}</dd>
        <dt>Connection (password masked)</dt>
        <dd>
          <code class="dsn">{info.dsn || "—"}</code>
        </dd>
        {rest.map((k) => (
          <>
            <dt>{k}</dt>
            <dd>{info.fields[k] || "—"}</dd>
          </>
        ))}
      </dl>

      <ExposeSection host={h} plugin={plugin} service={service} ports={info.exposedPorts} may={may} />

      <Section name="links" title="Linked apps">
        {info.links.length === 0 ? (
          <p>Not linked to any app.</p>
        ) : (
          <ul class="links">
            {info.links.map((a) => (
              <li data-linked={a}>
                <a href={appUrl(h, a)}>{a}</a>{" "}
                <IfMay may={may} op="databases.unlink" args={{ app: a, plugin, service }}>
                  <ActionForm action={`${base}/unlink`} target={`unlink-${a}`} class="inline-form" confirm={unlinkQuestion(a, service)}>
                    <input type="hidden" name="app" value={a} />
                    <button type="submit" aria-label={`Unlink ${a}`}>
                      Unlink
                    </button>
                  </ActionForm>
                </IfMay>
                <div id={`unlink-${a}`} class="result" aria-live="polite" hx-preserve></div>
              </li>
            ))}
          </ul>
        )}
        {apps === null ? (
          <p>The app list could not be read, so linking is not offered right now.</p>
        ) : linkable.length === 0 ? (
          <p>No other app to link.</p>
        ) : (
          <ActionForm action={`${base}/link`} target="link-result" class="inline-form">
            <div>
              <label for="link-app">App to link</label>
              <select id="link-app" name="app" required>
                {linkable.map((a) => (
                  <option value={a}>{a}</option>
                ))}
              </select>
            </div>
            <div class="check">
              <input id="link-norestart" name="noRestart" type="checkbox" value="1" />
              <label for="link-norestart">Don't restart the app</label>
            </div>
            <button type="submit">Link</button>
          </ActionForm>
        )}
        <div id="link-result" class="result" aria-live="polite" hx-preserve></div>
      </Section>

      <IfMay may={may} op="databases.destroy" args={{ plugin, service }}>
        <Section name="destroy" title="Destroy" class="danger">
          <p>This deletes the database and its data for good. Unlink it from every app first.</p>
          <ActionForm action={`${base}/destroy`} target="destroy-result" class="inline-form">
            <div>
              <label for="destroy-confirm">Type {service} to confirm</label>
              <input id="destroy-confirm" name="confirm" required maxlength={63} pattern={service} autocomplete="off" />
            </div>
            <button type="submit" class="danger">
              Destroy {service}
            </button>
          </ActionForm>
          <div id="destroy-result" class="result" aria-live="polite" hx-preserve></div>
        </Section>
      </IfMay>
    </DatabasePart>
  );
}

/** What a database change printed, once it succeeded; `next` says where to look now. */
export function DbResult({ message, result, next }: { message: string; result: CommandOutput; next?: { href: string; label: string } }) {
  return (
    <ChangeDone title={message} result={result}>
      {next ? (
        <p>
          <a href={next.href}>{next.label}</a>
        </p>
      ) : null}
    </ChangeDone>
  );
}
