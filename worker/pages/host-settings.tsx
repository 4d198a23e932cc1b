import type { PluginInfo } from "../../protocol/ops.js";
import type { Outcome } from "../hub/outcome.js";
import { OutcomeMessage } from "./outcome.js";
import { reloadsOn } from "./stale.js";
import { hostUrl } from "../urls.js";
import { IfMay, type May } from "./may.js";
import { Section } from "./section.js";

export const HOST_RESULT = "host-settings-result";

/** Dokku's own plugins: plugin:update refuses them ("please update Dokku instead", cmd-plugin-update). */
const CORE_PREFIX =
  /^(00_dokku-standard|20_events|apps|app-json|builder.*|buildpacks|caddy-vhosts|certs|checks|common|config|cron|docker-options|domains|enter|git|haproxy-vhosts|logs|network|nginx-vhosts|openresty-vhosts|plugin|ports|proxy|ps|registry|repo|resource|run|scheduler.*|shell|ssh-keys|storage|traefik-vhosts|trace)$/;

const post = (host: string, path: string) => {
  const action = hostUrl(host, `/host/settings/${path}`);
  return { method: "post", action, "hx-post": action, "hx-target": `#${HOST_RESULT}`, "hx-disable": "find button" } as const;
};

/** One value with a Remove/Unset button posting `field=value`. */
function RowButton({ host, path, field, value, label, confirm }: { host: string; path: string; field: string; value: string; label: string; confirm: string }) {
  return (
    <form {...post(host, path)} hx-confirm={confirm}>
      <input type="hidden" name={field} value={value} />
      <button type="submit" class="small" aria-label={`${label} ${value}`}>
        {label}
      </button>
    </form>
  );
}

/** Global domains, global config keys and the global deploy branch, read again when a change made them stale. */
export function HostSettingsState({ host, settings, historyHref, may }: { host: string; settings: Outcome<"host.settings">; historyHref: string; may: May }) {
  const attrs = { id: "host-settings-state", ...reloadsOn(hostUrl(host, "/host/settings/state"), ["host.settings"]) };
  if (settings.kind !== "ok")
    return (
      <div {...attrs}>
        <OutcomeMessage outcome={settings} historyHref={historyHref} host={host} />
      </div>
    );
  const s = settings.result;
  return (
    <div {...attrs}>
      <h3>Global domains</h3>
      <p class="muted">A new app gets APP.DOMAIN for each.</p>
      {s.domains.length === 0 ? (
        <p class="muted">None: new apps get no domain of their own.</p>
      ) : (
        <ul class="rows" data-global-domains>
          {s.domains.map((d) => (
            <li>
              <span>{d}</span>
              <IfMay may={may} op="host.domains.remove" args={{}}>
                <RowButton host={host} path="domains/remove" field="domain" value={d} label="Remove" confirm={`Remove the global domain ${d}?`} />
              </IfMay>
            </li>
          ))}
        </ul>
      )}
      <h3>Global config</h3>
      <p class="muted">Every app's environment includes these. Values are secrets: they are never shown, only set or unset.</p>
      {s.configKeys.length === 0 ? (
        <p class="muted">No global config.</p>
      ) : (
        <ul class="rows" data-global-config>
          {s.configKeys.map((k) => (
            <li>
              <code>{k}</code>
              <IfMay may={may} op="host.config.unset" args={{}}>
                <RowButton host={host} path="config/unset" field="key" value={k} label="Unset" confirm={`Unset ${k} for every app?`} />
              </IfMay>
            </li>
          ))}
        </ul>
      )}
      <h3>Global deploy branch</h3>
      <p data-global-branch>
        {s.deployBranch === null
          ? "This Dokku reports it per app (Deploy tab); set it here."
          : s.deployBranch
            ? `Apps without their own branch deploy ${s.deployBranch}.`
            : "Not set: apps without their own branch deploy master."}
      </p>
    </div>
  );
}

