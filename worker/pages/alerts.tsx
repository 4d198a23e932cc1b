import type { Alert } from "../alerts/alert-store.js";
import { alertSettingsUrl, alertUrl } from "../urls.js";
import { utcTime } from "./time.js";
import { Section } from "./section.js";

/** An alert's state in words: open since T, acknowledged by X at T, or resolved at T. */
function stateOf(a: Alert): { state: "open" | "acknowledged" | "resolved"; text: string } {
  if (a.resolvedAt !== null) return { state: "resolved", text: `resolved ${utcTime(a.resolvedAt)} (open since ${utcTime(a.openedAt)})` };
  if (a.ackedAt !== null)
    return { state: "acknowledged", text: `acknowledged by ${a.ackedBy ?? "someone"} ${utcTime(a.ackedAt)}, open since ${utcTime(a.openedAt)}` };
  return { state: "open", text: `open since ${utcTime(a.openedAt)}` };
}

/**
 * A host's alerts on its dashboard (worker/alerts/): open ones first with Acknowledge, then the
 * newest resolved. Acknowledging swaps this section for itself, as it now is.
 */
export function AlertsSection({ host, alerts, manages }: { host: string; alerts: Alert[]; manages: boolean }) {
  const open = alerts.filter((a) => a.resolvedAt === null).length;
  return (
    <Section name="alerts" title={`Alerts${open > 0 ? ` (${open} open)` : ""}`} id="alerts">
      {alerts.length === 0 ? <p>No alerts. The host is checked every 5 minutes.</p> : null}
      {alerts.length === 0 ? null : (
        <ul class="alerts">
          {alerts.map((a) => {
            const s = stateOf(a);
            return (
              <li class={`alert alert-${s.state}`} data-alert={a.key} data-state={s.state}>
                <strong>{a.message}</strong> <span class="muted">— {s.text}</span>
                {s.state === "open" ? (
                  <form
                    method="post"
                    action={alertUrl(host, a.id, "/ack")}
                    class="inline"
                    hx-post={alertUrl(host, a.id, "/ack")}
                    hx-target="#alerts"
                    hx-swap="outerHTML"
                  >
                    <button type="submit">Acknowledge</button>
                  </form>
                ) : null}
              </li>
            );
          })}
        </ul>
      )}
      {manages ? (
        <p>
          <a href={alertSettingsUrl()}>Where alerts go</a>
        </p>
      ) : null}
    </Section>
  );
}
