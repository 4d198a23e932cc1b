import { IfMay } from "../may.js";
import { PostForm } from "../post-form.js";
import { ReadPart, type AppRead } from "../read-part.js";
import { RemoveButton } from "./shell.js";
import { appUrl } from "../../urls.js";

/** The app's buildpacks in the order they run, each removable; none means Dokku detects one. */
export function BuildpackList({ host, app, report, historyHref, may }: AppRead<"buildpacks.report">) {
  const base = appUrl(host, app);
  return (
    <ReadPart
      id="buildpack-list"
      href={`${base}/deploy/buildpacks`}
      reads={["buildpacks.report"]}
      outcome={report}
      historyHref={historyHref}
      show={({ buildpacks: list }) =>
        list.length === 0 ? (
          <p>None set: Dokku detects the buildpack on each deploy (herokuish and pack builders).</p>
        ) : (
          <>
            <ol class="rows">
              {list.map((b) => (
                <li data-buildpack={b}>
                  <code>{b}</code>
                  <IfMay may={may} op="buildpacks.remove" args={{ app }}>
                    <RemoveButton
                      action={`${base}/deploy/buildpacks/remove`}
                      target="#buildpacks-result"
                      field="url"
                      value={b}
                      confirm={`Remove the buildpack ${b}?`}
                    />
                  </IfMay>
                </li>
              ))}
            </ol>
            <IfMay may={may} op="buildpacks.clear" args={{ app }}>
              <PostForm action={`${base}/deploy/buildpacks/clear`} target="#buildpacks-result" confirm="Remove every buildpack? Dokku will detect one again.">
                <button type="submit" class="small">
                  Clear all
                </button>
              </PostForm>
            </IfMay>
          </>
        )
      }
    />
  );
}

/** The Deploy tab's buildpacks: the list, and a form to add one at a position. */
export function Buildpacks(props: AppRead<"buildpacks.report">) {
  const { app, may } = props;
  return (
    <div class="buildpacks">
      <h3 id="buildpacks-h">Buildpacks</h3>
      <BuildpackList {...props} />
      <div id="buildpacks-result" class="result" aria-live="polite"></div>
      <IfMay may={may} op="buildpacks.add" args={{ app }}>
        <PostForm action={`${appUrl(props.host, app)}/deploy/buildpacks/add`} class="inline" labelledby="buildpacks-h" target="#buildpacks-result">
          <label for="buildpack-url">Buildpack</label>
          <input id="buildpack-url" name="url" required autocomplete="off" spellcheck={false} placeholder="heroku/nodejs or https://…" />
          <label for="buildpack-index">Position</label>
          <input id="buildpack-index" name="index" type="number" min="1" max="100" inputmode="numeric" class="port" placeholder="last" />
          <button type="submit">Add buildpack</button>
        </PostForm>
      </IfMay>
    </div>
  );
}
