import { ALERT_LIMITS } from "../alerts/conditions.js";
import { CHANNEL_KINDS, type ChannelRecord } from "../alerts/channels.js";
import { alertSettingsUrl } from "../urls.js";
import { Layout } from "./layout.js";
import { utcTime } from "./time.js";
import { Notices } from "./notice.js";

const KIND_TEXT: Record<(typeof CHANNEL_KINDS)[number], string> = {
  webhook: "JSON webhook (POST of the alert as JSON; key: an optional bearer token)",
  slack: "Slack (an incoming webhook URL)",
  discord: "Discord (a channel webhook URL)",
  ntfy: "ntfy (the topic's URL, e.g. https://ntfy.sh/TOPIC; key: an optional access token)",
  email: "E-mail through an HTTP mail API (its send URL, e.g. https://api.resend.com/emails; key: its API key; from and to)",
};

/**
 * Where alerts go (`/alerts`, the owner's): each channel with Send a test and Remove, and a form to
 * add one. `notice` is how the last action went (a test's answer).
 */
export function AlertSettingsPage({ channels, notice, error }: { channels: ChannelRecord[]; notice?: string; error?: string }) {
  const l = ALERT_LIMITS;
  return (
    <Layout title="Alerts">
      <h1>Where alerts go</h1>
      <p>
        Every host is checked every 5 minutes from what its relay reports: the relay offline for {l.offlineMinutes} min, an app that was running and is not, a
        certificate expiring within {l.certDays} days or a renewal overdue, disk or memory at {l.diskPercent}% or more for {l.sustainMinutes} min, a failed
        deploy. Each alert is sent once to every channel when it opens, and once when it resolves.
      </p>
      <Notices notice={notice} error={error} />
      {channels.length === 0 ? (
        <p>No channel yet: alerts show on each host's dashboard only.</p>
      ) : (
        <ul class="channels">
          {channels.map((ch) => (
            <li data-channel={ch.id}>
              <strong>{ch.name}</strong> ({ch.kind}, {ch.where}, added {utcTime(ch.createdAt)}){" "}
              <form method="post" action={alertSettingsUrl(ch.id, "/test")} class="inline">
                <button type="submit">Send a test</button>
              </form>{" "}
              <form method="post" action={alertSettingsUrl(ch.id, "/remove")} class="inline">
                <button type="submit">Remove</button>
              </form>
            </li>
          ))}
        </ul>
      )}
      <h2>Add a channel</h2>
      <form method="post" action={alertSettingsUrl()} class="stack channel-form">
        <label for="ch-kind">Kind</label>
        <select id="ch-kind" name="kind">
          {CHANNEL_KINDS.map((k) => (
            <option value={k}>{KIND_TEXT[k]}</option>
          ))}
        </select>
        <label for="ch-name">Name</label>
        <input id="ch-name" name="name" maxlength={60} required />
        <label for="ch-url">URL (kept sealed; shown as its host only)</label>
        <input id="ch-url" name="url" type="url" maxlength={1000} required />
        <label for="ch-token">Key or token (kept sealed)</label>
        <input id="ch-token" name="token" type="password" maxlength={500} autocomplete="off" />
        <label for="ch-from">E-mail from</label>
        <input id="ch-from" name="from" type="email" maxlength={254} />
        <label for="ch-to">E-mail to</label>
        <input id="ch-to" name="to" type="email" maxlength={254} />
        <button type="submit">Add channel</button>
      </form>
    </Layout>
  );
}
