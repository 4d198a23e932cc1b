import type { HostRef } from "../../hub/outcome.js";
import type { Child } from "hono/jsx";
import type { CommandOutput } from "../../../protocol/ops.js";
import type { HostStatus } from "../../hub/outcome.js";
import { offersChanges } from "../app-state.js";
import { Layout } from "../layout.js";
import { PostForm } from "../post-form.js";
import { ChangeDone } from "../outcome.js";
import { utcTime } from "../time.js";
import { appUrl, hostUrl } from "../../urls.js";

export type AppTab = "overview" | "deploy" | "releases" | "config" | "domains" | "tls" | "settings" | "cron" | "logs" | "history";

/** The app's pages in nav order: [tab, label, path after /hosts/:host/apps/:app]. */
const TABS: Array<[AppTab, string, string]> = [
  ["overview", "Overview", ""],
  ["deploy", "Deploy", "/deploy"],
  ["releases", "Releases", "/releases"],
  ["config", "Config", "/config"],
  ["domains", "Domains & ports", "/domains"],
  ["tls", "TLS", "/tls"],
  ["settings", "Settings", "/settings"],
  ["cron", "Cron", "/cron"],
  ["logs", "Logs", "/logs"],
  ["history", "History", "/history"],
];

/**
 * Every per-app page: the host's layout, the app's name and its tabs (each one a bookmarkable URL).
 * While the host is offline (its last known state is shown) every form and button of the tab is
 * disabled: nothing that changes the host is offered (offersChanges).
 */
export function AppShell({ host, hosts, app, tab, children }: { host: HostStatus; hosts: HostRef[]; app: string; tab: AppTab; children?: Child }) {
  const base = appUrl(host.host, app);
  const label = TABS.find(([t]) => t === tab)![1];
  return (
    <Layout title={`${app} · ${label}`} host={host} hosts={hosts}>
      <p class="crumbs">
        <a href={hostUrl(host.host)}>Apps on {host.name}</a> /
      </p>
      <h1 class="app-name">{app}</h1>
      <nav aria-label="App sections" class="tabs">
        {TABS.map(([t, l, path]) => (
          <a href={`${base}${path}`} aria-current={t === tab ? "page" : undefined}>
            {l}
          </a>
        ))}
      </nav>
      {offersChanges(host) ? (
        children
      ) : (
        <fieldset class="last-known" disabled>
          {children}
        </fieldset>
      )}
    </Layout>
  );
}

/**
 * An input that did not parse: said where the user acted, nothing was sent to the host. `change`:
 * the request would have changed something (a form), so the answer says nothing was.
 */
export function BadInput({ message, change = true }: { message: string; change?: boolean }) {
  return (
    <div class="outcome outcome-error" role="alert">
      <strong>{change ? "Not accepted (nothing was changed)" : "Not accepted"}</strong>
      <pre class="message">{message}</pre>
    </div>
  );
}

/**
 * A change that succeeded: what happened, Dokku's warning if it printed one, and its output when not
 * streamed. The parts of the page it made stale read themselves again (pages/stale.ts).
 */
export function Done({ title, result }: { title: string; result: CommandOutput }) {
  return <ChangeDone title={title} result={result} />;
}

export const when = (unixSeconds: number | null) => (unixSeconds === null ? null : utcTime(unixSeconds * 1000));

/**
 * A row's Remove button: posts the row's one field to `action` after a confirm, answers into
 * `target`; the button is labelled with what it removes.
 */
export function RemoveButton(props: { action: string; target: string; field: string; value: string; confirm: string; include?: string }) {
  return (
    <PostForm action={props.action} target={props.target} include={props.include} confirm={props.confirm}>
      <input type="hidden" name={props.field} value={props.value} />
      <button type="submit" class="small" aria-label={`Remove ${props.value}`}>
        Remove
      </button>
    </PostForm>
  );
}
