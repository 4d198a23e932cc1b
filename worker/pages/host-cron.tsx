import type { Child } from "hono/jsx";
import { appName } from "../../protocol/names.js";
import type { CronTask } from "../../protocol/ops/cron.js";
import type { HostRef, HostStatus, Outcome } from "../hub/outcome.js";
import { appUrl, hostUrl } from "../urls.js";
import { CRON_RESULT, CronTaskActions, CronTaskState, scheduleWords } from "./app/cron.js";
import { NextRunText } from "./cron-next.js";
import { Layout } from "./layout.js";
import type { May } from "./may.js";
import { OutcomeMessage } from "./outcome.js";
import { reloadsOn } from "./stale.js";
import { Table } from "./table.js";

/** The host's cron page, `/hosts/:host/cron`: its frame, the list streamed in, and where a change's answer lands. */
export function HostCronPage({ host, hosts, children }: { host: HostStatus; hosts: HostRef[]; children?: Child }) {
  return (
    <Layout title={`Cron on ${host.name}`} host={host} hosts={hosts} current="cron">
      <h1>Cron on {host.name}</h1>
      <p class="muted">
        Every app's tasks (from the app.json each deployed) and the host-wide ones plugins add (<code>dokku cron:list --global</code>), each run by the host's
        crontab, its schedule read in the host's time zone.
      </p>
      {children}
      <div id={CRON_RESULT} class="result" aria-live="polite"></div>
    </Layout>
  );
}

interface Row {
  /** null: a host-wide task (no app: Dokku cannot run it now or suspend it). */
  app: string | null;
  task: CronTask;
}

function TaskRow({ host, row, canSuspend, zone, now, may }: { host: string; row: Row; canSuspend: boolean; zone: string | undefined; now: number; may: May }) {
  const { app, task } = row;
  const words = scheduleWords(task.schedule);
  // an app under an older Dokku name rule has no pages here ("CLI only" on the apps list)
  const manageable = app !== null && appName.safeParse(app).success;
  return (
    <tr data-cron={task.id}>
      <th scope="row">{app === null ? <span class="muted">host-wide</span> : manageable ? <a href={appUrl(host, app, "/cron")}>{app}</a> : app}</th>
      <td data-label="Schedule">
        <code class="schedule">{task.schedule}</code>
        {words ? <span class="muted"> {words}</span> : null}
      </td>
      <td data-label="Command">
        <code>{task.command}</code> <CronTaskState task={task} />
      </td>
      <td data-label="Next run">
        <NextRunText schedule={task.schedule} zone={zone} now={now} suspended={task.suspended} />
      </td>
      <td data-label="Actions">
        {app !== null && manageable ? <CronTaskActions host={host} app={app} task={task} canSuspend={canSuspend} may={may} /> : null}
      </td>
    </tr>
  );
}

/**
 * Every cron task on the host in one table (app, schedule, command, next run, the actions the
 * policy allows), read again when a change made `cron.host` stale. `now` (ms since epoch) is when
 * the page is drawn, fixed by tests.
 */
export function HostCronList({
  host,
  list,
  historyHref,
  may,
  now = Date.now(),
}: {
  host: string;
  list: Outcome<"cron.host">;
  historyHref: string;
  may: May;
  now?: number;
}) {
  const attrs = { id: "host-cron-list", ...reloadsOn(hostUrl(host, "/cron/list"), ["cron.host"]) };
  if (list.kind !== "ok")
    return (
      <div {...attrs}>
        <OutcomeMessage outcome={list} historyHref={historyHref} host={host} />
      </div>
    );
  const { global, apps, canSuspend, zone } = list.result;
  const rows: Row[] = [...global.tasks.map((task) => ({ app: null, task })), ...apps.flatMap((a) => a.tasks.map((task) => ({ app: a.app, task })))];
  const failed = apps.filter((a) => a.error !== null);
  const idle = apps.filter((a) => a.error === null && a.tasks.length === 0).length;
  return (
    <div {...attrs}>
      <p>
        {rows.length} {rows.length === 1 ? "task" : "tasks"} on {apps.length} {apps.length === 1 ? "app" : "apps"}
        {idle > 0 ? ` (${idle} with none)` : ""}; times in the host's zone, {zone ?? "UTC (assumed: this relay does not report it)"}.
      </p>
      {rows.length > 0 ? (
        <Table class="cron-tasks" columns={["App", "Schedule", "Command", "Next run", "Actions"]}>
          {rows.map((row) => (
            <TaskRow host={host} row={row} canSuspend={canSuspend} zone={zone} now={now} may={may} />
          ))}
        </Table>
      ) : null}
      {global.error ? <p class="muted">Host-wide tasks not listed: {global.error}</p> : null}
      {failed.length > 0 ? (
        <ul class="problems">
          {failed.map((a) => (
            <li data-cron-app={a.app}>
              {appName.safeParse(a.app).success ? <a href={appUrl(host, a.app, "/cron")}>{a.app}</a> : a.app}: its tasks could not be listed: {a.error}
            </li>
          ))}
        </ul>
      ) : null}
      {canSuspend ? null : <p class="muted">Suspend and resume need Dokku 0.37.0 or later.</p>}
    </div>
  );
}
