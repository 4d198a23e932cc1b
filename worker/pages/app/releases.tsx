import type { BuildRecord, KeyChanges, OpResult, ReleaseDiff, ReleaseSummary } from "../../../protocol/ops.js";
import { appUrl, opUrl } from "../../urls.js";
import { reloadsOn } from "../stale.js";
import { RevealedValue } from "./config.js";
import { utcTime } from "../time.js";
import { IfMay, type May } from "../may.js";

/**
 * Releases as pages show them: config KEYS and whether each was added, removed or changed, never a
 * value (the relay sends none).
 */

const short = (sha: string) => (sha ? sha.slice(0, 7) : "?");

const OUTCOME: Record<ReleaseSummary["outcome"], [string, string]> = {
  ok: ["up", "deployed"],
  error: ["down", "failed"],
  timeout: ["down", "timed out"],
  killed: ["down", "stopped"],
  cancelled: ["warn", "cancelled"],
  running: ["idle", "running"],
};

/** Where a release's code came from, in a few words. */
export function SourceText({ r }: { r: ReleaseSummary }) {
  const s = r.source;
  if (s.kind === "git-sync")
    return (
      <span>
        commit <code>{short(s.sha)}</code> from <code>{s.repo}</code>
      </span>
    );
  if (s.kind === "git-push")
    return (
      <span>
        commit <code>{short(s.sha)}</code> (git push)
      </span>
    );
  if (s.kind === "image")
    return (
      <span>
        image <code>{s.image}</code>
      </span>
    );
  return (
    <span class="muted">
      {s.sha ? (
        <>
          commit <code>{short(s.sha)}</code>
        </>
      ) : (
        "not known"
      )}
    </span>
  );
}

const names = (xs: string[]) =>
  xs.map((x, i) => (
    <>
      {i > 0 ? ", " : ""}
      <code>{x}</code>
    </>
  ));

function Changes({ label, k }: { label: string; k: KeyChanges }) {
  const parts: Array<[string, string[]]> = [
    ["added", k.added],
    ["removed", k.removed],
    ["changed", k.changed],
  ];
  const shown = parts.filter(([, xs]) => xs.length > 0);
  if (shown.length === 0) return null;
  return (
    <li>
      {label}:{" "}
      {shown.map(([what, xs], i) => (
        <>
          {i > 0 ? "; " : ""}
          {what} {names(xs)}
        </>
      ))}
    </li>
  );
}

/** A diff as a list: code, config keys, scale, domains, ports, build settings; "nothing" when empty. */
export function DiffList({ diff }: { diff: ReleaseDiff }) {
  const items = [
    diff.code ? (
      <li>
        code: <code>{short(diff.code.from)}</code> → <code>{short(diff.code.to)}</code>
      </li>
    ) : null,
    <Changes label="config keys" k={diff.config} />,
    ...diff.scale.map((s) => (
      <li>
        scale <code>{s.type}</code>: {s.from ?? "none"} → {s.to ?? "none"}
      </li>
    )),
    <Changes label="domains" k={diff.domains} />,
    <Changes label="ports" k={diff.ports} />,
    ...diff.build.map((b) => (
      <li>
        {b.setting}: <code>{b.from || "(default)"}</code> → <code>{b.to || "(default)"}</code>
      </li>
    )),
  ];
  const none =
    diff.code === null &&
    diff.scale.length === 0 &&
    diff.build.length === 0 &&
    [diff.config, diff.domains, diff.ports].every((k) => k.added.length + k.removed.length + k.changed.length === 0);
  return none ? <p class="muted">No change to code, config, scale, domains, ports or build settings.</p> : <ul class="diff">{items}</ul>;
}

/**
 * What the list holds of deploys made outside Docklight: on 0.38+ Dokku records builds
 * (`builds:list`), and each one Docklight did not run is listed when the relay notices it; before
 * 0.38 Dokku keeps no record, so they cannot be seen here.
 */
export function OutsideNote({ seesOutside, error }: { seesOutside: boolean; error?: string | null }) {
  return (
    <>
      <p class="muted">
        {seesOutside
          ? "Deploys made outside Docklight (git push, ps:rebuild over SSH) are read from Dokku's build records and listed, marked “outside Docklight”, with the state the app had when Docklight noticed them."
          : "Deploys made outside Docklight (git push, ps:rebuild over SSH) cannot be seen here: this host's Dokku keeps no record of them (build records came in Dokku 0.38)."}{" "}
        A config, scale or domain they changed shows under “Changed outside Docklight”.
      </p>
      {error ? (
        <p role="alert" class="warn">
          Dokku's build records could not be read this time: {error}
        </p>
      ) : null}
    </>
  );
}

