import { CRON_SINCE, type CronTask } from "../../../protocol/ops/cron.js";
import type { Outcome } from "../../hub/outcome.js";
import { OutcomeMessage } from "../outcome.js";
import { reloadsOn } from "../stale.js";
import { appUrl } from "../../urls.js";
import { NextRunText } from "../cron-next.js";
import type { May } from "../may.js";
import { PostForm } from "../post-form.js";
import { Section } from "../section.js";

export const CRON_RESULT = "cron-result";

/**
 * Dokku's schedule descriptors (robfig/cron's, which plugins/cron parses schedules with) in words.
 * The five-field form is shown as written, with its next run beside it (cron-next.tsx). Times are
 * the host's (its crontab runs in its zone).
 */
const DESCRIPTORS: Record<string, string> = {
  "@yearly": "once a year, 1 January at midnight",
  "@annually": "once a year, 1 January at midnight",
  "@monthly": "on the 1st of each month at midnight",
  "@weekly": "every Sunday at midnight",
  "@daily": "every day at midnight",
  "@midnight": "every day at midnight",
  "@hourly": "at the start of every hour",
};

/** A schedule in words where Dokku's descriptor names one, else as written. */
export function scheduleWords(schedule: string): string | null {
  const known = DESCRIPTORS[schedule.trim().toLowerCase()];
  if (known) return `${known} (host time)`;
  const every = /^@every\s+(\S+)$/i.exec(schedule.trim());
  return every ? `every ${every[1]}` : null;
}

/** When the page was drawn and the host's zone, for the next runs (ms since epoch; zone undefined from an older relay). */
export interface Clock {
  now: number;
  zone: string | undefined;
}

/**
 * A task's Run now and Suspend or Resume, each shown only where the policy allows it (`may`): a
 * form posted to the app's Cron routes, its answer into #cron-result of whichever page shows it.
 */
export function CronTaskActions({ host, app, task, canSuspend, may }: { host: string; app: string; task: CronTask; canSuspend: boolean; may: May }) {
  const post = (path: "run" | "suspend" | "resume", label: string, confirm?: string) => {
    if (!may(`cron.${path}`, { app, id: task.id })) return null;
    const action = appUrl(host, app, `/cron/${path}`);
    return (
      <PostForm action={action} target={`#${CRON_RESULT}`} confirm={confirm}>
        <input type="hidden" name="task" value={task.id} />
        <button type="submit" class="small" aria-label={`${label} ${task.command} of ${app}`}>
          {label}
        </button>
      </PostForm>
    );
  };
  return (
    <span class="buttons">
      {post("run", "Run now", `Run "${task.command}" of ${app} now, in a one-off container?`)}
      {canSuspend ? (task.suspended ? (task.appSuspended ? null : post("resume", "Resume")) : post("suspend", "Suspend")) : null}
    </span>
  );
}

/** A task's state beside its command: suspended (itself or the app's whole cron), a concurrency policy other than allow. */
export function CronTaskState({ task }: { task: CronTask }) {
  return (
    <>
      {task.suspended ? <span class="badge warn">{task.appSuspended ? "suspended (the app's cron)" : "suspended"}</span> : null}
      {task.concurrency && task.concurrency !== "allow" ? <span class="muted"> concurrency: {task.concurrency}</span> : null}
    </>
  );
}

function TaskRow({ host, app, task, canSuspend, clock, may }: { host: string; app: string; task: CronTask; canSuspend: boolean; clock: Clock; may: May }) {
  const words = scheduleWords(task.schedule);
  return (
    <li data-cron={task.id}>
      <span>
        <code class="schedule">{task.schedule}</code>
        {words ? <span class="muted"> {words}</span> : null} <code>{task.command}</code> <CronTaskState task={task} />{" "}
        <NextRunText schedule={task.schedule} zone={clock.zone} now={clock.now} suspended={task.suspended} />
      </span>
      <CronTaskActions host={host} app={app} task={task} canSuspend={canSuspend} may={may} />
    </li>
  );
}

/** What the Cron tab shows; `now` (ms since epoch) is when the page is drawn, fixed by tests. */
export interface CronProps {
  host: string;
  app: string;
  list: Outcome<"cron.list">;
  historyHref: string;
  /** What the policy lets the signed-in user do (which buttons to show). */
  may: May;
  now?: number;
}

/** The app's cron tasks (from its app.json), each with its next run, Run now and Suspend/Resume; read again when a change made them stale. */
export function CronList({ host, app, list, historyHref, may, now = Date.now() }: CronProps) {
  const attrs = { id: "cron-list", ...reloadsOn(appUrl(host, app, "/cron/list"), ["cron.list"]) };
  if (list.kind !== "ok")
    return (
      <div {...attrs}>
        <OutcomeMessage outcome={list} historyHref={historyHref} host={host} />
      </div>
    );
  const { tasks, canSuspend, zone } = list.result;
  return (
    <div {...attrs}>
      {tasks.length === 0 ? (
        <p class="muted">No cron tasks. Dokku reads them from the "cron" list of the app.json the app deploys.</p>
      ) : (
        <ul class="rows">
          {tasks.map((t) => (
            <TaskRow host={host} app={app} task={t} canSuspend={canSuspend} clock={{ now, zone }} may={may} />
          ))}
        </ul>
      )}
      {!canSuspend && tasks.length > 0 ? <p class="muted">Suspend and resume need Dokku {CRON_SINCE.suspend} or later.</p> : null}
    </div>
  );
}

const zone = (list: Outcome<"cron.list">) => (list.kind === "ok" ? list.result.zone : undefined);

/** The Cron tab's content. */
export function CronSection(props: CronProps) {
  return (
    <Section name="cron" title="Cron tasks">
      <p class="muted">
        Tasks run on the host's crontab in one-off containers (<code>dokku cron:run</code>), each schedule read in the host's time zone
        {zone(props.list) ? ` (${zone(props.list)})` : ""}: the next runs are in that zone.
      </p>
      <CronList {...props} />
      <div id={CRON_RESULT} class="result" aria-live="polite"></div>
    </Section>
  );
}
