import { Hono } from "hono";
import { z } from "zod";
import { BUILDERS, buildDir, buildpackUrl, gitRef, gitRemote, required } from "../../../protocol/names.js";
import { OP_LIMITS } from "../../../protocol/ops.js";
import { DeployBody } from "../../pages/app/deploy.js";
import { DeployState } from "../../pages/app/deploy-state.js";
import { BuildpackList } from "../../pages/app/buildpacks.js";
import { Done } from "../../pages/app/shell.js";
import { OutcomeMessage } from "../../pages/outcome.js";
import { mayOf } from "../../pages/may.js";
import type { HostAppEnv } from "../../types.js";
import { change } from "../answers.js";
import { valid } from "../input.js";
import { historyHref } from "../scope.js";
import { fromReads } from "../stream-page.js";
import { appPage, type C } from "./kit.js";
import { deployHookRoutes, pushSection } from "./deploy-hook.js";
import { imageSection } from "./image.js";

/** An optional text field: trimmed, and empty means "unset" (back to the default). */
const optionalText = <T extends z.ZodType<unknown, string>>(schema: T) =>
  z
    .string()
    .trim()
    .optional()
    .transform((v) => (v ? v : undefined))
    .pipe(schema.optional());

/** git:sync's form: a repository and, optionally, what to check out (empty means the deploy branch). */
const syncForm = z.object({ remote: required("a repository URL", gitRemote), ref: optionalText(gitRef) });
const branchForm = z.object({ branch: optionalText(gitRef) });
const builderForm = z.object({
  builder: optionalText(z.enum(BUILDERS, { error: `the builder is one of ${BUILDERS.join(", ")}, or empty to auto-detect` })),
});
const buildDirForm = z.object({ build_dir: optionalText(buildDir) });

const POSITION = `the position is a whole number from 1 to ${OP_LIMITS.buildpackIndex}`;
const addBuildpackForm = z.object({
  url: required("a buildpack", buildpackUrl),
  index: z
    .string()
    .trim()
    .optional()
    .transform((v) => (v ? Number(v) : undefined))
    .pipe(z.number(POSITION).int(POSITION).min(1, POSITION).max(OP_LIMITS.buildpackIndex, POSITION).optional()),
});
const removeBuildpackForm = z.object({ url: required("a buildpack", buildpackUrl) });

const CHECKS_DONE = { enabled: "Zero-downtime checks are on", disabled: "Zero-downtime checks are off", skipped: "Zero-downtime checks are skipped" } as const;
const checksForm = z.object({ state: z.enum(["enabled", "disabled", "skipped"], { error: "state is enabled, disabled or skipped" }) });

const stateOf = (c: C) => c.var.host.run("deploy.report", { app: c.var.app });
const buildpacksOf = (c: C) => c.var.host.run("buildpacks.report", { app: c.var.app });

/**
 * An app's Deploy tab, `…/deploy`: deploy from a Git repository (streamed),
 * the deploy lock, zero-downtime checks, and the build settings (branch, builder, directory, buildpacks).
 */
export const deployRoutes = new Hono<HostAppEnv>()
  .get("/", (c) => {
    const [status, report, buildpacks] = [c.var.host.status(), stateOf(c), buildpacksOf(c)];
    const body = fromReads([status, report, buildpacks], (s, r, b) =>
      r.kind === "error" && r.code === "not_found" ? (
        <OutcomeMessage outcome={r} historyHref={historyHref(c)} />
      ) : (
        <DeployBody host={s} app={c.var.app} report={r} buildpacks={b} historyHref={historyHref(c)} may={mayOf(c.var.host)} />
      ),
    );
    return appPage(c, "deploy", [body, imageSection(c), pushSection(c)], status, report);
  })
  .route("/hook", deployHookRoutes)
  .get("/state", async (c) =>
    c.html(<DeployState host={c.var.host.id} app={c.var.app} report={await stateOf(c)} historyHref={historyHref(c)} may={mayOf(c.var.host)} />),
  )
  .post("/sync", valid("form", syncForm), (c) => {
    const { remote, ref } = c.req.valid("form");
    const { app } = c.var;
    return change(c, "git.sync", { app, remote, ...(ref ? { ref } : {}) }, (r) => (
      <Done title={`Deployed ${app} from ${remote}${ref ? ` at ${ref}` : ""}`} result={r} />
    ));
  })
  .post("/checks", valid("form", checksForm), (c) => {
    const { state } = c.req.valid("form");
    return change(c, "checks.set", { app: c.var.app, state }, (r) => <Done title={CHECKS_DONE[state]} result={r} />);
  })
  .post("/unlock", (c) => change(c, "apps.unlock", { app: c.var.app }, (r) => <Done title={`Unlocked ${c.var.app}`} result={r} />))
  .post("/lock", (c) => change(c, "apps.lock", { app: c.var.app }, (r) => <Done title={`Deploys of ${c.var.app} locked`} result={r} />))
  .post("/branch", valid("form", branchForm), (c) => {
    const { branch } = c.req.valid("form");
    return change(c, "git.setDeployBranch", { app: c.var.app, ...(branch ? { branch } : {}) }, (r) => (
      <Done title={branch ? `Deploy branch is ${branch}` : "Deploy branch follows the global one"} result={r} />
    ));
  })
  .post("/builder", valid("form", builderForm), (c) => {
    const { builder } = c.req.valid("form");
    return change(c, "builder.set", { app: c.var.app, property: "selected", ...(builder ? { value: builder } : {}) }, (r) => (
      <Done title={builder ? `Builder is ${builder}` : "Builder is auto-detected"} result={r} />
    ));
  })
  .post("/build-dir", valid("form", buildDirForm), (c) => {
    const dir = c.req.valid("form").build_dir;
    return change(c, "builder.set", { app: c.var.app, property: "build-dir", ...(dir ? { value: dir } : {}) }, (r) => (
      <Done title={dir ? `Build directory is ${dir}` : "Build directory is the repository root"} result={r} />
    ));
  })
  .get("/buildpacks", async (c) =>
    c.html(<BuildpackList host={c.var.host.id} app={c.var.app} report={await buildpacksOf(c)} historyHref={historyHref(c)} may={mayOf(c.var.host)} />),
  )
  .post("/buildpacks/add", valid("form", addBuildpackForm), (c) => {
    const { url, index } = c.req.valid("form");
    return change(c, "buildpacks.add", { app: c.var.app, url, ...(index ? { index } : {}) }, (r) => (
      <Done title={`Added ${url}${index ? ` at position ${index}` : ""}`} result={r} />
    ));
  })
  .post("/buildpacks/remove", valid("form", removeBuildpackForm), (c) => {
    const { url } = c.req.valid("form");
    return change(c, "buildpacks.remove", { app: c.var.app, url }, (r) => <Done title={`Removed ${url}`} result={r} />);
  })
  .post("/buildpacks/clear", (c) => change(c, "buildpacks.clear", { app: c.var.app }, (r) => <Done title="Cleared the buildpacks" result={r} />));
