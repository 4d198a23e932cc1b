import type { DbPlugin } from "../../protocol/names.js";
import type { ExposedPort } from "../../protocol/ops/database-ports.js";
import { databaseUrl } from "../urls.js";
import { IfMay, type May } from "./may.js";
import { Section } from "./section.js";

/**
 * Whether a database is reachable from outside the host's docker network, and the host ports it
 * listens on (`<p>:info`'s "Exposed ports"), with Expose (ports optional) or Unexpose. A part of the
 * database's body, so it is read again after either (pages/stale.ts: both make databases.info stale).
 */
export function ExposeSection({ host, plugin, service, ports, may }: { host: string; plugin: DbPlugin; service: string; ports: ExposedPort[]; may: May }) {
  const url = (a: string) => databaseUrl(host, plugin, service, a);
  const form = (action: string, label: string) => ({
    method: "post" as const,
    action: url(action),
    "hx-post": url(action),
    "hx-target": "#expose-result",
    "hx-disable": "find button",
    // its own request, not the reloading body's (whose hx-sync would otherwise stop it)
    "hx-sync": "this:drop",
    class: "inline-form",
    "aria-label": label,
  });
  return (
    <Section name="expose" title="Access from outside the host">
      {ports.length > 0 ? (
        <>
          <p>Exposed: anyone who can reach these host ports can try to log in.</p>
          <ul class="exposed">
            {ports.map((p) => (
              <li data-exposed={p.host}>
                port {p.container} on host port <code>{p.host}</code>
              </li>
            ))}
          </ul>
          <IfMay may={may} op="databases.unexpose" args={{ plugin, service }}>
            <form {...form("/unexpose", "Unexpose")}>
              <button type="submit">Unexpose</button>
            </form>
          </IfMay>
        </>
      ) : (
        <>
          <p data-exposed="none">Not exposed: only linked apps reach it.</p>
          <IfMay may={may} op="databases.expose" args={{ plugin, service }}>
            <form {...form("/expose", "Expose")}>
              <div>
                <label for="expose-ports">Host ports (optional; one per service port, e.g. 127.0.0.1:15432)</label>
                <input id="expose-ports" name="ports" maxlength={100} autocomplete="off" />
              </div>
              <button type="submit">Expose</button>
            </form>
          </IfMay>
        </>
      )}
      <div id="expose-result" class="result" aria-live="polite" hx-preserve></div>
    </Section>
  );
}
