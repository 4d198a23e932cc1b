import { BUILDERS } from "../../../protocol/names.js";
import type { OpArgs, OpResult } from "../../../protocol/ops.js";
import type { HostStatus, Outcome } from "../../hub/outcome.js";
import { OutcomeMessage } from "../outcome.js";
import { DriftSlot } from "./drift.js";
import { DeployBranch } from "./app-summary.js";
import { RemoveButton } from "./shell.js";
import { appUrl } from "../../urls.js";
import { reloadsOn } from "../stale.js";

type Report = OpResult<"deploy.report">;
type ChecksState = OpArgs<"checks.set">["state"];

const CHECKS: Record<ChecksState, { label: string; says: string; button: string; confirm?: string }> = {
  enabled: {
    label: "on",
    says: "Each deploy starts the new containers and checks them before the old ones stop: no downtime.",
    button: "Turn checks on",
  },
  skipped: {
    label: "skipped",
    says: "New containers replace the old ones without being checked first: still no downtime, but a broken release goes live.",
    button: "Skip checks",
    confirm: "Skip zero-downtime checks? A release that does not start will still replace the running one.",
  },
  disabled: {
    label: "off",
    says: "The old containers stop before the new ones start: each deploy has downtime.",
    button: "Turn checks off",
    confirm: "Turn zero-downtime checks off? Every deploy will then have downtime.",
  },
};

function checksState(r: Report): ChecksState | "mixed" {
  if (r.checksDisabled.includes("_all_")) return "disabled";
  if (r.checksSkipped.includes("_all_")) return "skipped";
  if (r.checksDisabled.length === 0 && r.checksSkipped.length === 0) return "enabled";
  return "mixed";
}

/** Where the code came from, the deploy lock and the checks: reloaded in place after a change. */
export function DeployState({ host, app, report, historyHref }: { host: string; app: string; report: Outcome<"deploy.report">; historyHref: string }) {
  const base = appUrl(host, app);
  if (report.kind !== "ok") {
    return (
      <div id="deploy-state" {...reloadsOn(appUrl(host, app, "/deploy/state"), ["deploy.report"])}>
        <OutcomeMessage outcome={report} historyHref={historyHref} />
      </div>
    );
  }
  const r = report.result;
  const state = checksState(r);
  return (
    <div id="deploy-state" {...reloadsOn(appUrl(host, app, "/deploy/state"), ["deploy.report"])}>
      <dl class="facts">
        <dt>Deployed from</dt>
        <dd>{r.deploySource ? <code>{r.deploySourceMetadata ? `${r.deploySource}: ${r.deploySourceMetadata}` : r.deploySource}</code> : "not deployed yet"}</dd>
        <dt>Deploy lock</dt>
        <dd>{r.locked ? <strong class="badge warn">held</strong> : "free"}</dd>
        <dt>Zero-downtime checks</dt>
        <dd data-checks={state}>
          {state === "mixed"
            ? `per process type (disabled: ${r.checksDisabled.join(", ") || "none"}; skipped: ${r.checksSkipped.join(", ") || "none"})`
            : CHECKS[state].label}
        </dd>
      </dl>
      {r.locked ? (
        <div class="lock">
          <p>
            A deploy holds the lock, or an interrupted one left it behind. While it is held, no new deploy can start. Unlock only if no deploy is running:
            removing the lock does not stop one.
          </p>
          <button type="button" hx-post={`${base}/deploy/unlock`} hx-target="#deploy-result" hx-disable="this" hx-confirm={`Remove the deploy lock of ${app}?`}>
            Unlock
          </button>
        </div>
      ) : (
        <div class="lock">
          <button
            type="button"
            hx-post={`${base}/deploy/lock`}
            hx-target="#deploy-result"
            hx-disable="this"
            hx-confirm={`Lock deploys of ${app}? No deploy starts until it is unlocked.`}
          >
            Lock deploys
          </button>
        </div>
      )}
      {state === "mixed" ? null : <p class="muted">{CHECKS[state].says}</p>}
      <div class="buttons">
        {(Object.keys(CHECKS) as ChecksState[])
          .filter((s) => s !== state)
          .map((s) => (
            <form
              method="post"
              action={`${base}/deploy/checks`}
              hx-post={`${base}/deploy/checks`}
              hx-target="#deploy-result"
              hx-disable="find button"
              hx-confirm={CHECKS[s].confirm}
            >
              <input type="hidden" name="state" value={s} />
              <button type="submit">{CHECKS[s].button}</button>
            </form>
          ))}
      </div>
    </div>
  );
}