/** Deploys started outside Docklight that run now, each with Cancel (builds:cancel stops the app's running deploy). */
export function RunningOutside({ host, app, builds, may }: { host: string; app: string; builds: BuildRecord[]; may: May }) {
  if (builds.length === 0) return null;
  const cancel = appUrl(host, app, "/releases/builds/cancel");
  return (
    <div class="running-outside" role="status">
      <h3>Running now, started outside Docklight</h3>
      <ul>
        {builds.map((b) => (
          <li data-build={b.id}>
            build <code>{b.id}</code> ({b.source}), started {utcTime(b.startedAt)}
          </li>
        ))}
      </ul>
      <IfMay may={may} op="builds.cancel" args={{ app }}>
        <form
          method="post"
          action={cancel}
          hx-post={cancel}
          hx-target="#cancel-build-result"
          hx-disable="find button"
          hx-confirm={`Stop the deploy of ${app} running now?`}
        >
          <button type="submit">Cancel this deploy</button>
        </form>
      </IfMay>
      <div id="cancel-build-result" class="result" aria-live="polite"></div>
    </div>
  );
}

/** A build's output as Dokku kept it (builds:output), as text. */
export function BuildOutput({ r }: { r: OpResult<"builds.output"> }) {
  return (
    <div id="build-output">
      <p class="muted">
        Build <code>{r.build.id}</code> ({r.build.source}), {r.build.status}, {r.build.duration}.
      </p>
      {r.output === "" ? <p class="muted">Dokku kept no output for it.</p> : <pre class="output">{r.output}</pre>}
    </div>
  );
}

function ReleaseRow({ host, r, withApp }: { host: string; r: ReleaseSummary; withApp: boolean }) {
  const [cls, label] = OUTCOME[r.outcome];
  const page = appUrl(host, r.app, `/releases/${r.number}`);
  return (
    <tr data-release={r.number} class={r.live ? "live" : undefined}>
      {withApp ? (
        <td data-label="App">
          <a href={appUrl(host, r.app, "/releases")}>{r.app}</a>
        </td>
      ) : null}
      <td data-label="Release">
        <a href={page}>#{r.number}</a> {r.live ? <span class="badge up">live</span> : null}
      </td>
      <td data-label="When">
        <time datetime={new Date(r.startedAt).toISOString()}>{utcTime(r.startedAt)}</time>
      </td>
      <td data-label="What">
        {r.title}
        <br />
        <span class="muted">{r.outside ? "outside Docklight" : `by ${r.by}`}</span>
      </td>
      <td data-label="Outcome">
        <span class={`badge ${cls}`}>{label}</span>
      </td>
      <td data-label="Code">
        <SourceText r={r} />
      </td>
      {withApp ? null : <td data-label="Changed">{r.diff ? <DiffList diff={r.diff} /> : <span class="muted">—</span>}</td>}
    </tr>
  );
}