/** The host's plugins with their versions, and plugin:update behind its name typed again. */
export function HostPlugins({ host, plugins, historyHref, may }: { host: string; plugins: Outcome<"plugins.list">; historyHref: string; may: May }) {
  const attrs = { id: "host-plugins", ...reloadsOn(hostUrl(host, "/host/settings/plugins"), ["plugins.list"]) };
  if (plugins.kind !== "ok")
    return (
      <div {...attrs}>
        <OutcomeMessage outcome={plugins} historyHref={historyHref} host={host} />
      </div>
    );
  const own = plugins.result.plugins.filter((p: PluginInfo) => !CORE_PREFIX.test(p.name)).sort((a, b) => a.name.localeCompare(b.name));
  return (
    <div {...attrs}>
      {own.length === 0 ? (
        <p class="muted">No plugins beyond Dokku's own.</p>
      ) : (
        <ul class="rows" data-plugins>
          {own.map((p) => (
            <li data-plugin={p.name}>
              <span>
                <strong>{p.name}</strong> {p.version || "—"} {p.enabled ? null : <span class="badge idle">disabled</span>}
              </span>
            </li>
          ))}
        </ul>
      )}
      {own.some((p) => p.enabled) && may("plugins.update", {}) ? (
        <form {...post(host, "plugins/update")} class="inline" aria-label="Update a plugin">
          <div>
            <label for="plugin-name">Plugin</label>
            <select id="plugin-name" name="name">
              {own
                .filter((p) => p.enabled)
                .map((p) => (
                  <option value={p.name}>{p.name}</option>
                ))}
            </select>
          </div>
          <div>
            <label for="plugin-confirm">Type its name to confirm</label>
            <input id="plugin-confirm" name="confirm" required autocomplete="off" spellcheck={false} />
          </div>
          <button type="submit">Update plugin</button>
        </form>
      ) : null}
    </div>
  );
}

/** The host page's settings: what reaches every app (host-root to change). */
export function HostSettingsSection(props: {
  host: string;
  settings: Outcome<"host.settings">;
  plugins: Outcome<"plugins.list">;
  historyHref: string;
  may: May;
}) {
  const { host, may } = props;
  return (
    <Section name="host-settings" title="Host-wide settings">
      <p class="muted">These reach every app on the host: changing them needs host-root access.</p>
      <HostSettingsState host={host} settings={props.settings} historyHref={props.historyHref} may={may} />
      <IfMay may={may} op="host.domains.add" args={{}}>
        <form {...post(host, "domains/add")} class="inline" aria-label="Add a global domain">
          <div>
            <label for="global-domain">Global domain</label>
            <input id="global-domain" name="domain" required autocomplete="off" spellcheck={false} placeholder="apps.example.com" />
          </div>
          <button type="submit">Add domain</button>
        </form>
      </IfMay>
      <IfMay may={may} op="host.config.set" args={{}}>
        <form {...post(host, "config/set")} class="inline" aria-label="Set global config" autocomplete="off">
          <div>
            <label for="global-key">Key</label>
            <input id="global-key" name="key" required autocomplete="off" spellcheck={false} placeholder="SENTRY_DSN" />
          </div>
          <div>
            <label for="global-value">Value</label>
            <input id="global-value" name="value" type="password" autocomplete="new-password" />
          </div>
          <button type="submit">Set for every app</button>
        </form>
      </IfMay>
      <IfMay may={may} op="host.deployBranch" args={{}}>
        <form {...post(host, "branch")} class="inline" aria-label="Set the global deploy branch">
          <div>
            <label for="global-branch">Deploy branch</label>
            <input id="global-branch" name="branch" autocomplete="off" spellcheck={false} placeholder="empty: master" />
          </div>
          <button type="submit">Set branch</button>
        </form>
      </IfMay>
      <IfMay may={may} op="host.cleanup" args={{}}>
        <h3>Clean up</h3>
        <p class="muted">Removes exited containers and dangling images of every app (dokku cleanup).</p>
        <form {...post(host, "cleanup")} hx-confirm="Remove the exited containers and dangling images of every app?">
          <button type="submit">Clean up</button>
        </form>
      </IfMay>
      <h3>Plugins</h3>
      <HostPlugins host={host} plugins={props.plugins} historyHref={props.historyHref} may={may} />
      <div id={HOST_RESULT} class="result" aria-live="polite"></div>
    </Section>
  );
}
