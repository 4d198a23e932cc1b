import { DOKKU_STORAGE_DIR } from "../../../protocol/host-paths.js";
import { CHOWN_OPTIONS, STORAGE_ENTRIES_SINCE } from "../../../protocol/ops/storage.js";
import type { Outcome } from "../../hub/outcome.js";
import { appUrl } from "../../urls.js";
import { IfMay, type May } from "../may.js";
import { PostForm } from "../post-form.js";
import { ReadPart, type AppRead } from "../read-part.js";
import { Section } from "../section.js";

export const STORAGE_RESULT = "storage-result";

/** What a mount needs to take effect (Dokku writes the docker options; running containers keep their old mounts). */
export const STORAGE_TAKES_EFFECT = "Restart or deploy the app for it to apply.";

/** Whether a Dokku version has named storage entries (unknown: offered, and Dokku's own answer says if not). */
export function hasStorageEntries(dokkuVersion: string | null): boolean {
  if (dokkuVersion === null) return true;
  const [a = 0, b = 0] = dokkuVersion.split(".").map(Number);
  const [x = 0, y = 0] = STORAGE_ENTRIES_SINCE.split(".").map(Number);
  return a > x || (a === x && b >= y);
}

const CHOWN_HINT: Record<(typeof CHOWN_OPTIONS)[number], string> = {
  herokuish: "herokuish (uid 32767)",
  heroku: "heroku (uid 1000)",
  paketo: "paketo (uid 2000)",
  root: "root (uid 0)",
  false: "leave the owner as it is",
};

function ChownSelect({ id }: { id: string }) {
  return (
    <div>
      <label for={id}>Owner</label>
      <select id={id} name="chown">
        {CHOWN_OPTIONS.map((o) => (
          <option value={o}>{CHOWN_HINT[o]}</option>
        ))}
      </select>
    </div>
  );
}

/** The app's mounts (host path shown as it is), each with its Unmount; read again when a change made them stale. */
export function StorageMounts({ host, app, list, historyHref, may }: Omit<AppRead<"storage.list">, "report"> & { list: Outcome<"storage.list"> }) {
  const action = appUrl(host, app, "/storage/unmount");
  return (
    <ReadPart
      id="storage-mounts"
      href={appUrl(host, app, "/storage/mounts")}
      reads={["storage.list"]}
      outcome={list}
      historyHref={historyHref}
      host={host}
      show={({ mounts }) =>
        mounts.length === 0 ? (
          <p class="muted">Nothing mounted: the app's files live only as long as each container.</p>
        ) : (
          <ul class="rows">
            {mounts.map((m) => (
              <li data-mount={m.containerPath}>
                <span>
                  <code>{m.hostPath}</code> → <code>{m.containerPath}</code>
                  {m.readonly ? " (read-only)" : ""}
                  {m.options ? ` (${m.options})` : ""}
                  {m.entry && !m.entry.startsWith("legacy-") ? <span class="muted"> entry {m.entry}</span> : ""}
                </span>
                <IfMay may={may} op="storage.unmount" args={{ app }}>
                  <PostForm
                    action={action}
                    target={`#${STORAGE_RESULT}`}
                    confirm={`Unmount ${m.hostPath} from ${m.containerPath}? The files stay on the host.`}
                  >
                    {m.entry && !m.entry.startsWith("legacy-") ? (
                      <input type="hidden" name="entry" value={m.entry} />
                    ) : (
                      <>
                        <input type="hidden" name="host_path" value={m.hostPath} />
                        <input type="hidden" name="options" value={[m.readonly ? "ro" : "", m.options].filter((x) => x).join(",")} />
                      </>
                    )}
                    <input type="hidden" name="container_path" value={m.containerPath} />
                    <button type="submit" class="small" aria-label={`Unmount ${m.containerPath}`}>
                      Unmount
                    </button>
                  </PostForm>
                </IfMay>
              </li>
            ))}
          </ul>
        )
      }
    />
  );
}

/** Dokku 0.38's named storage entries (host-wide), each with Destroy behind a confirmation. */
export function StorageEntries({ host, app, entries, historyHref, may }: Omit<AppRead<"storage.entries">, "report"> & { entries: Outcome<"storage.entries"> }) {
  const action = appUrl(host, app, "/storage/destroy");
  return (
    <ReadPart
      id="storage-entries"
      href={appUrl(host, app, "/storage/entries")}
      reads={["storage.entries"]}
      outcome={entries}
      historyHref={historyHref}
      host={host}
      show={(r) =>
        r.entries.length === 0 ? (
          <p class="muted">No storage entries on this host.</p>
        ) : (
          <ul class="rows">
            {r.entries.map((e) => (
              <li data-entry={e.name}>
                <span>
                  <strong>{e.name}</strong> <code>{e.hostPath || "—"}</code>
                  {e.chown ? <span class="muted"> owner {e.chown}</span> : ""}
                </span>
                <IfMay may={may} op="storage.destroy" args={{}}>
                  <PostForm
                    action={action}
                    target={`#${STORAGE_RESULT}`}
                    confirm={`Destroy the storage entry ${e.name}? Dokku refuses while an app mounts it. With "and its directory" ticked, ${e.hostPath || "its directory"} and every file in it are deleted.`}
                    class="inline"
                  >
                    <input type="hidden" name="name" value={e.name} />
                    <label>
                      <input type="checkbox" name="destroy_host_dir" value="true" /> and its directory
                    </label>
                    <button type="submit" class="small danger" aria-label={`Destroy ${e.name}`}>
                      Destroy
                    </button>
                  </PostForm>
                </IfMay>
              </li>
            ))}
          </ul>
        )
      }
    />
  );
}

