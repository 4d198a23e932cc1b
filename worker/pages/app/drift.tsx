import type { OpResult } from "../../../protocol/ops.js";
import { appUrl } from "../../urls.js";
import { reloadsOn } from "../stale.js";
import { IfMay, type May } from "../may.js";
import { DiffList } from "./release-facts.js";
import { PostForm } from "../post-form.js";

/** Where the drift section loads from: the Releases and Deploy tabs both hold it. */
export function DriftSlot({ host, app }: { host: string; app: string }) {
  return (
    <div id="drift" hx-get={appUrl(host, app, "/releases/drift")} hx-trigger="load" hx-swap="outerHTML">
      <p class="muted">Comparing {app} with its live release…</p>
    </div>
  );
}

/**
 * What changed since the live release (keys only): Docklight's own changes, which the next deploy
 * records, and changes made outside Docklight, with Keep (record them) and Revert (restore the
 * recorded values).
 */
export function DriftSection({ host, app, drift, may }: { host: string; app: string; drift: OpResult<"releases.drift">; may: May }) {
  const keep = appUrl(host, app, "/releases/keep");
  const revert = appUrl(host, app, "/releases/revert");
  return (
    // Drift is read from the host's config, domains and the last release: a change to any of them makes it stale.
    <section
      id="drift"
      aria-labelledby="drift-h"
      {...reloadsOn(appUrl(host, app, "/releases/drift"), ["releases.drift", "releases.list", "config.get", "domains.report"])}
    >
      <h2 id="drift-h">Since the live release</h2>
      {drift.live === null ? (
        <p class="muted">No live release is recorded yet: the next deploy records one.</p>
      ) : drift.pending === null && drift.outside === null ? (
        <p>Nothing has changed since release #{drift.live}.</p>
      ) : null}
      {drift.pending ? (
        <div class="drift-pending">
          <h3>Changed through Docklight, not in a release yet</h3>
          <p class="muted">Config set without a restart and build settings take effect with the next deploy, which records them in its release.</p>
          <DiffList diff={drift.pending} />
        </div>
      ) : null}
      {drift.outside ? (
        <div class="drift-outside">
          <h3>Changed outside Docklight</h3>
          <p class="muted">These differ from release #{drift.live} and were not changed through Docklight (over SSH, or by another tool).</p>
          <DiffList diff={drift.outside} />
          <div class="buttons">
            <IfMay may={may} op="releases.keep" args={{ app }}>
              <PostForm action={keep} target="#drift-result">
                <button type="submit">Keep (record them as a release)</button>
              </PostForm>
            </IfMay>
            <IfMay may={may} op="releases.revert" args={{ app }}>
              <PostForm
                action={revert}
                target="#drift-result"
                confirm={`Restore ${app}'s config, scale and domains to release #${drift.live}? Changed config restarts the app.`}
              >
                <button type="submit">Revert to release #{drift.live}</button>
              </PostForm>
            </IfMay>
          </div>
        </div>
      ) : null}
      <div id="drift-result" class="result" aria-live="polite"></div>
    </section>
  );
}