/** A table of releases, newest first; `withApp` for the host-wide list (no diffs there). */
export function ReleaseTable({ host, releases, withApp = false }: { host: string; releases: ReleaseSummary[]; withApp?: boolean }) {
  return (
    <div class="table-wrap">
      <table class="releases">
        <thead>
          <tr>
            {withApp ? <th scope="col">App</th> : null}
            <th scope="col">Release</th>
            <th scope="col">When</th>
            <th scope="col">What</th>
            <th scope="col">Outcome</th>
            <th scope="col">Code</th>
            {withApp ? null : <th scope="col">Changed from the one before</th>}
          </tr>
        </thead>
        <tbody>
          {releases.map((r) => (
            <ReleaseRow host={host} r={r} withApp={withApp} />
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** The app's Releases tab. */
export function ReleasesBody({ host, app, list, may }: { host: string; app: string; list: OpResult<"releases.list">; may: May }) {
  return (
    // reloaded in place when a change makes the list stale (a rollback, a cancelled deploy, Keep)
    <section id="releases" aria-labelledby="releases-h" {...reloadsOn(appUrl(host, app, "/releases/list"), ["releases.list"])}>
      <h2 id="releases-h">Releases</h2>
      <OutsideNote seesOutside={list.seesOutside} error={list.outsideError} />
      <RunningOutside host={host} app={app} builds={list.running} may={may} />
      {list.releases.length === 0 ? (
        <p>No release of {app} is recorded yet: each deploy (Rebuild, Fetch and deploy, a rollback) records one when it ends.</p>
      ) : (
        <ReleaseTable host={host} releases={list.releases} />
      )}
    </section>
  );
}

/** One release's page: what it was, what it changed, its deploy log, and the way to roll back to it. */
export function ReleaseDetail({ host, r, may }: { host: string; r: ReleaseSummary; may: May }) {
  const [cls, label] = OUTCOME[r.outcome];
  return (
    <section aria-labelledby="release-h" data-release={r.number}>
      <h2 id="release-h">
        Release #{r.number} {r.live ? <span class="badge up">live</span> : null}
      </h2>
      <dl class="facts">
        <dt>What</dt>
        <dd>{r.title}</dd>
        <dt>Who</dt>
        <dd>{r.outside ? "outside Docklight" : r.by}</dd>
        <dt>Started</dt>
        <dd>{utcTime(r.startedAt)}</dd>
        <dt>Ended</dt>
        <dd>{r.finishedAt === null ? "—" : utcTime(r.finishedAt)}</dd>
        <dt>Outcome</dt>
        <dd>
          <span class={`badge ${cls}`}>{label}</span>
        </dd>
        <dt>Code</dt>
        <dd>
          <SourceText r={r} />
        </dd>
        {r.rollbackTo !== null ? (
          <>
            <dt>Rolled back to</dt>
            <dd>
              <a href={appUrl(host, r.app, `/releases/${r.rollbackTo}`)}>release #{r.rollbackTo}</a>
            </dd>
          </>
        ) : null}
        {r.buildId ? (
          <>
            <dt>Dokku build</dt>
            <dd>
              <code>{r.buildId}</code>
            </dd>
          </>
        ) : null}
        <dt>Deploy log</dt>
        <dd>{r.opId ? <a href={opUrl(host, r.opId)}>the change's page, with its whole output</a> : r.buildId ? "Dokku's build output, below" : "none kept"}</dd>
      </dl>
      {r.buildId ? (
        <>
          <h3>Dokku's build output</h3>
          <div id="build-output" hx-get={appUrl(host, r.app, `/releases/builds/${r.buildId}/output`)} hx-trigger="load" hx-swap="outerHTML">
            <p class="muted">Reading build {r.buildId}…</p>
          </div>
        </>
      ) : null}
      {r.snapshot && may("releases.values", { app: r.app }) ? (
        <>
          <h3>Config it ran with</h3>
          <div id="release-values">
            <p class="muted">
              Values are kept on the host and shown only on demand, to a user who may reveal secrets.{" "}
              <button type="button" class="small" hx-get={appUrl(host, r.app, `/releases/${r.number}/values`)} hx-target="#release-values" hx-swap="innerHTML">
                Reveal the config of release #{r.number}
              </button>
            </p>
          </div>
        </>
      ) : null}
      <h3>Changed from the release before it</h3>
      {r.diff ? <DiffList diff={r.diff} /> : <p class="muted">Nothing to compare: no live release before it, or it did not go live.</p>}
      {r.snapshot && !r.live && may("releases.rollback", { app: r.app }) ? (
        <p>
          <a class="button" href={appUrl(host, r.app, `/releases/${r.number}/rollback`)}>
            Roll back to release #{r.number}…
          </a>
        </p>
      ) : null}
    </section>
  );
}

/** A release's config values, revealed on demand: each as escaped text. */
export function ReleaseValues({ vars }: { vars: Record<string, string> }) {
  const keys = Object.keys(vars).sort();
  if (keys.length === 0) return <p class="muted">No variables were set.</p>;
  return (
    <div class="table-wrap">
      <table class="config">
        <thead>
          <tr>
            <th scope="col">Key</th>
            <th scope="col">Value</th>
          </tr>
        </thead>
        <tbody>
          {keys.map((key, i) => (
            <tr data-key={key}>
              <th scope="row">
                <code>{key}</code>
              </th>
              <td data-label="Value">
                <RevealedValue id={`release-val-${i}`} value={vars[key]!} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** What a rollback will do, before it runs; the button only when it can be done. */
export function RollbackPreview({ host, app, plan, may }: { host: string; app: string; plan: OpResult<"releases.plan">; may: May }) {
  const n = plan.target.number;
  const action = appUrl(host, app, `/releases/${n}/rollback`);
  return (
    <section aria-labelledby="rollback-h" class="rollback-preview">
      <h2 id="rollback-h">
        Roll back {app} to release #{n}
      </h2>
      {plan.blocked !== null ? (
        <div class="outcome outcome-error" role="alert">
          <strong>This rollback cannot be done; nothing was changed.</strong>
          <pre class="message">{plan.blocked}</pre>
        </div>
      ) : (
        <>
          <p>Compared with {app} as it is now, the rollback will change:</p>
          {plan.diff ? <DiffList diff={plan.diff} /> : null}
          <p>
            Code: {plan.code?.says}. It runs as one change: the config of release #{n} without a restart per key, its scale, domains, ports and build settings
            without a deploy, then one deploy.
          </p>
          <IfMay may={may} op="releases.rollback" args={{ app }}>
            <form
              method="post"
              action={action}
              hx-post={action}
              hx-target="#rollback-result"
              hx-disable="find button"
              hx-confirm={`Roll back ${app} to release #${n}?`}
            >
              <button type="submit">Roll back to release #{n}</button>
            </form>
          </IfMay>
          <div id="rollback-result" class="result" aria-live="polite"></div>
        </>
      )}
    </section>
  );
}
