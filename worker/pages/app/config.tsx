import type { HostStatus } from "../../hub/outcome.js";
import { RemoveButton } from "./shell.js";
import { appUrl } from "../../urls.js";
import { reloadsOn } from "../stale.js";
import { IfMay, type May } from "../may.js";
import { PostForm } from "../post-form.js";
import { Table } from "../table.js";
import { Section } from "../section.js";

/**
 * The keys only: values never reach the page until one is revealed, one at a time, as text.
 * Reloaded in place after a change.
 */
export function ConfigList({ host, app, keys, may }: { host: string; app: string; keys: string[]; may: May }) {
  const base = appUrl(host, app);
  return (
    <div id="config-list" {...reloadsOn(appUrl(host, app, "/config/list"), ["config.get"])}>
      {keys.length === 0 ? (
        <p>No variables set.</p>
      ) : (
        <Table class="config" columns={["Key", "Value", { hidden: "Remove" }]} wrap>
          {keys.map((key, i) => (
            <tr data-key={key}>
              <th data-label="Key" scope="row">
                <code>{key}</code>
              </th>
              <td data-label="Value" id={`cell-${i}`}>
                <span id={`val-${i}`} class="value masked">
                  ••••
                </span>{" "}
                <button
                  type="button"
                  class="small"
                  hx-get={`${base}/config/value?key=${key}`}
                  hx-target={`#val-${i}`}
                  hx-swap="outerHTML"
                  aria-label={`Reveal ${key}`}
                >
                  Reveal
                </button>{" "}
                <IfMay may={may} op="config.set" args={{ app }}>
                  <button type="button" class="small" hx-get={`${base}/config/edit?key=${key}`} hx-target={`#cell-${i}`} aria-label={`Edit ${key}`}>
                    Edit
                  </button>
                </IfMay>
              </td>
              <td data-label="">
                <IfMay may={may} op="config.unset" args={{ app }}>
                  <RemoveButton
                    action={`${base}/config/unset`}
                    target="#config-result"
                    include="#no-restart"
                    field="key"
                    value={key}
                    confirm={`Remove ${key}?`}
                  />
                </IfMay>
              </td>
            </tr>
          ))}
        </Table>
      )}
    </div>
  );
}

/** One revealed value, escaped text in a <code> (an empty value says so). */
export function RevealedValue({ id, value }: { id: string; value: string }) {
  return (
    <code id={id} class="value revealed">
      {value === "" ? <em>(empty)</em> : value}
    </code>
  );
}

/**
 * One value opened for editing in its own row: the current value as the textarea's text, saved
 * through the same config:set as the form below it. Cancel reloads the masked list.
 */
export function ConfigEditor({ host, app, name, value }: { host: string; app: string; name: string; value: string }) {
  const base = appUrl(host, app);
  return (
    <PostForm action={`${base}/config/set`} class="stack edit-value" target="#config-result" include="#no-restart">
      <input type="hidden" name="key" value={name} />
      <label for={`edit-${name}`} class="visually-hidden">
        New value for {name}
      </label>
      {/* HTML drops one newline right after <textarea>: lead with one so a value's own survives. */}
      <textarea id={`edit-${name}`} name="value" rows={2} spellcheck={false}>
        {`\n${value}`}
      </textarea>
      <span>
        <button type="submit" class="small">
          Save {name}
        </button>{" "}
        <button type="button" class="small" hx-get={`${base}/config/list`} hx-target="#config-list" hx-swap="outerHTML">
          Cancel
        </button>
      </span>
    </PostForm>
  );
}

/**
 * The form that sets one variable. Read again, empty, once a change made the app's config stale
 * (pages/stale.ts), so a value just set is not left in clear text in the page.
 */
