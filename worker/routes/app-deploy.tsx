import { Hono } from "hono";
import { hostStatus, runOp } from "../hub/client.js";
import { BuildpackList, DeployPage, DeployState } from "../pages/app/deploy.js";
import { Done, appBase } from "../pages/app/shell.js";
import type { AppEnv } from "../types.js";
import { addBuildpackForm, branchForm, buildDirForm, builderForm, checksForm, removeBuildpackForm, syncForm } from "./app-forms.js";
import { badInput, change, failedPage, formFields, historyHref, hostsOf, scope, type C } from "./app-kit.js";

/**
 * An app's Deploy tab, `/hosts/:host/apps/:app/deploy`: deploy from a Git repository (streamed),
 * the deploy lock, zero-downtime checks, and the build settings (branch, builder, directory). Mounted inside the app routes, behind their scope guard.
 */
export const deployRoutes = new Hono<AppEnv>();

const stateOf = (c: C) => runOp(c.env, scope(c).host, "deploy.report", { app: scope(c).app }, c.var.session.sub);
const buildpacksOf = (c: C) => runOp(c.env, scope(c).host, "buildpacks.report", { app: scope(c).app }, c.var.session.sub);
const refresh = (c: C) => [{ url: `${appBase(scope(c).host, scope(c).app)}/deploy/state`, target: "#deploy-state" }];

deployRoutes.get("/hosts/:host/apps/:app/deploy", async (c) => {
  const { host, app } = scope(c);
  const [status, report, buildpacks] = await Promise.all([hostStatus(c.env, host), stateOf(c), buildpacksOf(c)]);
  if (report.kind === "error" && report.code === "not_found") return failedPage(c, "deploy", report);
  return c.html(<DeployPage host={status} hosts={hostsOf(c)} app={app} report={report} buildpacks={buildpacks} historyHref={historyHref(c)} />);
});

deployRoutes.get("/hosts/:host/apps/:app/deploy/state", async (c) =>
  c.html(<DeployState host={scope(c).host} app={scope(c).app} report={await stateOf(c)} historyHref={historyHref(c)} />),
);

deployRoutes.post("/hosts/:host/apps/:app/deploy/sync", async (c) => {
  const form = syncForm.safeParse(await formFields(c));
  if (!form.success) return badInput(c, form.error);
  const { remote, ref } = form.data;
  const { app } = scope(c);
  return change(c, "git.sync", { app, remote, ...(ref ? { ref } : {}) }, (r) => (
    <Done title={`Deployed ${app} from ${remote}${ref ? ` at ${ref}` : ""}`} result={r} refresh={refresh(c)} />
  ));
});

const CHECKS_DONE = { enabled: "Zero-downtime checks are on", disabled: "Zero-downtime checks are off", skipped: "Zero-downtime checks are skipped" } as const;

deployRoutes.post("/hosts/:host/apps/:app/deploy/checks", async (c) => {
  const form = checksForm.safeParse(await formFields(c));
  if (!form.success) return badInput(c, form.error);
  return change(c, "checks.set", { app: scope(c).app, state: form.data.state }, (r) => <Done title={CHECKS_DONE[form.data.state]} result={r} refresh={refresh(c)} />);
});

deployRoutes.post("/hosts/:host/apps/:app/deploy/unlock", (c) =>
  change(c, "apps.unlock", { app: scope(c).app }, (r) => <Done title={`Unlocked ${scope(c).app}`} result={r} refresh={refresh(c)} />),
);

deployRoutes.post("/hosts/:host/apps/:app/deploy/branch", async (c) => {
  const form = branchForm.safeParse(await formFields(c));
  if (!form.success) return badInput(c, form.error);
  const { branch } = form.data;
  return change(c, "git.setDeployBranch", { app: scope(c).app, ...(branch ? { branch } : {}) }, (r) => (
    <Done title={branch ? `Deploy branch is ${branch}` : "Deploy branch follows the global one"} result={r} />
  ));
});

deployRoutes.post("/hosts/:host/apps/:app/deploy/builder", async (c) => {
  const form = builderForm.safeParse(await formFields(c));
  if (!form.success) return badInput(c, form.error);
  const { builder } = form.data;
  return change(c, "builder.set", { app: scope(c).app, property: "selected", ...(builder ? { value: builder } : {}) }, (r) => (
    <Done title={builder ? `Builder is ${builder}` : "Builder is auto-detected"} result={r} />
  ));
});

deployRoutes.post("/hosts/:host/apps/:app/deploy/build-dir", async (c) => {
  const form = buildDirForm.safeParse(await formFields(c));
  if (!form.success) return badInput(c, form.error);
  const dir = form.data.build_dir;
  return change(c, "builder.set", { app: scope(c).app, property: "build-dir", ...(dir ? { value: dir } : {}) }, (r) => (
    <Done title={dir ? `Build directory is ${dir}` : "Build directory is the repository root"} result={r} />
  ));
});

const buildpacksRefresh = (c: C) => [{ url: `${appBase(scope(c).host, scope(c).app)}/deploy/buildpacks`, target: "#buildpack-list" }];

deployRoutes.get("/hosts/:host/apps/:app/deploy/buildpacks", async (c) =>
  c.html(<BuildpackList base={appBase(scope(c).host, scope(c).app)} buildpacks={await buildpacksOf(c)} historyHref={historyHref(c)} />),
);

deployRoutes.post("/hosts/:host/apps/:app/deploy/buildpacks/add", async (c) => {
  const form = addBuildpackForm.safeParse(await formFields(c));
  if (!form.success) return badInput(c, form.error);
  const { url, index } = form.data;
  return change(c, "buildpacks.add", { app: scope(c).app, url, ...(index ? { index } : {}) }, (r) => (
    <Done title={`Added ${url}${index ? ` at position ${index}` : ""}`} result={r} refresh={buildpacksRefresh(c)} />
  ));
});

deployRoutes.post("/hosts/:host/apps/:app/deploy/buildpacks/remove", async (c) => {
  const form = removeBuildpackForm.safeParse(await formFields(c));
  if (!form.success) return badInput(c, form.error);
  return change(c, "buildpacks.remove", { app: scope(c).app, url: form.data.url }, (r) => (
    <Done title={`Removed ${form.data.url}`} result={r} refresh={buildpacksRefresh(c)} />
  ));
});

deployRoutes.post("/hosts/:host/apps/:app/deploy/buildpacks/clear", (c) =>
  change(c, "buildpacks.clear", { app: scope(c).app }, (r) => <Done title="Cleared the buildpacks" result={r} refresh={buildpacksRefresh(c)} />),
);
