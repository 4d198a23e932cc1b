import type { KeyChanges, OpResult, ReleaseDiff, ReleaseSummary } from "../../../protocol/ops.js";
import { appUrl, opUrl } from "../../urls.js";
import { utcTime } from "../time.js";

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
 * What the list cannot show: deploys made outside Docklight. Dokku before 0.38 keeps no record of
 * them; 0.38 records builds (`builds:list`), which Docklight does not read yet.
 */
export function OutsideNote({ seesOutside }: { seesOutside: boolean }) {
  return (
    <p class="muted">
      Deploys made outside Docklight (git push, <code>ps:rebuild</code> over SSH) are not listed here:{" "}
      {seesOutside
        ? "this host's Dokku records them (builds:list), which Docklight does not read yet"
        : "this host's Dokku keeps no record of them (it came in 0.38)"}
      . A commit or config they changed shows under "Changed outside Docklight".
    </p>
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
export function ReleasesBody({ host, app, list }: { host: string; app: string; list: OpResult<"releases.list"> }) {
  return (
    <section aria-labelledby="releases-h">
      <h2 id="releases-h">Releases</h2>
      <OutsideNote seesOutside={list.seesOutside} />
      {list.releases.length === 0 ? (
        <p>No release of {app} is recorded yet: each deploy (Rebuild, Fetch and deploy, a rollback) records one when it ends.</p>
      ) : (
        <ReleaseTable host={host} releases={list.releases} />
      )}
    </section>
  );
}

/** One release's page: what it was, what it changed, its deploy log, and the way to roll back to it. */
export function ReleaseDetail({ host, r }: { host: string; r: ReleaseSummary }) {
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
        <dd>{r.opId ? <a href={opUrl(host, r.opId)}>the change's page, with its whole output</a> : "kept by Dokku (builds:output)"}</dd>
      </dl>
      <h3>Changed from the release before it</h3>
      {r.diff ? <DiffList diff={r.diff} /> : <p class="muted">Nothing to compare: no live release before it, or it did not go live.</p>}
      {r.snapshot && !r.live ? (
        <p>
          <a class="button" href={appUrl(host, r.app, `/releases/${r.number}/rollback`)}>
            Roll back to release #{r.number}…
          </a>
        </p>
      ) : null}
    </section>
  );
}

/** What a rollback will do, before it runs; the button only when it can be done. */
export function RollbackPreview({ host, app, plan }: { host: string; app: string; plan: OpResult<"releases.plan"> }) {
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
            Code: {plan.code?.says}. It runs as one change: the config of release #{n} without a restart per key, its scale without a deploy, then one deploy.
            Domains, ports and build settings are shown, not changed.
          </p>
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
          <div id="rollback-result" class="result" aria-live="polite"></div>
        </>
      )}
    </section>
  );
}
