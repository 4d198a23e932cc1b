import { NGINX_KEYS, NGINX_SETTINGS, PROXY_TYPES, type NginxValue } from "../../../protocol/ops/proxy.js";
import type { OpResult } from "../../../protocol/ops.js";
import type { Outcome } from "../../hub/outcome.js";
import { OutcomeMessage } from "../outcome.js";
import { appUrl } from "../../urls.js";
import { reloadsOn } from "../stale.js";
import { IfMay, type May } from "../may.js";
import { PostForm } from "../post-form.js";
import { Section } from "../section.js";

type ProxyOutcome = Outcome<"proxy.report">;
type NginxOutcome = Outcome<"nginx.report">;

/** Where proxy and nginx changes answer (a live region the section's forms share). */
export const PROXY_RESULT = "proxy-result";

/** The version nginx:reload arrived in (cmd-nginx-reload in plugins/nginx-vhosts/command-functions of dokku/dokku). */
export const NGINX_RELOAD_SINCE = "0.38.0";

/** One nginx setting's row: what the app sets, else what is in force and where it comes from. */
function NginxRow({ k, v }: { k: (typeof NGINX_KEYS)[number]; v: NginxValue }) {
  const s = NGINX_SETTINGS[k];
  const id = `nginx-${k}`;
  const inForce = v.app ? `set for this app (default: ${v.global || "nginx's own"})` : v.computed ? `default: ${v.computed}` : "nginx's own default";
  return (
    <tr>
      <th scope="row">
        <label for={id}>{s.label}</label>
        <code class="muted">{k}</code>
      </th>
      <td data-label="">
        <input id={id} name={k} value={v.app} placeholder={v.computed} aria-describedby={`${id}-hint`} autocomplete="off" spellcheck={false} />
        <span id={`${id}-hint`} class="muted">
          {s.hint}; {inForce}
        </span>
      </td>
    </tr>
  );
}

/** The nginx settings form: each field holds the app's own value; empty means the default. */
export function NginxForm({ host, app, nginx, may }: { host: string; app: string; nginx: OpResult<"nginx.report">; may: May }) {
  const action = appUrl(host, app, "/proxy/nginx");
  const table = (
    <div class="table-wrap">
      <table class="settings nginx-settings">
        <tbody>
          {NGINX_KEYS.map((k) => (
            <NginxRow k={k} v={nginx.settings[k]} />
          ))}
        </tbody>
      </table>
    </div>
  );
  // someone who may not change them sees the values, in fields they cannot edit
  if (!may("nginx.set", { app }))
    return (
      <div aria-labelledby="nginx-h">
        <h3 id="nginx-h">nginx settings</h3>
        <fieldset disabled>{table}</fieldset>
      </div>
    );
  return (
    <PostForm action={action} target={`#${PROXY_RESULT}`} labelledby="nginx-h">
      <h3 id="nginx-h">nginx settings</h3>
      <p class="muted">
        Leave a field empty to use the default shown in it. Saving sets what changed with <code>nginx:set</code> and rebuilds the app's nginx config (
        <code>proxy:build-config</code>): it takes effect at once, without a restart.
      </p>
      {table}
      <button type="submit">Save and rebuild nginx config</button>
    </PostForm>
  );
}

