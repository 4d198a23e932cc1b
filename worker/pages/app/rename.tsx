import type { CommandOutput } from "../../../protocol/ops.js";
import { ChangeDone } from "../outcome.js";
import { appUrl, hostUrl } from "../../urls.js";
import { PostForm } from "../post-form.js";
import { Section } from "../section.js";

/** Where the rename and clone forms post: host-level, so an app with a legacy name (not routable as an app) can be renamed too. */
export const renameUrl = (host: string) => hostUrl(host, "/apps/rename");
export const cloneUrl = (host: string) => hostUrl(host, "/apps/clone");

/** A rename or clone that ended: what happened, and a link to the app under its new name. */
export function Renamed({ host, title, app, result }: { host: string; title: string; app: string; result: CommandOutput }) {
  return (
    <ChangeDone title={title} result={result}>
      <p>
        <a href={appUrl(host, app)}>Open {app}</a>
      </p>
    </ChangeDone>
  );
}

/** A small form to rename an app whose legacy name Dokku no longer accepts (the apps list's "CLI only" rows). */
export function LegacyRename({ host, app }: { host: string; app: string }) {
  const action = renameUrl(host);
  return (
    <PostForm action={action} class="inline" target="next .result">
      <input type="hidden" name="app" value={app} />
      <label class="visually-hidden" for={`rename-${app}`}>
        New name for {app}
      </label>
      <input id={`rename-${app}`} name="new_name" required autocomplete="off" spellcheck={false} placeholder="new-name" />
      <button type="submit" class="small">
        Rename
      </button>
    </PostForm>
  );
}

/** The overview's rename and clone section (flags as Dokku names them), each form only where the policy allows it (`rename`, `clone`). */
export function RenameSection({ host, app, rename: mayRename, clone: mayClone }: { host: string; app: string; rename: boolean; clone: boolean }) {
  const rename = renameUrl(host);
  const clone = cloneUrl(host);
  if (!mayRename && !mayClone) return null;
  return (
    <Section name="rename" title="Rename or clone">
      <p>A rename moves the app, its config, domains and storage to the new name and removes the old one; a clone copies them to a new app.</p>
      {mayRename ? (
        <PostForm action={rename} class="inline" target="#rename-result" confirm={`Rename ${app}? Its old name stops working.`}>
          <input type="hidden" name="app" value={app} />
          <label for="rename-to">New name</label>
          <input id="rename-to" name="new_name" required autocomplete="off" spellcheck={false} placeholder={`${app}-new`} />
          <label>
            <input type="checkbox" name="skip_deploy" /> skip the deploy (--skip-deploy)
          </label>
          <button type="submit">Rename</button>
        </PostForm>
      ) : null}
      {mayClone ? (
        <PostForm action={clone} class="inline" target="#rename-result">
          <input type="hidden" name="app" value={app} />
          <label for="clone-to">Clone as</label>
          <input id="clone-to" name="new_name" required autocomplete="off" spellcheck={false} placeholder={`${app}-copy`} />
          <label>
            <input type="checkbox" name="skip_deploy" /> skip the deploy
          </label>
          <label>
            <input type="checkbox" name="ignore_existing" /> fine if it exists (--ignore-existing)
          </label>
          <button type="submit">Clone</button>
        </PostForm>
      ) : null}
      <div id="rename-result" class="result" aria-live="polite" hx-preserve></div>
    </Section>
  );
}
