import { PORT_SCHEMES } from "../../../protocol/names.js";
import type { OpResult } from "../../../protocol/ops.js";
import type { HostStatus, Outcome } from "../../hub/outcome.js";
import { OutcomeMessage } from "../outcome.js";
import { RemoveButton } from "./shell.js";
import { appUrl } from "../../urls.js";
import { reloadsOn } from "../stale.js";
import { IfMay, type May } from "../may.js";
import { PostForm } from "../post-form.js";
import { Table } from "../table.js";
import { Section } from "../section.js";

type Report = OpResult<"domains.report">;

export function DomainList({ host, app, report, may }: { host: string; app: string; report: Report; may: May }) {
  const base = appUrl(host, app);
  return (
    <div id="domain-list" {...reloadsOn(appUrl(host, app, "/domains/list"), ["domains.report"])}>
      {report.appEnabled ? null : <p class="muted">Domains are disabled for this app: it is reachable only on its port.</p>}
      {report.appVhosts.length === 0 ? (
        <p>No domains for this app.</p>
      ) : (
        <ul class="rows">
          {report.appVhosts.map((d) => (
            <li data-domain={d}>
              <code>{d}</code>
              <IfMay may={may} op="domains.remove" args={{ app }}>
                <RemoveButton action={`${base}/domains/remove`} target="#domains-result" field="domain" value={d} confirm={`Remove ${d}?`} />
              </IfMay>
            </li>
          ))}
        </ul>
      )}
      {report.globalVhosts.length > 0 ? (
        <p class="muted">
          Global domains on this host: {report.globalVhosts.join(", ")}
          {report.globalEnabled ? "" : " (disabled)"}
        </p>
      ) : null}
    </div>
  );
}

/** The Domains & ports tab's domain sections (inside the app's shell); `PortsSection` follows them. */
export function DomainsBody({ host, app, report, may }: { host: HostStatus; app: string; report: Report; may: May }) {
  const base = appUrl(host.host, app);
  return (
    <>
      <Section name="domains" title="Domains">
        <DomainList host={host.host} app={app} report={report} may={may} />
        <div id="domains-result" class="result" aria-live="polite"></div>
      </Section>
      <IfMay may={may} op="domains.add" args={{ app }}>
        <Section name="add-domain" title="Add a domain">
          <PostForm action={`${base}/domains/add`} class="inline" target="#add-domain-result">
            <label for="domain">Domain</label>
            <input id="domain" name="domain" required autocomplete="off" spellcheck={false} placeholder="www.example.com" />
            <button type="submit">Add domain</button>
          </PostForm>
          <div id="add-domain-result" class="result" aria-live="polite"></div>
        </Section>
      </IfMay>
    </>
  );
}

type PortsOutcome = Outcome<"ports.report">;

/**
 * The app's port mappings: those set (each removable), else the ones Dokku detected and uses.
 * A host without the ports plugin (Dokku before 0.31) says so here, not on the whole page.
 */
export function PortList({ host, app, ports, historyHref, may }: { host: string; app: string; ports: PortsOutcome; historyHref: string; may: May }) {
  const base = appUrl(host, app);
  if (ports.kind !== "ok") {
    return (
      <div id="port-list" {...reloadsOn(appUrl(host, app, "/ports/list"), ["ports.report"])}>
        <OutcomeMessage outcome={ports} historyHref={historyHref} />
      </div>
    );
  }
  const { map, detected } = ports.result;
  return (
    <div id="port-list" {...reloadsOn(appUrl(host, app, "/ports/list"), ["ports.report"])}>
      {map.length === 0 ? (
        <p>
          No mappings set.{" "}
          {detected.length > 0 ? (
            <>
              Dokku uses the ones it detected: <code>{detected.join(" ")}</code>
            </>
          ) : (
            "Dokku detects them on the next deploy."
          )}
        </p>
      ) : (
        <Table class="ports" columns={["Scheme", "Host port", "Container port", { hidden: "Remove" }]} wrap>
          {map.map((m) => {
            const [scheme, hostPort, containerPort] = m.split(":");
            return (
              <tr data-mapping={m}>
                <td data-label="Scheme">{scheme}</td>
                <td data-label="Host port">{hostPort}</td>
                <td data-label="Container port">{containerPort}</td>
                <td data-label="">
                  <IfMay may={may} op="ports.remove" args={{ app }}>
                    <RemoveButton action={`${base}/ports/remove`} target="#ports-result" field="mapping" value={m} confirm={`Remove the mapping ${m}?`} />
                  </IfMay>
                </td>
              </tr>
            );
          })}
        </Table>
      )}
    </div>
  );
}

/** Ports section of the domains page: the list and the add form (scheme, host port, container port). */
export function PortsSection({ host, app, ports, historyHref, may }: { host: string; app: string; ports: PortsOutcome; historyHref: string; may: May }) {
  const base = appUrl(host, app);
  return (
    <Section name="ports" title="Port mappings">
      <p class="muted">Which host ports the proxy listens on, and the container port each one forwards to.</p>
      <PortList host={host} app={app} ports={ports} historyHref={historyHref} may={may} />
      <div id="ports-result" class="result" aria-live="polite"></div>
      <IfMay may={may} op="ports.add" args={{ app }}>
        <h3 id="add-port-h">Add a mapping</h3>
        <PostForm action={`${base}/ports/add`} class="inline" labelledby="add-port-h" target="#ports-result">
          <label for="port-scheme">Scheme</label>
          <select id="port-scheme" name="scheme">
            {PORT_SCHEMES.map((s) => (
              <option value={s}>{s}</option>
            ))}
          </select>
          <label for="port-host">Host port</label>
          <input id="port-host" name="host_port" type="number" min="1" max="65535" required inputmode="numeric" class="port" />
          <label for="port-container">Container port</label>
          <input id="port-container" name="container_port" type="number" min="1" max="65535" required inputmode="numeric" class="port" />
          <button type="submit">Add mapping</button>
        </PostForm>
      </IfMay>
    </Section>
  );
}
