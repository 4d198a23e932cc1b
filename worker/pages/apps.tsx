import { LegacyRename } from "./app/rename.js";
import { isActionableAppName } from "../../protocol/names.js";
import type { AppSummary, CommandOutput } from "../../protocol/ops.js";
import { actionsFor, StateBadge } from "./app-state.js";
import { Refresh } from "./app/shell.js";
import { ChangeDone } from "./outcome.js";
import { appUrl, hostUrl } from "../urls.js";

/**
 * The host's apps: name (linking to the app's page), status, domains, process count and a Restart
 * button (only where the app's state makes a restart do something) that streams the deploy output
 * into its row. An app whose status could not be read says so in its own row. Domains come from one all-apps report
 * (domains.all); without them the column is left out rather than guessed. `live` false (the host's
 * last known state, its relay offline): no Actions column, nothing to change.
 */
export function AppsTable({ host, apps, domains, live = true }: { host: string; apps: AppSummary[]; domains?: Record<string, string[]>; live?: boolean }) {
  if (apps.length === 0) return <p>No apps on this host yet.</p>;
  return (
    <table class="apps">
      <thead>
        <tr>
          <th scope="col">App</th>
          <th scope="col">Status</th>
          {domains ? <th scope="col">Domains</th> : null}
          <th scope="col">Processes</th>
          {live ? <th scope="col">Actions</th> : null}
        </tr>
      </thead>
      <tbody>
        {apps.map((app) => (
          <AppRow host={host} app={app} domains={domains} live={live} />
        ))}
      </tbody>
    </table>
  );
}

/**
 * One app's row of the table; also the fragment a row is refreshed from once a change to the app
 * ended (`appUrl(…, "/row")`). Its result area keeps its id and is preserved across that refresh
 * (`hx-preserve`), so the change's outcome stays where the user acted while the state is redrawn.
 */
export function AppRow({ host, app, domains, live = true }: { host: string; app: AppSummary; domains?: Record<string, string[]>; live?: boolean }) {
  return (
    <tr data-app={app.name}>
      <th scope="row">
        {isActionableAppName(app.name) ? (
          <a href={appUrl(host, app.name)}>{app.name}</a>
        ) : (
          <span class="legacy-name" title="Created under an older Dokku name rule: manage it with the dokku CLI">
            {app.name}
          </span>
        )}
      </th>
      <td class="state">
        <StateBadge state={app.state} reason={app.unknownReason} />
        {app.unknownReason ? <span class="muted unknown-reason"> {app.unknownReason}</span> : null}
      </td>
      {domains ? (
        <td class="domains">
          {(domains[app.name] ?? []).map((d) => (
            <span class="domain">{d}</span>
          ))}
        </td>
      ) : null}
      <td class="processes">{app.processes ?? "—"}</td>
      {live ? <AppActionsCell host={host} app={app} /> : null}
    </tr>
  );
}

/** The Actions cell of an app's row: Restart where it does something, else the next step. */
function AppActionsCell({ host, app }: { host: string; app: AppSummary }) {
  const restartable = actionsFor(app.state, true).includes("restart");
  const result = `result-${app.name}`;
  return (
      <td>
        {!isActionableAppName(app.name) ? (
          <>
            <span class="muted">CLI only</span> <LegacyRename host={host} app={app.name} />
            <div class="result" aria-live="polite"></div>
          </>
        ) : (
          <>
            {restartable ? (
              <>
                <button type="button" hx-post={appUrl(host, app.name, "/restart")} hx-target="next .result" hx-disable="this" aria-describedby={result}>
                  Restart
                </button>
                <span class="htmx-indicator">Restarting…</span>
              </>
            ) : (
              <NextStep host={host} app={app} />
            )}
            <div id={result} class="result" aria-live="polite" hx-preserve></div>
          </>
        )}
      </td>
  );
}

/** What to do with an app that has nothing to restart: deploy it, scale it up, or look at it. */
function NextStep({ host, app }: { host: string; app: AppSummary }) {
  const base = appUrl(host, app.name);
  if (app.state === "not-deployed") return <a href={`${base}/deploy`}>Deploy</a>;
  if (app.state === "scaled-to-zero") return <a href={`${base}#scale-h`}>Scale</a>;
  return <span class="muted">—</span>;
}

/** The dashboard's Restart answer: the outcome, then the app's row read again (its new state). */
export function RestartResult({ host, app, result }: { host: string; app: string; result: CommandOutput }) {
  return (
    <ChangeDone title={result.warning ? "Not restarted" : `Restarted ${app}`} result={result}>
      <Refresh url={appUrl(host, app, "/row")} target="closest tr" />
    </ChangeDone>
  );
}

/** The dashboard's "create an app" form: Dokku's own name rule, checked again at the edge and relay. */
export function CreateAppForm({ host }: { host: string }) {
  return (
    <details class="create-app">
      <summary>Create an app</summary>
      <form method="post" action={hostUrl(host, "/apps")} class="inline" hx-post={hostUrl(host, "/apps")} hx-target="#create-app-result" hx-disable="find button">
        <label for="new-app">Name</label>
        <input
          id="new-app"
          name="name"
          required
          maxlength={63}
          pattern="[a-z0-9][a-z0-9.\-]*"
          title="lowercase letters, digits, '.' and '-', starting with a letter or digit"
          autocomplete="off"
          spellcheck={false}
        />
        <button type="submit">Create</button>
      </form>
      <div id="create-app-result" class="result" aria-live="polite"></div>
    </details>
  );
}

/** After apps:create: where to go next (push code, or let the host fetch it). */
export function AppCreated({ host, app, result }: { host: string; app: string; result: CommandOutput }) {
  const base = appUrl(host, app);
  return (
    <ChangeDone title={`Created ${app}`} result={result}>
      <p>
        <a href={base}>Open {app}</a>. To deploy it, push from your machine (the host name is your Dokku server's):
      </p>
      <pre class="copy">{`git remote add dokku dokku@<your-dokku-host>:${app}\ngit push dokku main`}</pre>
      <p>
        or let the host fetch it from a repository on its <a href={`${base}/deploy`}>Deploy</a> tab.
      </p>
    </ChangeDone>
  );
}
