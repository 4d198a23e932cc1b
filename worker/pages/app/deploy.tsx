import type { HostStatus, Outcome } from "../../hub/outcome.js";
import { DriftSlot } from "./drift.js";
import { appUrl } from "../../urls.js";
import { IfMay, type May } from "../may.js";
import { PostForm } from "../post-form.js";
import { DeployState } from "./deploy-state.js";
import { BuildSettings } from "./build-settings.js";
import { Buildpacks } from "./buildpacks.js";
import { Section } from "../section.js";

/** The Deploy tab's content (inside the app's shell). */
export function DeployBody({
  host,
  app,
  report,
  buildpacks,
  historyHref,
  may,
}: {
  host: HostStatus;
  app: string;
  report: Outcome<"deploy.report">;
  buildpacks: Outcome<"buildpacks.report">;
  historyHref: string;
  may: May;
}) {
  const base = appUrl(host.host, app);
  return (
    <>
      <IfMay may={may} op="git.sync" args={{ app }}>
        <Section name="sync" title="Deploy from a Git repository">
          <p class="muted">
            The host fetches the code itself (<code>dokku git:sync --build</code>) and deploys it; the output streams here. A private repository needs access
            set up on the host: <code>dokku git:auth</code> for https, a deploy key and <code>dokku git:allow-host</code> for ssh.
          </p>
          <PostForm action={`${base}/deploy/sync`} class="stack" target="#sync-result">
            <label for="sync-remote">Repository</label>
            <input id="sync-remote" name="remote" required autocomplete="off" spellcheck={false} placeholder="https://github.com/you/app.git" />
            <label for="sync-ref">Branch, tag or commit (optional; the deploy branch when empty)</label>
            <input id="sync-ref" name="ref" autocomplete="off" spellcheck={false} placeholder="main" />
            <button type="submit">Fetch and deploy</button>
          </PostForm>
          <div id="sync-result" class="result" aria-live="polite"></div>
        </Section>
      </IfMay>

      <DriftSlot host={host.host} app={app} />

      <Section name="deploy-state" title="Deploy settings">
        <DeployState host={host.host} app={app} report={report} historyHref={historyHref} may={may} />
        <div id="deploy-result" class="result" aria-live="polite"></div>
      </Section>

      {report.kind === "ok" ? (
        <Section name="build" title="Build settings">
          <BuildSettings base={base} app={app} report={report.result} may={may} />
          <div id="build-result" class="result" aria-live="polite"></div>
          <Buildpacks host={host.host} app={app} report={buildpacks} historyHref={historyHref} may={may} />
        </Section>
      ) : null}
    </>
  );
}