export function SetVarForm({ host, app }: { host: string; app: string }) {
  const base = appUrl(host, app);
  return (
    <div id="set-var" {...reloadsOn(appUrl(host, app, "/config/set-form"), ["config.get"])}>
      <PostForm action={`${base}/config/set`} class="stack" target="#set-result" include="#no-restart">
        <label for="set-key">Key</label>
        <input id="set-key" name="key" required pattern="[A-Za-z_][A-Za-z0-9_]*" autocomplete="off" spellcheck={false} />
        <label for="set-value">Value (adds the key, or replaces its value)</label>
        <textarea id="set-value" name="value" rows={2} spellcheck={false}></textarea>
        <button type="submit">Set</button>
      </PostForm>
    </div>
  );
}

/**
 * The paste-a-.env form and its preview (which shows the values): both read again, empty, once a
 * change made the app's config stale, so pasted secrets do not stay in the page.
 */
export function BulkForm({ host, app }: { host: string; app: string }) {
  const base = appUrl(host, app);
  return (
    <div id="bulk-part" {...reloadsOn(appUrl(host, app, "/config/bulk-form"), ["config.get"])}>
      <PostForm action={`${base}/config/bulk/preview`} class="stack" target="#bulk-result">
        <label for="bulk-lines">
          A <code>.env</code> file, read as dotenv reads it: <code>KEY=value</code> lines, <code>export</code> and <code># comments</code> dropped, quotes
          removed, quoted values may span lines. You see what will be set before it is set.
        </label>
        <textarea id="bulk-lines" name="lines" rows={6} spellcheck={false} required></textarea>
        <button type="submit">Preview</button>
      </PostForm>
      <div id="bulk-result" class="result" aria-live="polite"></div>
    </div>
  );
}

/** The Config tab's content (inside the app's shell). */
export function ConfigBody({ host, app, keys, may }: { host: HostStatus; app: string; keys: string[]; may: May }) {
  return (
    <>
      <Section name="vars" title="Environment variables">
        <p class="option">
          <input type="checkbox" id="no-restart" name="no_restart" value="on" />
          <label for="no-restart">Don't restart the app after a change (it takes effect on the next deploy)</label>
        </p>
        <ConfigList host={host.host} app={app} keys={keys} may={may} />
        <div id="config-result" class="result" aria-live="polite"></div>
      </Section>

      <IfMay may={may} op="config.set" args={{ app }}>
        <Section name="set" title="Set a variable">
          <SetVarForm host={host.host} app={app} />
          <div id="set-result" class="result" aria-live="polite"></div>
        </Section>

        <Section name="bulk" title="Paste several">
          <BulkForm host={host.host} app={app} />
          <div id="bulk-set-result" class="result" aria-live="polite"></div>
        </Section>
      </IfMay>
    </>
  );
}

/**
 * What a pasted .env will set, before it is set: each key, and its value as dotenv read it (behind
 * a disclosure: it is a secret the user just pasted), then one button that sets them all. The
 * pasted text travels again in a hidden field, and is read the same way again when set.
 */
export function BulkPreview({ host, app, vars, text }: { host: string; app: string; vars: Record<string, string>; text: string }) {
  const base = appUrl(host, app);
  const keys = Object.keys(vars).sort();
  return (
    <div class="bulk-preview">
      <p>
        {keys.length === 1 ? "1 variable" : `${keys.length} variables`} will be set{keys.length > 0 ? ":" : "."}
      </p>
      <Table class="config preview" columns={["Key", "Value as it will be stored"]} wrap>
        {keys.map((k) => (
          <tr data-key={k}>
            <th data-label="Key" scope="row">
              <code>{k}</code>
            </th>
            <td data-label="Stored as">
              <details>
                <summary>
                  {vars[k]!.length} characters{vars[k]!.includes("\n") ? `, ${vars[k]!.split("\n").length} lines` : ""}
                </summary>
                <pre class="value">{vars[k]}</pre>
              </details>
            </td>
          </tr>
        ))}
      </Table>
      {/* the answer goes beside the preview: a form that replaced itself would lose its own streamed output */}
      <PostForm action={`${base}/config/bulk`} target="#bulk-set-result" include="#no-restart">
        <input type="hidden" name="lines" value={text} />
        <button type="submit">Set {keys.length === 1 ? "this variable" : `these ${keys.length} variables`}</button>
      </PostForm>
    </div>
  );
}