/**
 * Deploy branch, builder and build directory: one small form each, empty to go back to the default.
 * Not reloaded after a save, so a field being edited is never replaced under the user's fingers.
 */
function BuildSettings({ base, report }: { base: string; report: Report }) {
  const b = report.branch;
  const globalName = b.global || "master";
  return (
    <div class="build-settings">
      <p class="deploy-branch-now">
        A push deploys: <DeployBranch branch={b} />
      </p>
      <form method="post" action={`${base}/deploy/branch`} class="inline" hx-post={`${base}/deploy/branch`} hx-target="#build-result" hx-disable="find button">
        <label for="deploy-branch">Deploy branch</label>
        <input
          id="deploy-branch"
          name="branch"
          value={b.own ?? undefined}
          placeholder={b.own === "" ? `${globalName} (global)` : b.own === null ? "unknown: see above" : ""}
          autocomplete="off"
          spellcheck={false}
        />
        <button type="submit">Save branch</button>
      </form>
      <form
        method="post"
        action={`${base}/deploy/builder`}
        class="inline"
        hx-post={`${base}/deploy/builder`}
        hx-target="#build-result"
        hx-disable="find button"
      >
        <label for="deploy-builder">Builder</label>
        <select id="deploy-builder" name="builder">
          <option value="" selected={report.builder === ""}>
            auto-detect
            {report.builder === "" ? (report.builderInEffect ? ` (${report.builderInEffect})` : report.deploySource ? "" : " (at the first build)") : ""}
          </option>
          {BUILDERS.map((b) => (
            <option value={b} selected={report.builder === b}>
              {b}
            </option>
          ))}
        </select>
        <button type="submit">Save builder</button>
      </form>
      <form
        method="post"
        action={`${base}/deploy/build-dir`}
        class="inline"
        hx-post={`${base}/deploy/build-dir`}
        hx-target="#build-result"
        hx-disable="find button"
      >
        <label for="deploy-build-dir">Build directory</label>
        <input id="deploy-build-dir" name="build_dir" value={report.buildDir} placeholder="repository root" autocomplete="off" spellcheck={false} />
        <button type="submit">Save directory</button>
      </form>
      <p class="muted">These apply from the next deploy.</p>
    </div>
  );
}

/** The app's buildpacks in the order they run, each removable; none means Dokku detects one. */
export function BuildpackList({ base, buildpacks, historyHref }: { base: string; buildpacks: Outcome<"buildpacks.report">; historyHref: string }) {
  if (buildpacks.kind !== "ok") {
    return (
      <div id="buildpack-list" {...reloadsOn(`${base}/deploy/buildpacks`, ["buildpacks.report"])}>
        <OutcomeMessage outcome={buildpacks} historyHref={historyHref} />
      </div>
    );
  }
  const list = buildpacks.result.buildpacks;
  return (
    <div id="buildpack-list" {...reloadsOn(`${base}/deploy/buildpacks`, ["buildpacks.report"])}>
      {list.length === 0 ? (
        <p>None set: Dokku detects the buildpack on each deploy (herokuish and pack builders).</p>
      ) : (
        <>
          <ol class="rows">
            {list.map((b) => (
              <li data-buildpack={b}>
                <code>{b}</code>
                <RemoveButton
                  action={`${base}/deploy/buildpacks/remove`}
                  target="#buildpacks-result"
                  field="url"
                  value={b}
                  confirm={`Remove the buildpack ${b}?`}
                />
              </li>
            ))}
          </ol>
          <form
            method="post"
            action={`${base}/deploy/buildpacks/clear`}
            hx-post={`${base}/deploy/buildpacks/clear`}
            hx-target="#buildpacks-result"
            hx-disable="find button"
            hx-confirm="Remove every buildpack? Dokku will detect one again."
          >
            <button type="submit" class="small">
              Clear all
            </button>
          </form>
        </>
      )}
    </div>
  );
}

