import type { May } from "./may.js";
import { LegacyRename } from "./app/rename.js";
import { isActionableAppName } from "../../protocol/names.js";
import type { AppSummary, CommandOutput } from "../../protocol/ops.js";
import { actionsFor, StateBadge } from "./app-state.js";
import { ChangeDone } from "./outcome.js";
import { appUrl, hostUrl } from "../urls.js";
import { reloadsOn } from "./stale.js";
import { Table } from "./table.js";
import { PostForm } from "./post-form.js";

/**
 * The host's apps: name (linking to the app's page), status, domains, process count and a Restart
 * button (only where the app's state makes a restart do something) that streams the deploy output
 * into its row. An app whose status could not be read says so in its own row. Domains come from one all-apps report
 * (domains.all); without them the column is left out rather than guessed. `live` false (the host's
 * last known state, its relay offline): no Actions column, nothing to change.
 */
export function AppsTable({
  host,
  apps,
  domains,
  live = true,
  may,
}: {
  host: string;
  apps: AppSummary[];
  domains?: Record<string, string[]>;
  live?: boolean;
  /** What the policy lets this user do: a row offers only those actions. */
  may: May;
}) {
  if (apps.length === 0) return <p>No apps on this host yet.</p>;
  return (
    <Table class="apps" columns={["App", "Status", domains ? "Domains" : null, "Processes", live ? "Actions" : null]}>
      {apps.map((app) => (
        <AppRow host={host} app={app} domains={domains} live={live} may={may} />
      ))}
    </Table>
  );
}

/**
 * One app's row of the table. The table is read again whole once a change to an app ended (it
 * listens for the list going stale, see pages/stale.ts); the row's result area keeps its id and is
 * preserved across that (`hx-preserve`), so the change's outcome stays where the user acted.
 */
function AppRow({ host, app, domains, live = true, may }: { host: string; app: AppSummary; domains?: Record<string, string[]>; live?: boolean; may: May }) {
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
      <td data-label="Status" class="state">
        <StateBadge state={app.state} reason={app.unknownReason} />
        {app.unknownReason ? <span class="muted unknown-reason"> {app.unknownReason}</span> : null}
      </td>
      {domains ? (
        <td data-label="Domains" class="domains">
          {(domains[app.name] ?? []).map((d) => (
            <span class="domain">{d}</span>
          ))}
        </td>
      ) : null}
      <td data-label="Processes" class="processes">
        {app.processes ?? "—"}
      </td>
      {live ? <AppActionsCell host={host} app={app} may={may} /> : null}
    </tr>
  );
}

/** The Actions cell of an app's row: Restart where it does something, Start for a stopped app, else the next step. */
function AppActionsCell({ host, app, may }: { host: string; app: AppSummary; may: May }) {
  const action = rowAction(app, may);
  const result = `result-${app.name}`;
  return (
    <td data-label="">
      {!isActionableAppName(app.name) ? (
        <>
          <span class="muted">CLI only</span> {may("apps.rename", { app: app.name }) ? <LegacyRename host={host} app={app.name} /> : null}
          <div class="result" aria-live="polite"></div>
        </>
      ) : (
        <>
          {action ? (
            <>
              <button type="button" hx-post={appUrl(host, app.name, `/${action}`)} hx-target="next .result" hx-disable="this" aria-describedby={result}>
                {ROW_ACTIONS[action].label}
              </button>
              <span class="htmx-indicator">{ROW_ACTIONS[action].doing}</span>
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

/** The one process action a row offers: Restart where it does something, else Start (a stopped app). */
export const ROW_ACTIONS = {
  restart: { label: "Restart", doing: "Restarting…", done: "Restarted" },
  start: { label: "Start", doing: "Starting…", done: "Started" },
} as const;
export type RowAction = keyof typeof ROW_ACTIONS;

function rowAction(app: AppSummary, may: May): RowAction | null {
  const can = actionsFor(app.state, true).filter((a) => may(`apps.${a}`, { app: app.name }));
  return can.includes("restart") ? "restart" : can.includes("start") ? "start" : null;
}

/** What to do with an app that has nothing to restart: deploy it, scale it up, or look at it. */
function NextStep({ host, app }: { host: string; app: AppSummary }) {
  const base = appUrl(host, app.name);
  if (app.state === "not-deployed") return <a href={`${base}/deploy`}>Deploy</a>;
  if (app.state === "scaled-to-zero") return <a href={`${base}#scale-h`}>Scale</a>;
  return <span class="muted">—</span>;
}

/**
 * The answer of a row's Restart or Start: the outcome. The row itself is read again with the whole
 * list, which listens for the change making it stale (pages/stale.ts); this area is preserved.
 */
export function RowActionResult({ action, app, result, nothingDone }: { action: RowAction; app: string; result: CommandOutput; nothingDone: boolean }) {
  return <ChangeDone title={nothingDone ? `Nothing to do for ${app}` : `${ROW_ACTIONS[action].done} ${app}`} result={result} />;
}

/**
 * The dashboard's "create an app" form: Dokku's own name rule, checked again at the edge and relay.
 * Once an app is created the form is read again, empty and `open` (it listens for the apps list
 * going stale, see pages/stale.ts); its answer area is kept across that (`hx-preserve`).
 */
export function CreateAppForm({ host, open = false }: { host: string; open?: boolean }) {
  return (
    <details class="create-app" id="create-app" open={open} {...reloadsOn(hostUrl(host, "/create-app"), ["apps.list"])}>
      <summary>Create an app</summary>
      <PostForm action={hostUrl(host, "/apps")} class="inline" target="#create-app-result">
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
      </PostForm>
      <div id="create-app-result" class="result" aria-live="polite" hx-preserve></div>
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
