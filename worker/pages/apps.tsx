import type { AppSummary, CommandOutput } from "../../protocol/ops.js";
import type { HostStatus } from "../hub/outcome.js";
import { Layout } from "./layout.js";

function status(app: AppSummary): { label: string; cls: string } {
  if (!app.deployed) return { label: "not deployed", cls: "idle" };
  if (app.running === "true") return { label: "running", cls: "up" };
  if (app.running === "mixed") return { label: "mixed", cls: "warn" };
  return { label: "stopped", cls: "down" };
}

export function AppsPage({ host, hosts, apps }: { host: HostStatus; hosts: string[]; apps: AppSummary[] }) {
  return (
    <Layout title={`Apps on ${host.host}`} host={host} hosts={hosts}>
      <h1>Apps on {host.host}</h1>
      {apps.length === 0 ? (
        <p>No apps on this host yet.</p>
      ) : (
        <table class="apps">
          <thead>
            <tr>
              <th scope="col">App</th>
              <th scope="col">Status</th>
              <th scope="col">Processes</th>
              <th scope="col">Actions</th>
            </tr>
          </thead>
          <tbody>
            {apps.map((app, i) => {
              const s = status(app);
              return (
                <tr data-app={app.name}>
                  <th scope="row">{app.name}</th>
                  <td>
                    <span class={`badge ${s.cls}`}>{s.label}</span>
                  </td>
                  <td>{app.processes}</td>
                  <td>
                    <button
                      type="button"
                      hx-post={`/hosts/${host.host}/apps/${app.name}/restart`}
                      hx-target={`#result-${i}`}
                      hx-disable="this"
                      aria-describedby={`result-${i}`}
                    >
                      Restart
                    </button>
                    <span class="htmx-indicator">Restarting…</span>
                    <div id={`result-${i}`} class="result" aria-live="polite"></div>
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
    </Layout>
  );
}

export function RestartResult({ app, result }: { app: string; result: CommandOutput }) {
  return (
    <div class={`outcome ${result.warning ? "outcome-warning" : "outcome-ok"}`}>
      <strong>{result.warning ? `Not restarted: ${result.warning}` : `Restarted ${app}`}</strong>
      {result.output ? (
        <details>
          <summary>Output</summary>
          <pre>{result.output}</pre>
        </details>
      ) : null}
    </div>
  );
}
