import { isActionableAppName } from "../../protocol/names.js";
import type { AppSummary, CommandOutput } from "../../protocol/ops.js";
import { ChangeDone } from "./outcome.js";

function status(app: AppSummary): { label: string; cls: string } {
  if (!app.deployed) return { label: "not deployed", cls: "idle" };
  if (app.running === "true") return { label: "running", cls: "up" };
  if (app.running === "mixed") return { label: "mixed", cls: "warn" };
  return { label: "stopped", cls: "down" };
}

/**
 * The host's apps: name (linking to the app's page), status, domains, process count and a Restart
 * button that streams the deploy output into its row. Domains come from one all-apps report
 * (domains.all); without them the column is left out rather than guessed.
 */
export function AppsTable({ host, apps, domains }: { host: string; apps: AppSummary[]; domains?: Record<string, string[]> }) {
  if (apps.length === 0) return <p>No apps on this host yet.</p>;
  return (
    <table class="apps">
      <thead>
        <tr>
          <th scope="col">App</th>
          <th scope="col">Status</th>
          {domains ? <th scope="col">Domains</th> : null}
          <th scope="col">Processes</th>
          <th scope="col">Actions</th>
        </tr>
      </thead>
      <tbody>
        {apps.map((app, i) => {
          const s = status(app);
          return (
            <tr data-app={app.name}>
              <th scope="row">
                {isActionableAppName(app.name) ? (
                  <a href={`/hosts/${host}/apps/${encodeURIComponent(app.name)}`}>{app.name}</a>
                ) : (
                  <span class="legacy-name" title="Created under an older Dokku name rule: manage it with the dokku CLI">
                    {app.name}
                  </span>
                )}
              </th>
              <td>
                <span class={`badge ${s.cls}`}>{s.label}</span>
              </td>
              {domains ? (
                <td class="domains">
                  {(domains[app.name] ?? []).map((d) => (
                    <span class="domain">{d}</span>
                  ))}
                </td>
              ) : null}
              <td>{app.processes}</td>
              <td>
                {isActionableAppName(app.name) ? (
                  <>
                    <button
                      type="button"
                      hx-post={`/hosts/${host}/apps/${app.name}/restart`}
                      hx-target={`#result-${i}`}
                      hx-disable="this"
                      aria-describedby={`result-${i}`}
                    >
                      Restart
                    </button>
                    <span class="htmx-indicator">Restarting…</span>
                    <div id={`result-${i}`} class="result" aria-live="polite"></div>
                  </>
                ) : (
                  <span class="muted">CLI only</span>
                )}
              </td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}

export function RestartResult({ app, result }: { app: string; result: CommandOutput }) {
  return <ChangeDone title={result.warning ? "Not restarted" : `Restarted ${app}`} result={result} />;
}

/** The dashboard's "create an app" form: Dokku's own name rule, checked again at the edge and relay. */
export function CreateAppForm({ host }: { host: string }) {
  return (
    <details class="create-app">
      <summary>Create an app</summary>
      <form class="inline" hx-post={`/hosts/${host}/apps`} hx-target="#create-app-result" hx-disable="find button">
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
  const base = `/hosts/${host}/apps/${app}`;
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
