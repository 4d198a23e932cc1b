import type { BuildRecord, OpResult, ReleaseSummary } from "../../../protocol/ops.js";
import { appUrl } from "../../urls.js";
import { reloadsOn } from "../stale.js";
import { DiffList, OUTCOME, SourceText } from "./release-facts.js";
import { utcTime } from "../time.js";
import { IfMay, type May } from "../may.js";
import { PostForm } from "../post-form.js";
import { Table } from "../table.js";

/**
 * The Releases tab and the host-wide list of releases: the table, deploys made outside Docklight
 * (what the list can see of them, and those running now), and a build's output.
 */

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
        <PostForm action={cancel} target="#cancel-build-result" confirm={`Stop the deploy of ${app} running now?`}>
          <button type="submit">Cancel this deploy</button>
        </PostForm>
        <div id="cancel-build-result" class="result" aria-live="polite"></div>
      </IfMay>
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
    <Table
      class="releases"
      columns={[withApp ? "App" : null, "Release", "When", "What", "Outcome", "Code", withApp ? null : "Changed from the one before"]}
      wrap
    >
      {releases.map((r) => (
        <ReleaseRow host={host} r={r} withApp={withApp} />
      ))}
    </Table>
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
