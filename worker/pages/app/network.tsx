import { NETWORK_KEYS, NETWORK_PROPERTIES } from "../../../protocol/ops/network.js";
import type { Outcome } from "../../hub/outcome.js";
import { OutcomeMessage } from "../outcome.js";
import { appUrl } from "../../urls.js";
import { reloadsOn } from "../stale.js";
import { IfMay, type May } from "../may.js";
import { PostForm } from "../post-form.js";
import { Section } from "../section.js";

export const NETWORK_RESULT = "network-result";

/** The app's network properties (its own value, else the one in force) and its web listeners; reloaded after a change. */
export function NetworkFacts({ host, app, report, historyHref }: { host: string; app: string; report: Outcome<"network.report">; historyHref: string }) {
  if (report.kind !== "ok")
    return (
      <div id="network-facts" {...reloadsOn(appUrl(host, app, "/network/facts"), ["network.report"])}>
        <OutcomeMessage outcome={report} historyHref={historyHref} host={host} />
      </div>
    );
  const r = report.result;
  return (
    <div id="network-facts" data-app={app} {...reloadsOn(appUrl(host, app, "/network/facts"), ["network.report"])}>
      <dl class="facts">
        {NETWORK_KEYS.map((k) => (
          <>
            <dt>{NETWORK_PROPERTIES[k].label}</dt>
            <dd data-network={k}>{r.settings[k].app || (r.settings[k].computed ? `${r.settings[k].computed} (default)` : "—")}</dd>
          </>
        ))}
        <dt>Web listeners</dt>
        <dd>{r.webListeners.length > 0 ? r.webListeners.join(" ") : "—"}</dd>
      </dl>
    </div>
  );
}

/** The Settings tab's network section: the facts, and one form to set or unset a property. */
export function NetworkSection(props: { host: string; app: string; report: Outcome<"network.report">; historyHref: string; may: May }) {
  const action = appUrl(props.host, props.app, "/network/set");
  return (
    <Section name="network" title="Network">
      <p class="muted">
        Which docker networks the app's containers join. Changes apply when the containers are next made: rebuild the app (or deploy). The host network is not
        offered: it would give the app every port of the host.
      </p>
      <NetworkFacts {...props} />
      <IfMay may={props.may} op="network.set" args={{ app: props.app }}>
        <PostForm action={action} target={`#${NETWORK_RESULT}`} class="inline" label="Set a network property">
          <div>
            <label for="network-property">Property</label>
            <select id="network-property" name="property">
              {NETWORK_KEYS.map((k) => (
                <option value={k}>{NETWORK_PROPERTIES[k].label}</option>
              ))}
            </select>
          </div>
          <div>
            <label for="network-value">Value (empty: unset; networks separated by spaces)</label>
            <input id="network-value" name="value" autocomplete="off" />
          </div>
          <button type="submit">Set network property</button>
        </PostForm>
      </IfMay>
      <div id={NETWORK_RESULT} class="result" aria-live="polite"></div>
    </Section>
  );
}
