import type { OpResult, ReleaseSummary } from "../../../protocol/ops.js";
import { appUrl, opUrl } from "../../urls.js";
import { RevealedValue } from "./config.js";
import { DiffList, OUTCOME, SourceText } from "./release-facts.js";
import { utcTime } from "../time.js";
import { IfMay, type May } from "../may.js";
import { PostForm } from "../post-form.js";
import { Table } from "../table.js";
import { Section } from "../section.js";

/** One release's page: what it was, what it changed, its deploy log, and the way to roll back to it. */
export function ReleaseDetail({ host, r, may }: { host: string; r: ReleaseSummary; may: May }) {
  const [cls, label] = OUTCOME[r.outcome];
  return (
    <Section
      name="release"
      title={
        <>
          Release #{r.number} {r.live ? <span class="badge up">live</span> : null}
        </>
      }
      data-release={r.number}
    >
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
      {r.snapshot ? (
        <>
          <h3>Config it ran with</h3>
          <div id="release-values">
            <p class="muted">
              Values are kept on the host and shown only on demand, to a user who may reveal secrets.{" "}
              <IfMay may={may} op="releases.values" args={{ app: r.app, number: r.number }}>
                <button
                  type="button"
                  class="small"
                  hx-get={appUrl(host, r.app, `/releases/${r.number}/values`)}
                  hx-target="#release-values"
                  hx-swap="innerHTML"
                >
                  Reveal the config of release #{r.number}
                </button>
              </IfMay>
            </p>
          </div>
        </>
      ) : null}
      <h3>Changed from the release before it</h3>
      {r.diff ? <DiffList diff={r.diff} /> : <p class="muted">Nothing to compare: no live release before it, or it did not go live.</p>}
      {r.snapshot && !r.live && may("releases.rollback", { app: r.app, number: r.number }) ? (
        <p>
          <a class="button" href={appUrl(host, r.app, `/releases/${r.number}/rollback`)}>
            Roll back to release #{r.number}…
          </a>
        </p>
      ) : null}
    </Section>
  );
}

/** A release's config values, revealed on demand: each as escaped text. */
export function ReleaseValues({ vars }: { vars: Record<string, string> }) {
  const keys = Object.keys(vars).sort();
  if (keys.length === 0) return <p class="muted">No variables were set.</p>;
  return (
    <Table class="config" columns={["Key", "Value"]} wrap>
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
    </Table>
  );
}

/** What a rollback will do, before it runs; the button only when it can be done. */
export function RollbackPreview({ host, app, plan, may }: { host: string; app: string; plan: OpResult<"releases.plan">; may: May }) {
  const n = plan.target.number;
  const action = appUrl(host, app, `/releases/${n}/rollback`);
  return (
    <Section name="rollback" title={`Roll back ${app} to release #${n}`} class="rollback-preview">
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
          <IfMay may={may} op="releases.rollback" args={{ app, number: n }} otherwise={<p class="muted">Your role may not roll {app} back.</p>}>
            <PostForm action={action} target="#rollback-result" confirm={`Roll back ${app} to release #${n}?`}>
              <button type="submit">Roll back to release #{n}</button>
            </PostForm>
            <div id="rollback-result" class="result" aria-live="polite"></div>
          </IfMay>
        </>
      )}
    </Section>
  );
}
