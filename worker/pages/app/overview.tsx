import { RenameSection } from "./rename.js";
import type { OpResult } from "../../../protocol/ops.js";
import type { HostStatus } from "../../hub/outcome.js";
import { actionsFor, type PsAction } from "../app-state.js";
import type { JobInfo } from "../../../protocol/frames.js";
import { jobTitle } from "../op.js";
import type { Child } from "hono/jsx";
import { appUrl, opUrl } from "../../urls.js";
import { reloadsOn } from "../stale.js";
import type { May } from "../may.js";
import { AppSummary } from "./app-summary.js";
import { PostForm } from "../post-form.js";
import { Section } from "../section.js";

type Detail = OpResult<"apps.detail">;
type Scale = OpResult<"apps.scale.show">["scale"];

const ACTIONS: Record<PsAction, [label: string, confirm?: string]> = {
  start: ["Start"],
  stop: ["Stop", "Stop this app? Its containers will be stopped until it is started again."],
  restart: ["Restart"],
  rebuild: ["Rebuild"],
};

/** What the state means for the user, when the buttons alone do not say it. */
function StateNote({ base, detail }: { base: string; detail: Detail }) {
  switch (detail.state) {
    case "not-deployed":
      return (
        <p>
          Not deployed yet: push code to it, or deploy it from a repository on the <a href={`${base}/deploy`}>Deploy</a> tab.
        </p>
      );
    case "scaled-to-zero":
      return (
        <p class="state-note">
          Scaled to 0: no process runs, and Start would bring none back. Give a process type a count under <a href="#scale-h">Scale</a>.
        </p>
      );
    case "unknown":
      return <p class="state-note">Its state could not be read ({detail.unknownReason}), so no action is offered. Reload to try again.</p>;
    default:
      return null;
  }
}

/**
 * The buttons that make sense for the app's state (actionsFor: the same rule on every page):
 * Stop while it runs, Start while it is stopped, Restart and Rebuild once deployed; none on the
 * host's last known state (`live` false). Reloaded in place after each action.
 */
export function AppActions({
  host,
  detail,
  running,
  live = true,
  may,
}: {
  host: string;
  detail: Detail;
  running?: JobInfo | undefined;
  live?: boolean;
  /** What the policy lets this user do: only those buttons are shown. */
  may: May;
}) {
  const base = appUrl(host, detail.name);
  const shown = actionsFor(detail.state, live).filter((a) => may(`apps.${a}`, { app: detail.name }));
  // While a change runs, the buttons reload every few seconds, so they come back when it ends.
  const poll = running ? { "hx-get": `${base}/actions`, "hx-trigger": "every 5s", "hx-swap": "outerHTML" } : {};
  return (
    <div class="buttons" id="app-actions-buttons" {...poll}>
      <StateNote base={base} detail={detail} />
      {running ? (
        <p class="running-change" role="status">
          <a href={opUrl(host, running.opId)}>{jobTitle(running)}</a> is running (started by {running.requestedBy}): these actions wait until it ends.
        </p>
      ) : null}
      {shown
        .map((action) => [action, ...ACTIONS[action]] as const)
        .map(([action, label, confirm]) => (
          <button
            type="button"
            hx-post={`${base}/ps/${action}`}
            hx-target="#action-result"
            hx-disable=".app-actions button"
            hx-confirm={confirm}
            disabled={running !== undefined}
          >
            {label}
          </button>
        ))}
    </div>
  );
}

/**
 * The Scale and Destroy submit buttons, held back while a change runs. `oob`: sent beside the polled
 * action buttons (AppActions) to replace these in place, so they come back when the change ends.
 */
export function ScaleSubmit({ running, oob }: { running?: JobInfo | undefined; oob?: boolean }) {
  return (
    <button type="submit" id="scale-submit" disabled={running !== undefined} hx-swap-oob={oob ? "true" : undefined}>
      Apply scale
    </button>
  );
}

export function DestroySubmit({ app, running, oob }: { app: string; running?: JobInfo | undefined; oob?: boolean }) {
  return (
    <button type="submit" id="destroy-submit" class="danger" disabled={running !== undefined} hx-swap-oob={oob ? "true" : undefined}>
      Destroy {app}
    </button>
  );
}

/**
 * The Overview tab's sections in one part that is read again (`/overview`) when a change makes the
 * app's state stale (pages/stale.ts): after Stop the buttons offer Start, after Destroy the part
 * says the app is gone instead of offering Destroy again. Each answer area is kept across that.
 */
export function OverviewPart({ host, app, children }: { host: string; app: string; children: Child }) {
  return (
    <div id="app-overview" {...reloadsOn(appUrl(host, app, "/overview"), ["apps.detail", "apps.scale.show"])}>
      {children}
    </div>
  );
}

/** The Overview tab's content (inside the app's shell): summary, actions, scale, rename and destroy. */
export function OverviewBody({
  host,
  detail,
  scale,
  running,
  live = true,
  may,
}: {
  host: HostStatus;
  detail: Detail;
  scale: Scale;
  running?: JobInfo | undefined;
  live?: boolean;
  /** What the policy lets this user do: sections of actions it refuses are left out. */
  may: May;
}) {
  const app = detail.name;
  const base = appUrl(host.host, app);
  // The host's last known state: what it was, nothing to change (see offersChanges).
  if (!live) return <AppSummary host={host.host} detail={detail} />;
  return (
    <OverviewPart host={host.host} app={app}>
      <AppSummary host={host.host} detail={detail} />

      <section class="app-actions" aria-labelledby="actions-h">
        <h2 id="actions-h">Actions</h2>
        <AppActions host={host.host} detail={detail} running={running} live={live} may={may} />
        <div id="action-result" class="result" aria-live="polite" hx-preserve></div>
      </section>

      {may("apps.scale.set", { app }) ? (
        <Section name="scale" title="Scale">
          {!detail.canScale ? (
            <p>This app cannot be scaled here (its scaling is managed by its app.json or the scheduler).</p>
          ) : scale.length === 0 ? (
            <p>No process types yet: deploy the app first.</p>
          ) : (
            <PostForm action={`${base}/scale`} class="scale" target="#scale-result">
              <fieldset>
                <legend>Processes per type (0–100), applied together in one deploy</legend>
                {scale.map((s) => (
                  <label class="scale-type">
                    <span>{s.processType}</span>
                    <input type="number" name={`scale.${s.processType}`} value={String(s.quantity)} min="0" max="100" step="1" required inputmode="numeric" />
                  </label>
                ))}
              </fieldset>
              <ScaleSubmit running={running} />
            </PostForm>
          )}
          <div id="scale-result" class="result" aria-live="polite" hx-preserve></div>
        </Section>
      ) : null}

      <RenameSection host={host.host} app={app} rename={may("apps.rename", { app })} clone={may("apps.clone", { app })} />

      {may("apps.destroy", { app }) ? (
        <section class="danger-zone" aria-labelledby="destroy-h">
          <h2 id="destroy-h">Destroy this app</h2>
          <p>This deletes the app with its containers, config and domains. It cannot be undone.</p>
          <PostForm action={`${base}/destroy`} class="destroy" target="#destroy-result">
            <label for="confirm-name">
              Type <strong>{app}</strong> to confirm
            </label>
            <input id="confirm-name" name="confirm" autocomplete="off" spellcheck={false} required />
            <DestroySubmit app={app} running={running} />
          </PostForm>
          <div id="destroy-result" class="result" aria-live="polite" hx-preserve></div>
        </section>
      ) : null}
    </OverviewPart>
  );
}
