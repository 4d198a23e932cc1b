import { RESOURCES_TAKE_EFFECT, type ResourceEntry } from "../../../protocol/ops/resources.js";
import { appUrl } from "../../urls.js";
import { IfMay } from "../may.js";
import { PostForm } from "../post-form.js";
import { ReadPart, type AppRead } from "../read-part.js";
import { Section } from "../section.js";

export const RESOURCES_RESULT = "resources-result";

const typeLabel = (t: string) => (t === "_default_" ? "all processes" : t);
const kindLabel = (k: string) => (k === "limit" ? "limits" : "reservations");

/** Entries grouped by process type and kind, in report order. */
function groups(entries: ResourceEntry[]): Array<{ processType: string; kind: string; values: ResourceEntry[] }> {
  const out: Array<{ processType: string; kind: string; values: ResourceEntry[] }> = [];
  for (const e of entries) {
    const g = out.find((x) => x.processType === e.processType && x.kind === e.kind);
    if (g) g.values.push(e);
    else out.push({ processType: e.processType, kind: e.kind, values: [e] });
  }
  return out;
}

/** The limits and reservations set, each group with its Clear; read again when a change made it stale (pages/stale.ts). */
export function ResourceList({ host, app, report, historyHref, may }: AppRead<"resources.report">) {
  const action = appUrl(host, app, "/resources/clear");
  return (
    <ReadPart
      id="resource-list"
      href={appUrl(host, app, "/resources/list")}
      reads={["resources.report"]}
      outcome={report}
      historyHref={historyHref}
      host={host}
      show={(r) => {
        const list = groups(r.entries);
        return list.length === 0 ? (
          <p class="muted">No limits or reservations: the app's containers may use what the host has.</p>
        ) : (
          <ul class="rows">
            {list.map((g) => (
              <li data-resources={`${g.processType}.${g.kind}`}>
                <span>
                  <strong>{typeLabel(g.processType)}</strong> {kindLabel(g.kind)}: {g.values.map((v) => `${v.resource} ${v.value}`).join(", ")}
                </span>
                <IfMay may={may} op="resources.clear" args={{ app }}>
                  <PostForm action={action} target={`#${RESOURCES_RESULT}`} confirm={`Clear the ${kindLabel(g.kind)} of ${typeLabel(g.processType)}?`}>
                    <input type="hidden" name="process_type" value={g.processType} />
                    <input type="hidden" name="kind" value={g.kind} />
                    <button type="submit" class="small" aria-label={`Clear ${kindLabel(g.kind)} of ${typeLabel(g.processType)}`}>
                      Clear
                    </button>
                  </PostForm>
                </IfMay>
              </li>
            ))}
          </ul>
        );
      }}
    />
  );
}

/** The Settings tab's resources section: what is set, and a form to set CPU and memory per process type. */
export function ResourcesSection(props: AppRead<"resources.report">) {
  const action = appUrl(props.host, props.app, "/resources/set");
  return (
    <Section name="resources" title="Resources">
      <p class="muted">CPU and memory each process may use (limits) or is promised (reservations). {RESOURCES_TAKE_EFFECT}</p>
      <ResourceList {...props} />
      <IfMay may={props.may} op="resources.set" args={{ app: props.app }}>
        <PostForm action={action} target={`#${RESOURCES_RESULT}`} class="inline" label="Set resources">
          <div>
            <label for="resource-kind">Kind</label>
            <select id="resource-kind" name="kind">
              <option value="limit">limit</option>
              <option value="reserve">reservation</option>
            </select>
          </div>
          <div>
            <label for="resource-type">Process type</label>
            <input id="resource-type" name="process_type" placeholder="all processes" autocomplete="off" />
          </div>
          <div>
            <label for="resource-cpu">CPUs</label>
            <input id="resource-cpu" name="cpu" placeholder="e.g. 0.5" inputmode="decimal" autocomplete="off" />
          </div>
          <div>
            <label for="resource-memory">Memory</label>
            <input id="resource-memory" name="memory" placeholder="e.g. 512m" autocomplete="off" />
          </div>
          <button type="submit">Set</button>
        </PostForm>
      </IfMay>
      <div id={RESOURCES_RESULT} class="result" aria-live="polite"></div>
    </Section>
  );
}
