import type { HostRef } from "../hub/outcome.js";
import type { Child } from "hono/jsx";
import type { z } from "zod";
import type { pluginInfo } from "../../protocol/ops.js";
import type { HostStatus } from "../hub/outcome.js";
import { Layout } from "./layout.js";
import { Table } from "./table.js";

type Plugin = z.infer<typeof pluginInfo>;

/** The host's installed Dokku plugins, read-only (name, version, enabled, description): the page's frame. */
export function PluginsPage({ host, hosts, children }: { host: HostStatus; hosts: HostRef[]; children?: Child }) {
  return (
    <Layout title={`Plugins on ${host.name}`} host={host} hosts={hosts} current="plugins">
      <h1>Plugins on {host.name}</h1>
      {children}
      <section class="howto">
        <h2>Install a plugin</h2>
        <p>
          Plugins are installed on the host itself, over SSH, e.g. <code>sudo dokku plugin:install https://github.com/dokku/dokku-postgres.git</code>. Docklight
          does not install, enable or remove plugins.
        </p>
      </section>
    </Layout>
  );
}

/** The plugins table, once the host answered. */
export function PluginsBody({ plugins }: { plugins: Plugin[] }) {
  const sorted = [...plugins].sort((a, b) => a.name.localeCompare(b.name));
  return (
    <>
      {sorted.length === 0 ? (
        <p>No plugins reported.</p>
      ) : (
        <>
          <p>
            {sorted.length} plugins, {sorted.filter((p) => p.enabled).length} enabled.
          </p>
          <Table class="plugins" columns={["Plugin", "Version", "State", "Description"]}>
            {sorted.map((p) => (
              <tr data-plugin={p.name}>
                <th scope="row">{p.name}</th>
                <td data-label="Version">{p.version || "—"}</td>
                <td data-label="State">
                  <span class={`badge ${p.enabled ? "up" : "idle"}`}>{p.enabled ? "enabled" : "disabled"}</span>
                </td>
                <td data-label="Description">{p.description}</td>
              </tr>
            ))}
          </Table>
        </>
      )}
    </>
  );
}
