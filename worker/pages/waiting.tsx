import type { HostRef } from "../hub/outcome.js";
import { raw } from "hono/html";
import type { HostStatus } from "../hub/outcome.js";
import { Layout } from "./layout.js";
import { hostUrl } from "../urls.js";

/** A host whose relay has never connected to this edge (not one that went offline). */
export const neverConnected = (s: HostStatus) => !s.connected && s.lastSeen === null;

/** How often the waiting page looks again (seconds). */
const EVERY_S = 2;

/**
 * Served instead of a host's page while its relay has never connected (just started, or not yet
 * installed): it says so rather than "offline", and refreshes itself until the relay is there —
 * htmx polls `…/waiting` (which answers HX-Refresh once connected), and without scripts a
 * `<meta http-equiv="refresh">` in a `<noscript>` reloads the page. No inline script.
 */
export function WaitingPage({ host, hosts }: { host: HostStatus; hosts: HostRef[] }) {
  const h = host.host;
  return (
    <Layout title={`Waiting for ${host.name}`} host={host} hosts={hosts}>
      <h1>{host.name}</h1>
      <div class="waiting" role="status" hx-get={hostUrl(h, "/waiting")} hx-trigger={`every ${EVERY_S}s`} hx-swap="none">
        <p class="link-state">
          <span class="badge idle">waiting</span> Waiting for the host's relay to connect. This page refreshes itself when it does.
        </p>
        <p class="muted">
          Just started with <code>npm start</code>? The relay connects within a few seconds. On a real host, check that the relay service is running (README:
          "Install the relay").
        </p>
      </div>
      {/* as raw markup: hono/jsx would hoist a <meta> element into <head>, out of the <noscript> */}
      <noscript>{raw(`<meta http-equiv="refresh" content="${EVERY_S}">`)}</noscript>
    </Layout>
  );
}
