import type { OpResult } from "../../../protocol/ops.js";
import type { HostStatus } from "../../hub/outcome.js";
import { AppShell, appBase } from "./shell.js";

type Report = OpResult<"domains.report">;

export function DomainList({ host, app, report }: { host: string; app: string; report: Report }) {
  const base = appBase(host, app);
  return (
    <div id="domain-list">
      {report.appEnabled ? null : <p class="muted">Domains are disabled for this app: it is reachable only on its port.</p>}
      {report.appVhosts.length === 0 ? (
        <p>No domains for this app.</p>
      ) : (
        <ul class="rows">
          {report.appVhosts.map((d) => (
            <li data-domain={d}>
              <code>{d}</code>
              <form hx-post={`${base}/domains/remove`} hx-target="#domains-result" hx-disable="find button" hx-confirm={`Remove ${d}?`}>
                <input type="hidden" name="domain" value={d} />
                <button type="submit" class="small" aria-label={`Remove ${d}`}>
                  Remove
                </button>
              </form>
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

export function DomainsPage({ host, hosts, app, report }: { host: HostStatus; hosts: string[]; app: string; report: Report }) {
  const base = appBase(host.host, app);
  return (
    <AppShell host={host} hosts={hosts} app={app} tab="domains">
      <section aria-labelledby="domains-h">
        <h2 id="domains-h">Domains</h2>
        <DomainList host={host.host} app={app} report={report} />
        <div id="domains-result" class="result" aria-live="polite"></div>
      </section>
      <section aria-labelledby="add-domain-h">
        <h2 id="add-domain-h">Add a domain</h2>
        <form class="inline" hx-post={`${base}/domains/add`} hx-target="#add-domain-result" hx-disable="find button">
          <label for="domain">Domain</label>
          <input id="domain" name="domain" required autocomplete="off" spellcheck={false} placeholder="www.example.com" />
          <button type="submit">Add</button>
        </form>
        <div id="add-domain-result" class="result" aria-live="polite"></div>
      </section>
    </AppShell>
  );
}
