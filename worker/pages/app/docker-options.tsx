import { DOCKER_OPTIONS_PROCESS_SINCE, DOCKER_PHASES } from "../../../protocol/ops/docker-options.js";
import { appUrl } from "../../urls.js";
import { IfMay } from "../may.js";
import { PostForm } from "../post-form.js";
import { ReadPart, type AppRead } from "../read-part.js";
import { Section } from "../section.js";

export const DOCKER_OPTIONS_RESULT = "docker-options-result";

/** What an option change needs to take effect. */
export const DOCKER_OPTIONS_TAKE_EFFECT = "Applies at the next build (build phase) or deploy (deploy and run).";

const PHASE_LABEL: Record<(typeof DOCKER_PHASES)[number], string> = {
  build: "build (docker build)",
  deploy: "deploy (the app's containers)",
  run: "run (dokku run containers)",
};

/** Whether the host's Dokku scopes options per process type (0.38.0+; a version not known: offered, Dokku's answer says if not). */
export function hasProcessOptions(dokkuVersion: string | null): boolean {
  if (dokkuVersion === null) return true;
  const [a = 0, b = 0] = dokkuVersion.split(".").map(Number);
  const [x = 0, y = 0] = DOCKER_OPTIONS_PROCESS_SINCE.split(".").map(Number);
  return a > x || (a === x && b >= y);
}

/** One option's row and its Remove (the option exactly as listed, which Dokku needs to find it). */
function OptionRow({ action, phase, option, processType, removes }: { action: string; phase: string; option: string; processType?: string; removes: boolean }) {
  return (
    <li data-option={option}>
      <code>{option}</code>
      {removes ? (
        <PostForm
          action={action}
          target={`#${DOCKER_OPTIONS_RESULT}`}
          confirm={`Remove ${option} from the ${phase} phase${processType ? ` of ${processType}` : ""}?`}
        >
          <input type="hidden" name="phases" value={phase} />
          <input type="hidden" name="option" value={option} />
          {processType ? <input type="hidden" name="process_type" value={processType} /> : ""}
          <button type="submit" class="small" aria-label={`Remove ${option} from ${phase}${processType ? ` of ${processType}` : ""}`}>
            Remove
          </button>
        </PostForm>
      ) : null}
    </li>
  );
}

/** Each phase's options (and 0.38's per process type), read again when a change made them stale. */
export function DockerOptionsList({ host, app, report, historyHref, may }: AppRead<"docker-options.report">) {
  const removes = may("docker-options.remove", { app });
  const action = appUrl(host, app, "/docker-options/remove");
  return (
    <ReadPart
      id="docker-options-list"
      href={appUrl(host, app, "/docker-options/list")}
      reads={["docker-options.report"]}
      outcome={report}
      historyHref={historyHref}
      host={host}
      show={(r) => (
        <dl class="facts">
          {DOCKER_PHASES.map((p) => (
            <>
              <dt>{PHASE_LABEL[p]}</dt>
              <dd data-phase={p}>
                {r.phases[p].length === 0 ? (
                  "—"
                ) : (
                  <ul class="rows">
                    {r.phases[p].map((o) => (
                      <OptionRow action={action} phase={p} option={o} removes={removes} />
                    ))}
                  </ul>
                )}
              </dd>
            </>
          ))}
          {Object.entries(r.processes)
            .filter(([, o]) => o.length > 0)
            .map(([t, options]) => (
              <>
                <dt>deploy, {t} only</dt>
                <dd data-phase={`deploy.${t}`}>
                  <ul class="rows">
                    {options.map((o) => (
                      <OptionRow action={action} phase="deploy" option={o} processType={t} removes={removes} />
                    ))}
                  </ul>
                </dd>
              </>
            ))}
        </dl>
      )}
    />
  );
}

/**
 * The Settings tab's docker options section: what each phase has, a form to add one (vetted: the
 * shape and flag at the edge, isolation-breaking ones only where the relay allows them), and Clear.
 */
export function DockerOptionsSection(props: AppRead<"docker-options.report"> & { dokkuVersion: string | null }) {
  const { host, app, may } = props;
  const add = appUrl(host, app, "/docker-options/add");
  const clear = appUrl(host, app, "/docker-options/clear");
  const perProcess = hasProcessOptions(props.dokkuVersion);
  return (
    <Section name="docker-options" title="Docker options">
      <p class="muted">
        Extra options Dokku gives docker for this app. {DOCKER_OPTIONS_TAKE_EFFECT} Options that break the host's isolation (<code>--privileged</code>, the
        host's network, pid, ipc or user namespace, <code>--cap-add</code>, devices, seccomp or apparmor unconfined, mounts of <code>/</code>, system folders or
        the docker socket) are refused unless the relay was started with <code>--allow-isolation-breaking</code>: each gives the app root on the host. Options
        Docklight does not know are refused too; set those with the dokku CLI.
        {perProcess ? "" : " Before Dokku 0.38 storage mounts are -v options of deploy and run: removing one, or clearing those phases, unmounts it."}
      </p>
      <DockerOptionsList host={host} app={app} report={props.report} historyHref={props.historyHref} may={may} />
      <IfMay may={may} op="docker-options.add" args={{ app }}>
        <PostForm action={add} target={`#${DOCKER_OPTIONS_RESULT}`} class="inline" label="Add a docker option">
          <div>
            <label for="docker-option">Option</label>
            <input id="docker-option" name="option" placeholder="--restart=always" autocomplete="off" spellcheck={false} />
          </div>
          <div>
            <label for="docker-option-phases">Phases</label>
            <select id="docker-option-phases" name="phases">
              <option value="deploy,run">deploy and run</option>
              <option value="deploy">deploy</option>
              <option value="run">run</option>
              <option value="build">build</option>
              <option value="build,deploy,run">all three</option>
            </select>
          </div>
          {perProcess ? (
            <div>
              <label for="docker-option-process">Process type (deploy only)</label>
              <input id="docker-option-process" name="process_type" placeholder="all processes" autocomplete="off" spellcheck={false} />
            </div>
          ) : (
            ""
          )}
          <button type="submit">Add option</button>
        </PostForm>
      </IfMay>
      <IfMay may={may} op="docker-options.clear" args={{ app }}>
        <PostForm
          action={clear}
          target={`#${DOCKER_OPTIONS_RESULT}`}
          confirm={`Clear these docker options of ${app}?`}
          class="inline"
          label="Clear docker options"
        >
          <label for="docker-option-clear" class="visually-hidden">
            Phases to clear
          </label>
          <select id="docker-option-clear" name="phases">
            <option value="">all phases</option>
            {DOCKER_PHASES.map((p) => (
              <option value={p}>{p}</option>
            ))}
          </select>
          <button type="submit" class="danger">
            Clear options
          </button>
        </PostForm>
      </IfMay>
      <div id={DOCKER_OPTIONS_RESULT} class="result" aria-live="polite"></div>
    </Section>
  );
}
