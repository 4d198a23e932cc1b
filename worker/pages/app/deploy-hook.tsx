import type { Delivery } from "../../hooks/hook-store.js";
import type { HookView } from "../../hooks/deploy-hooks.js";
import { appUrl, deployHookUrl, opUrl } from "../../urls.js";
import { utcTime } from "../time.js";
import { Table } from "../table.js";

const OUTCOME_BADGE: Record<Delivery["outcome"], string> = {
  deployed: "up",
  queued: "idle",
  superseded: "idle",
  ignored: "idle",
  refused: "down",
  failed: "down",
};

/**
 * The Deploy tab's "Push to deploy" section: the app's deploy hook (the repository and branch it
 * follows, its URL, how to add it in GitHub, GitLab and Gitea/Forgejo), the form that sets it, and
 * every delivery it received with what was done and why. `secret`: only in the answer that set it
 * (shown once; the edge keeps it sealed). `origin`: the edge's, for the hook's absolute URL.
 */
export function PushToDeploy(props: {
  host: string;
  app: string;
  origin: string;
  hook: HookView | null;
  deliveries: Delivery[];
  secret?: string;
  live: boolean;
}) {
  const { host, app, hook, live } = props;
  const action = appUrl(host, app, "/deploy/hook");
  return (
    <section id="push-deploy" aria-labelledby="push-h">
      <h2 id="push-h">Push to deploy</h2>
      {hook ? <HookDetails {...props} hook={hook} /> : <p class="muted">No deploy hook: a push to the repository deploys nothing until one is set.</p>}
      {live ? (
        <form method="post" action={action} class="stack" hx-post={action} hx-target="#push-deploy" hx-swap="outerHTML" hx-disable="find button">
          <label for="hook-repo">
            Repository (no credentials in it: give the host access with <code>dokku git:auth</code>)
          </label>
          <input
            id="hook-repo"
            name="repo"
            required
            autocomplete="off"
            spellcheck={false}
            value={hook?.repo ?? ""}
            placeholder="https://github.com/you/app.git"
          />
          <label for="hook-branch">Branch it follows</label>
          <input id="hook-branch" name="branch" required autocomplete="off" spellcheck={false} value={hook?.branch ?? "main"} />
          <button type="submit">{hook ? "Save, with a new secret" : "Create the deploy hook"}</button>
        </form>
      ) : null}
      {hook && live ? (
        <form
          method="post"
          action={`${action}/remove`}
          hx-post={`${action}/remove`}
          hx-target="#push-deploy"
          hx-swap="outerHTML"
          hx-confirm="Remove the deploy hook? Pushes will no longer deploy."
        >
          <button type="submit" class="danger">
            Remove the deploy hook
          </button>
        </form>
      ) : null}
      <HookDeliveries host={host} app={app} deliveries={props.deliveries} watching={hook !== null} />
    </section>
  );
}

function HookDetails({ host, origin, hook, secret }: { host: string; origin: string; hook: HookView; secret?: string }) {
  const url = `${origin}${deployHookUrl(host, hook.id)}`;
  return (
    <>
      <dl class="hook">
        <dt>Follows</dt>
        <dd>
          <code>{hook.branch}</code> of <code>{hook.repo}</code>
        </dd>
        <dt>Hook URL</dt>
        <dd>
          <pre class="copy hook-url">{url}</pre>
        </dd>
        <dt>Set</dt>
        <dd>
          {utcTime(hook.createdAt)} by {hook.createdBy}
        </dd>
      </dl>
      {secret ? (
        <div class="outcome outcome-ok" role="status">
          <strong>The hook's secret, shown this once: copy it into your Git host now.</strong>
          <pre class="copy hook-secret">{secret}</pre>
        </div>
      ) : null}
      <details class="hook-howto">
        <summary>How to add it in GitHub, GitLab or Gitea/Forgejo</summary>
        <ul>
          <li>
            <strong>GitHub</strong>: the repository's Settings → Webhooks → Add webhook. Payload URL: the hook URL; Content type: <code>application/json</code>;
            Secret: the secret; "Just the push event".
          </li>
          <li>
            <strong>GitLab</strong>: the project's Settings → Webhooks → Add new webhook. URL: the hook URL; Secret token: the secret; Trigger: Push events
            (branch <code>{hook.branch}</code>).
          </li>
          <li>
            <strong>Gitea / Forgejo</strong>: the repository's Settings → Webhooks → Add webhook → Gitea (or Forgejo). Target URL: the hook URL; POST content
            type: <code>application/json</code>; Secret: the secret; Trigger on: Push events; Branch filter: <code>{hook.branch}</code>.
          </li>
        </ul>
        <p class="muted">A lost secret cannot be shown again: save the hook to make a new one (the URL changes too).</p>
      </details>
    </>
  );
}

/**
 * The hook's deliveries, newest first. While a hook is set (`watching`) the list reads itself again
 * every 5 s (`…/deploy/hook/deliveries`, from the HostHub's storage: no trip to the host), so a push
 * shows up as it arrives, without touching the form or a secret shown once beside it.
 */
export function HookDeliveries({ host, app, deliveries, watching }: { host: string; app: string; deliveries: Delivery[]; watching: boolean }) {
  const poll = watching ? { "hx-get": appUrl(host, app, "/deploy/hook/deliveries"), "hx-trigger": "every 5s", "hx-swap": "outerHTML" } : {};
  return (
    <div id="hook-deliveries" {...poll}>
      <DeliveryTable host={host} deliveries={deliveries} />
    </div>
  );
}

function DeliveryTable({ host, deliveries }: { host: string; deliveries: Delivery[] }) {
  if (deliveries.length === 0) return <p class="muted">No deliveries yet.</p>;
  return (
    <Table class="deliveries" columns={["Received", "From", "Push", "What was done"]} caption="Deliveries, newest first">
      {deliveries.map((d) => (
        <tr data-outcome={d.outcome}>
          <td data-label="Received">{utcTime(d.at)}</td>
          <td data-label="From">
            {d.sender ?? "unknown"}
            {d.deliveryId ? <span class="muted"> {d.deliveryId.slice(0, 12)}</span> : null}
          </td>
          <td data-label="Push">{d.sha ? `${d.branch ?? "?"} @ ${d.sha.slice(0, 7)} by ${d.by ?? "?"}` : (d.branch ?? "—")}</td>
          <td data-label="What was done">
            <span class={`badge ${OUTCOME_BADGE[d.outcome]}`}>{d.outcome}</span> <span class="reason">{d.reason}</span>
            {d.opId ? (
              <>
                {" "}
                <a href={opUrl(host, d.opId)}>the deploy</a>
              </>
            ) : null}
          </td>
        </tr>
      ))}
    </Table>
  );
}