/** The proxy's state and its actions: enable or disable (the app restarts), its type. */
function ProxyState({ host, app, proxy, may }: { host: string; app: string; proxy: OpResult<"proxy.report">; may: May }) {
  const toggle = appUrl(host, app, proxy.enabled ? "/proxy/disable" : "/proxy/enable");
  const type = appUrl(host, app, "/proxy/type");
  return (
    <>
      <dl class="facts">
        <dt>Proxy</dt>
        <dd>{proxy.enabled ? <span class="badge up">enabled</span> : <span class="badge warn">disabled</span>}</dd>
        <dt>Type</dt>
        <dd>
          {proxy.computedType || "nginx"} {proxy.type ? <span class="muted">(set for this app)</span> : <span class="muted">(host default)</span>}
        </dd>
      </dl>
      <div class="buttons">
        <IfMay may={may} op={proxy.enabled ? "proxy.disable" : "proxy.enable"} args={{ app }}>
          <PostForm
            action={toggle}
            target={`#${PROXY_RESULT}`}
            confirm={
              proxy.enabled
                ? `Disable the proxy of ${app}? It will be reachable only on its containers' own ports, and it restarts.`
                : `Enable the proxy of ${app}? It restarts.`
            }
          >
            <button type="submit">{proxy.enabled ? "Disable proxy" : "Enable proxy"}</button>
          </PostForm>
        </IfMay>
        <IfMay may={may} op="proxy.setType" args={{ app }}>
          <PostForm action={type} target={`#${PROXY_RESULT}`} class="inline">
            <label for="proxy-type" class="visually-hidden">
              Proxy type
            </label>
            <select id="proxy-type" name="type">
              {PROXY_TYPES.map((t) => (
                <option value={t} selected={t === (proxy.computedType || "nginx")}>
                  {t}
                </option>
              ))}
            </select>
            <button type="submit">Set proxy type</button>
          </PostForm>
        </IfMay>
      </div>
      <p class="muted">Enabling or disabling restarts the app. A proxy type other than nginx needs its plugin's proxy running on the host.</p>
    </>
  );
}

/**
 * The app's proxy section, read again when a change made it stale (pages/stale.ts): the proxy's state and, while nginx
 * serves the app, its settings; a read that failed (an old Dokku, a disabled plugin) said in its place.
 */
export function ProxyBody({
  host,
  app,
  proxy,
  nginx,
  historyHref,
  may,
}: {
  host: string;
  app: string;
  proxy: ProxyOutcome;
  nginx: NginxOutcome;
  historyHref: string;
  may: May;
}) {
  return (
    <div id="proxy-body" {...reloadsOn(appUrl(host, app, "/proxy/section"), ["proxy.report", "nginx.report"])}>
      {proxy.kind === "ok" ? (
        <ProxyState host={host} app={app} proxy={proxy.result} may={may} />
      ) : (
        <OutcomeMessage outcome={proxy} historyHref={historyHref} host={host} />
      )}
      {proxy.kind === "ok" && (proxy.result.computedType || "nginx") !== "nginx" ? (
        <p class="muted">nginx settings apply only while nginx is the app's proxy.</p>
      ) : nginx.kind === "ok" ? (
        <NginxForm host={host} app={app} nginx={nginx.result} may={may} />
      ) : (
        <OutcomeMessage outcome={nginx} historyHref={historyHref} host={host} />
      )}
    </div>
  );
}

/** nginx:reload, host-wide: offered on Dokku 0.38.0+, said plainly before. */
function ReloadNginx({ host, app, dokkuVersion, may }: { host: string; app: string; dokkuVersion: string | null; may: May }) {
  if (!may("nginx.reload", {})) return null;
  const at = dokkuVersion?.split(".").map(Number) ?? null;
  const has = at !== null && (at[0]! > 0 || at[1]! >= 38);
  if (!has)
    return (
      <p class="muted">
        Reloading nginx from here needs Dokku {NGINX_RELOAD_SINCE} or later{dokkuVersion ? ` (this host runs ${dokkuVersion})` : ""}.
      </p>
    );
  const action = appUrl(host, app, "/proxy/reload");
  return (
    <PostForm action={action} target={`#${PROXY_RESULT}`} class="inline">
      <button type="submit">Reload nginx</button>
      <span class="muted">
        host-wide: checks every app's config (<code>nginx -t</code>) first
      </span>
    </PostForm>
  );
}

/** The Settings tab's proxy section. */
export function ProxySection(props: {
  host: string;
  app: string;
  proxy: ProxyOutcome;
  nginx: NginxOutcome;
  historyHref: string;
  dokkuVersion: string | null;
  may: May;
}) {
  return (
    <Section name="proxy" title="Proxy and nginx">
      <ProxyBody {...props} />
      <ReloadNginx host={props.host} app={props.app} dokkuVersion={props.dokkuVersion} may={props.may} />
      <div id={PROXY_RESULT} class="result" aria-live="polite"></div>
    </Section>
  );
}
