import type { DeployBranchInfo, OpResult } from "../../../protocol/ops.js";
import { StateBadge } from "../app-state.js";
import { when } from "./shell.js";
import { Table } from "../table.js";

/**
 * The branch a push deploys, as git:report tells it; when an old Dokku's report cannot tell, both
 * candidates and why, rather than a guess.
 */
export function DeployBranch({ branch }: { branch: DeployBranchInfo }) {
  if (branch.effective !== null) {
    return (
      <span class="deploy-branch">
        <code>{branch.effective}</code>
        {branch.own === "" ? <span class="muted"> (the global deploy branch)</span> : null}
      </span>
    );
  }
  return (
    <span class="deploy-branch unknown">
      {branch.either.map((b, i) => (
        <>
          {i > 0 ? " or " : null}
          <code>{b}</code>
        </>
      ))}
      <span class="muted">
        {" "}
        (this Dokku's git:report prints master both for an app pinned to master and for one following the global branch {branch.global}; Dokku 0.38.4 and later
        say which)
      </span>
    </span>
  );
}

/** Status, processes, domains and git: reloaded in place after an action or a scale change. */
export function AppSummary({ host, detail }: { host: string; detail: OpResult<"apps.detail"> }) {
  const deployedAt = when(detail.git.lastUpdatedAt);
  return (
    <section id="app-summary" aria-labelledby="summary-h">
      <h2 id="summary-h">Status</h2>
      <dl class="facts">
        <dt>State</dt>
        <dd>
          <StateBadge state={detail.state} reason={detail.unknownReason} />
          {detail.unknownReason ? <span class="muted"> {detail.unknownReason}</span> : null}
        </dd>
        <dt>Processes</dt>
        <dd>{detail.processes ?? "—"}</dd>
        <dt>Restart policy</dt>
        <dd>{detail.restartPolicy || "—"}</dd>
        <dt>Deploy branch</dt>
        <dd>
          <DeployBranch branch={detail.git.deployBranch} />
        </dd>
        <dt>Git commit</dt>
        <dd>{detail.git.sha ? <code title={detail.git.sha}>{detail.git.sha.slice(0, 7)}</code> : "never pushed"}</dd>
        <dt>Last deploy</dt>
        <dd>
          {deployedAt ? (
            <time datetime={new Date(detail.git.lastUpdatedAt! * 1000).toISOString()}>{deployedAt}</time>
          ) : detail.deployed ? (
            "not recorded by git (deployed without a push)"
          ) : (
            "never"
          )}
        </dd>
        <dt>Domains</dt>
        <dd>
          {detail.domains.vhosts.length === 0 ? (
            "none"
          ) : (
            <ul class="plain">
              {detail.domains.vhosts.map((d) => (
                <li>
                  <code>{d}</code>
                </li>
              ))}
            </ul>
          )}
          {detail.domains.enabled ? null : <span class="muted"> (domains disabled for this app)</span>}
        </dd>
      </dl>
      {detail.containers.length === 0 ? (
        <p class="muted">No containers.</p>
      ) : (
        <Table class="containers" columns={["Process", "State", "Container"]} caption="Containers" wrap>
          {detail.containers.map((ct) => (
            <tr data-process={ct.process}>
              <th data-label="Process" scope="row">
                {ct.process}
              </th>
              <td data-label="State">{ct.state}</td>
              <td data-label="Container">
                <code>{ct.cid ?? "—"}</code>
              </td>
            </tr>
          ))}
        </Table>
      )}
    </section>
  );
}