function Buildpacks({ base, buildpacks, historyHref }: { base: string; buildpacks: Outcome<"buildpacks.report">; historyHref: string }) {
  return (
    <div class="buildpacks">
      <h3 id="buildpacks-h">Buildpacks</h3>
      <BuildpackList base={base} buildpacks={buildpacks} historyHref={historyHref} />
      <div id="buildpacks-result" class="result" aria-live="polite"></div>
      <form
        method="post"
        action={`${base}/deploy/buildpacks/add`}
        class="inline"
        aria-labelledby="buildpacks-h"
        hx-post={`${base}/deploy/buildpacks/add`}
        hx-target="#buildpacks-result"
        hx-disable="find button"
      >
        <label for="buildpack-url">Buildpack</label>
        <input id="buildpack-url" name="url" required autocomplete="off" spellcheck={false} placeholder="heroku/nodejs or https://…" />
        <label for="buildpack-index">Position</label>
        <input id="buildpack-index" name="index" type="number" min="1" max="100" inputmode="numeric" class="port" placeholder="last" />
        <button type="submit">Add buildpack</button>
      </form>
    </div>
  );
}

/** The Deploy tab's content (inside the app's shell). */
export function DeployBody({
  host,
  app,
  report,
  buildpacks,
  historyHref,
}: {
  host: HostStatus;
  app: string;
  report: Outcome<"deploy.report">;
  buildpacks: Outcome<"buildpacks.report">;
  historyHref: string;
}) {
  const base = appUrl(host.host, app);
  return (
    <>
      <section aria-labelledby="sync-h">
        <h2 id="sync-h">Deploy from a Git repository</h2>
        <p class="muted">
          The host fetches the code itself (<code>dokku git:sync --build</code>) and deploys it; the output streams here. A private repository needs access set
          up on the host: <code>dokku git:auth</code> for https, a deploy key and <code>dokku git:allow-host</code> for ssh.
        </p>
        <form method="post" action={`${base}/deploy/sync`} class="stack" hx-post={`${base}/deploy/sync`} hx-target="#sync-result" hx-disable="find button">
          <label for="sync-remote">Repository</label>
          <input id="sync-remote" name="remote" required autocomplete="off" spellcheck={false} placeholder="https://github.com/you/app.git" />
          <label for="sync-ref">Branch, tag or commit (optional; the deploy branch when empty)</label>
          <input id="sync-ref" name="ref" autocomplete="off" spellcheck={false} placeholder="main" />
          <button type="submit">Fetch and deploy</button>
        </form>
        <div id="sync-result" class="result" aria-live="polite"></div>
      </section>

      <DriftSlot host={host.host} app={app} />

      <section aria-labelledby="deploy-state-h">
        <h2 id="deploy-state-h">Deploy settings</h2>
        <DeployState host={host.host} app={app} report={report} historyHref={historyHref} />
        <div id="deploy-result" class="result" aria-live="polite"></div>
      </section>

      {report.kind === "ok" ? (
        <section aria-labelledby="build-h">
          <h2 id="build-h">Build settings</h2>
          <BuildSettings base={base} report={report.result} />
          <div id="build-result" class="result" aria-live="polite"></div>
          <Buildpacks base={base} buildpacks={buildpacks} historyHref={historyHref} />
        </section>
      ) : null}
    </>
  );
}
