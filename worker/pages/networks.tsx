import type { Child } from "hono/jsx";
import { PREDEFINED_NETWORKS, type DockerNetwork } from "../../protocol/ops/network.js";
import type { HostRef, HostStatus, Outcome } from "../hub/outcome.js";
import { hostUrl } from "../urls.js";
import { Layout } from "./layout.js";
import type { May } from "./may.js";
import { OutcomeMessage } from "./outcome.js";
import { reloadsOn } from "./stale.js";
import { Table } from "./table.js";

/** Where create and destroy answer: outside the list, which a change reads again in place. */
export const NETWORK_RESULT = "network-result";

/** The name form the op schema holds names to (protocol/ops/network.ts), for the browser to check first. */
const NAME_PATTERN = "[A-Za-z0-9][A-Za-z0-9_.\\-]*";

const post = (host: string, path: string) => {
  const action = hostUrl(host, `/networks/${path}`);
  return { method: "post", action, "hx-post": action, "hx-target": `#${NETWORK_RESULT}`, "hx-disable": "find button" } as const;
};

/** The host's Networks page: its frame; the list and forms fill it once the host answered. */
export function NetworksPage({ host, hosts, children }: { host: HostStatus; hosts: HostRef[]; children?: Child }) {
  return (
    <Layout title={`Networks on ${host.name}`} host={host} hosts={hosts} current="networks">
      <h1>Networks on {host.name}</h1>
      <p class="muted">
        The host's docker networks. Apps join them through their Settings tab (network: attach after create or deploy, initial network). Creating or destroying
        one reaches beyond any one app: it needs host-root access.
      </p>
      {children}
    </Layout>
  );
}

/** Who made a network, as far as the list can tell. */
function madeBy(n: DockerNetwork): string {
  if (PREDEFINED_NETWORKS.includes(n.name)) return "docker";
  return n.dokkuManaged === null ? "—" : n.dokkuManaged ? "Dokku" : "other";
}

/** One network's Destroy: its name typed again, the question Dokku asks on a terminal. */
function DestroyForm({ host, name }: { host: string; name: string }) {
  const id = `destroy-${name}`;
  return (
    <details class="destroy">
      <summary>Destroy</summary>
      <form {...post(host, "destroy")} class="inline" aria-label={`Destroy network ${name}`}>
        <input type="hidden" name="name" value={name} />
        <div>
          <label for={id}>Type {name} to confirm</label>
          <input id={id} name="confirm" required autocomplete="off" spellcheck={false} maxlength={63} />
        </div>
        <button type="submit" class="danger">
          Destroy {name}
        </button>
      </form>
    </details>
  );
}

/**
 * The networks table, read again (`/networks/list`) when a change made network.list stale
 * (pages/stale.ts): one just created is listed, one destroyed is gone.
 */
export function NetworkList({ host, list, may, historyHref }: { host: string; list: Outcome<"network.list">; may: May; historyHref: string }) {
  const attrs = { id: "network-list", ...reloadsOn(hostUrl(host, "/networks/list"), ["network.list"]) };
  if (list.kind !== "ok")
    return (
      <div {...attrs}>
        <OutcomeMessage outcome={list} historyHref={historyHref} host={host} />
      </div>
    );
  const { networks, format } = list.result;
  return (
    <div {...attrs}>
      {format === "text" ? <p class="muted">This Dokku (before 0.35.3) lists names only: the driver, scope and who made each need 0.35.3 or later.</p> : null}
      <Table class="networks" columns={["Network", "Driver", "Scope", "Made by", "ID", "Action"]}>
        {networks.map((n) => (
          <tr data-network={n.name}>
            <th scope="row">{n.name}</th>
            <td data-label="Driver">{n.driver ?? "—"}</td>
            <td data-label="Scope">
              {n.scope ?? "—"}
              {n.internal ? <span class="badge idle">internal</span> : null}
            </td>
            <td data-label="Made by">{madeBy(n)}</td>
            <td data-label="ID">
              <code>{n.id ?? "—"}</code>
            </td>
            <td data-label="Action">
              {PREDEFINED_NETWORKS.includes(n.name) ? (
                <span class="muted">docker's own</span>
              ) : may("network.destroy", { name: n.name, confirm: n.name }) ? (
                <DestroyForm host={host} name={n.name} />
              ) : null}
            </td>
          </tr>
        ))}
      </Table>
    </div>
  );
}

/** The page below its heading: Create (when the policy allows it), the answer area, the list. */
export function NetworksBody(props: { host: string; list: Outcome<"network.list">; may: May; historyHref: string }) {
  const { host, may } = props;
  return (
    <>
      {may("network.create", { name: "network" }) ? (
        <form {...post(host, "create")} class="inline" aria-label="Create a network">
          <div>
            <label for="network-name">New network</label>
            <input id="network-name" name="name" required autocomplete="off" spellcheck={false} maxlength={63} pattern={NAME_PATTERN} placeholder="backend" />
          </div>
          <button type="submit">Create network</button>
        </form>
      ) : null}
      <div id={NETWORK_RESULT} class="result" aria-live="polite"></div>
      <NetworkList {...props} />
    </>
  );
}