/**
 * The Settings tab's storage section: the app's mounts and a form to add one (host paths checked:
 * never /, system directories, the docker socket or Dokku's own folders), the host directory made
 * by Dokku's own command, and on 0.38 the host's named entries.
 */
export function StorageSection(props: {
  host: string;
  app: string;
  list: Outcome<"storage.list">;
  entries: Outcome<"storage.entries"> | null;
  dokkuVersion: string | null;
  historyHref: string;
  may: May;
}) {
  const { host, app, may } = props;
  const mount = appUrl(host, app, "/storage/mount");
  const dir = appUrl(host, app, "/storage/directory");
  const create = appUrl(host, app, "/storage/create");
  const form = (action: string, label: string) => ({ action, target: `#${STORAGE_RESULT}`, class: "inline", label });
  return (
    <Section name="storage" title="Storage">
      <p class="muted">
        Host directories mounted into the app's containers (deploy and run). {STORAGE_TAKES_EFFECT} Mounting <code>/</code>, a system directory, the docker
        socket or Dokku's own folders is refused: each would hand the app the host. Keep app data in <code>{DOKKU_STORAGE_DIR}/NAME</code>.
      </p>
      <StorageMounts host={host} app={app} list={props.list} historyHref={props.historyHref} may={may} />
      <IfMay may={may} op="storage.mount" args={{ app }}>
        <PostForm {...form(mount, "Mount a host directory")}>
          <div>
            <label for="storage-host">Host path</label>
            <input id="storage-host" name="host_path" placeholder={`${DOKKU_STORAGE_DIR}/${app}`} autocomplete="off" spellcheck={false} />
          </div>
          {props.entries?.kind === "ok" && props.entries.result.entries.length > 0 ? (
            <div>
              <label for="storage-entry">or entry</label>
              <select id="storage-entry" name="entry">
                <option value="">—</option>
                {props.entries.result.entries.map((e) => (
                  <option value={e.name}>{e.name}</option>
                ))}
              </select>
            </div>
          ) : (
            ""
          )}
          <div>
            <label for="storage-container">Container path</label>
            <input id="storage-container" name="container_path" placeholder="/app/storage" autocomplete="off" spellcheck={false} />
          </div>
          <label>
            <input type="checkbox" name="readonly" value="true" /> read-only
          </label>
          <button type="submit">Mount</button>
        </PostForm>
      </IfMay>
      <IfMay may={may} op="storage.ensureDirectory" args={{ app }}>
        <PostForm {...form(dir, "Make a storage directory")}>
          <div>
            <label for="storage-dir">Directory in {DOKKU_STORAGE_DIR}</label>
            <input id="storage-dir" name="name" placeholder={app.replace(/[^A-Za-z0-9_-]/g, "-")} autocomplete="off" spellcheck={false} />
          </div>
          <ChownSelect id="storage-dir-chown" />
          <button type="submit">Make directory</button>
        </PostForm>
      </IfMay>
      <div id={STORAGE_RESULT} class="result" aria-live="polite"></div>
      <h3 id="storage-entries-h">Storage entries</h3>
      {props.entries === null ? (
        <p class="muted">
          Named storage entries need Dokku {STORAGE_ENTRIES_SINCE} or later{props.dokkuVersion ? ` (this host runs ${props.dokkuVersion})` : ""}.
        </p>
      ) : (
        <>
          <p class="muted">Named directories registered with Dokku, shared by any app that mounts them (host-wide).</p>
          <StorageEntries host={host} app={app} entries={props.entries} historyHref={props.historyHref} may={may} />
          <IfMay may={may} op="storage.create" args={{}}>
            <PostForm {...form(create, "Create a storage entry")}>
              <div>
                <label for="storage-entry-name">Entry name</label>
                <input id="storage-entry-name" name="name" placeholder="uploads" autocomplete="off" spellcheck={false} />
              </div>
              <div>
                <label for="storage-entry-path">Host path (empty: {DOKKU_STORAGE_DIR}/NAME)</label>
                <input id="storage-entry-path" name="host_path" autocomplete="off" spellcheck={false} />
              </div>
              <ChownSelect id="storage-entry-chown" />
              <button type="submit">Create entry</button>
            </PostForm>
          </IfMay>
        </>
      )}
    </Section>
  );
}
