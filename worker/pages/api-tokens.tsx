import type { HostRef } from "../hub/outcome.js";
import type { ApiToken } from "../team/api-tokens.js";
import { MAX_TOKEN_DAYS } from "../team/api-tokens.js";
import { apiTokenUrl } from "../urls.js";
import { Layout } from "./layout.js";
import { utcTime } from "./time.js";
import { Notices } from "./notice.js";
import { Table } from "./table.js";

/** A token's state as its list says it. */
function stateOf(t: ApiToken, now: number): string {
  if (t.revokedAt !== null) return `revoked ${utcTime(t.revokedAt)}`;
  if (t.expiresAt <= now) return `expired ${utcTime(t.expiresAt)}`;
  return `expires ${utcTime(t.expiresAt)}`;
}

/**
 * The signed-in user's API tokens (Account → API tokens): each with its scope, expiry and when it
 * was last used, Revoke; a form to make one; `made` is a token just made, shown this once.
 */
export function ApiTokensPage(props: { tokens: ApiToken[]; hosts: HostRef[]; now: number; made?: { token: string; name: string }; error?: string }) {
  const { tokens, hosts, now, made, error } = props;
  return (
    <Layout title="API tokens">
      <h1>API tokens</h1>
      <p>
        A token lets CI and scripts use the JSON API (<a href="/api/v1/openapi.json">/api/v1/openapi.json</a>) as you, on one host or one app on it, never doing
        more than you may. Send it as <code>Authorization: Bearer dlt_…</code>. <a href="/account">Back to the account page</a>
      </p>
      {made ? (
        <section class="outcome outcome-ok token-made" role="status">
          <p>
            Token <strong>{made.name}</strong> made. Copy it now: it is shown only this once (only its hash is kept).
          </p>
          <p>
            <code class="api-token">{made.token}</code>
          </p>
        </section>
      ) : null}
      <Notices error={error} />
      {tokens.length === 0 ? (
        <p>You have no tokens.</p>
      ) : (
        <Table class="api-tokens" columns={["Name", "Token", "Scope", "State", "Last used", { hidden: "Revoke" }]}>
          {tokens.map((t) => (
            <tr data-token={t.id}>
              <td data-label="Name">{t.name}</td>
              <td data-label="Token">
                <code>{t.prefix}…</code>
              </td>
              <td data-label="Scope">{t.app === null ? `host ${t.host}` : `app ${t.app} on ${t.host}`}</td>
              <td data-label="State">{stateOf(t, now)}</td>
              <td data-label="Last used">{t.lastUsedAt === null ? "never" : utcTime(t.lastUsedAt)}</td>
              <td data-label="">
                {t.revokedAt === null ? (
                  <form method="post" action={apiTokenUrl(t.id, "/revoke")} class="inline">
                    <button type="submit">Revoke</button>
                  </form>
                ) : null}
              </td>
            </tr>
          ))}
        </Table>
      )}
      <h2>Make a token</h2>
      {hosts.length === 0 ? (
        <p>You hold no grant on any host.</p>
      ) : (
        <form method="post" action={apiTokenUrl()} class="token-form">
          <label for="token-name">Name</label>
          <input id="token-name" name="name" maxlength={60} required placeholder="GitHub Actions deploy" />
          <label for="token-host">Host</label>
          <select id="token-host" name="host">
            {hosts.map((h) => (
              <option value={h.id}>{h.name}</option>
            ))}
          </select>
          <label for="token-app">App (empty: the whole host)</label>
          <input id="token-app" name="app" maxlength={63} />
          <label for="token-days">Expires in (days)</label>
          <input id="token-days" name="days" type="number" min={1} max={MAX_TOKEN_DAYS} value="90" required />
          <button type="submit">Make token</button>
        </form>
      )}
    </Layout>
  );
}
