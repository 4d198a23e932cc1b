import { pluginRemedy, pluginStateText, type PluginStatus } from "../../protocol/ops.js";

const BADGE: Record<PluginStatus["state"], string> = { enabled: "up", disabled: "warn", "too-old": "warn", missing: "idle" };

/** A plugin's state as a badge: "installed", "installed but disabled", "not installed", "too old (…)". */
export function PluginBadge({ status }: { status: PluginStatus }) {
  return (
    <span class={`badge ${BADGE[status.state]}`} data-plugin-state={status.state}>
      {pluginStateText(status)}
    </span>
  );
}

/**
 * Why a plugin the page needs cannot be used, and the one command on the host that fixes it
 * (enable, update or install); nothing when it is usable.
 */
export function PluginNotice({ status, purpose }: { status: PluginStatus; purpose: string }) {
  const remedy = pluginRemedy(status);
  if (!remedy) return null;
  return (
    <div class="outcome outcome-warning plugin-notice" role="status" data-plugin-state={status.state}>
      <strong>
        The {status.name} plugin is {pluginStateText(status)} on this host.
      </strong>
      <p>To {purpose}, run this on the host, then come back:</p>
      <pre>
        <code class="remedy">{remedy}</code>
      </pre>
    </div>
  );
}
