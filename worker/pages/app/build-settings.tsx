import { BUILDERS } from "../../../protocol/names.js";
import type { OpResult } from "../../../protocol/ops.js";
import { DeployBranch } from "./app-summary.js";
import { IfMay, type May } from "../may.js";
import { PostForm } from "../post-form.js";

/**
 * Deploy branch, builder and build directory: one small form each, empty to go back to the default.
 * Not reloaded after a save, so a field being edited is never replaced under the user's fingers.
 */
export function BuildSettings({ base, app, report, may }: { base: string; app: string; report: OpResult<"deploy.report">; may: May }) {
  const b = report.branch;
  const globalName = b.global || "master";
  return (
    <div class="build-settings">
      <p class="deploy-branch-now">
        A push deploys: <DeployBranch branch={b} />
      </p>
      <IfMay may={may} op="git.setDeployBranch" args={{ app }}>
        <PostForm action={`${base}/deploy/branch`} class="inline" target="#build-result">
          <label for="deploy-branch">Deploy branch</label>
          <input
            id="deploy-branch"
            name="branch"
            value={b.own ?? undefined}
            placeholder={b.own === "" ? `${globalName} (global)` : b.own === null ? "unknown: see above" : ""}
            autocomplete="off"
            spellcheck={false}
          />
          <button type="submit">Save branch</button>
        </PostForm>
      </IfMay>
      <IfMay may={may} op="builder.set" args={{ app }}>
        <PostForm action={`${base}/deploy/builder`} class="inline" target="#build-result">
          <label for="deploy-builder">Builder</label>
          <select id="deploy-builder" name="builder">
            <option value="" selected={report.builder === ""}>
              auto-detect
              {report.builder === "" ? (report.builderInEffect ? ` (${report.builderInEffect})` : report.deploySource ? "" : " (at the first build)") : ""}
            </option>
            {BUILDERS.map((b) => (
              <option value={b} selected={report.builder === b}>
                {b}
              </option>
            ))}
          </select>
          <button type="submit">Save builder</button>
        </PostForm>
        <PostForm action={`${base}/deploy/build-dir`} class="inline" target="#build-result">
          <label for="deploy-build-dir">Build directory</label>
          <input id="deploy-build-dir" name="build_dir" value={report.buildDir} placeholder="repository root" autocomplete="off" spellcheck={false} />
          <button type="submit">Save directory</button>
        </PostForm>
      </IfMay>
      <p class="muted">These apply from the next deploy.</p>
    </div>
  );
}
