import { requireApp, takeFormat, type Command } from "../context.js";
import { bashPluginReport, fail, info2 } from "../output.js";
import { readState, updateState, versionAtLeast } from "../state.js";

/**
 * git:report (bash through 0.38.21, Go from 0.38.22): `git-sha` is empty before the first push.
 * Until 0.38.3 an unset deploy branch prints `master` (fn-plugin-property-get's default in
 * cmd-git-report-single of plugins/git/internal-functions); 0.38.4 adds
 * `git-computed-deploy-branch` and prints an unset app branch as ""; from 0.38.6 an unset global
 * branch is "" too.
 */
export const gitReport: Command = ({ args }) => {
  const { format, rest } = takeFormat(args);
  const [name, app] = requireApp(rest[0]);
  const global = readState().globalDeployBranch ?? "";
  const computed = app.deployBranch || global || "master";
  const fields: Array<[string, string]> = versionAtLeast("0.38.4")
    ? [
        ["git-computed-deploy-branch", computed],
        ["git-deploy-branch", app.deployBranch ?? ""],
        ["git-global-deploy-branch", versionAtLeast("0.38.6") ? global : global || "master"],
      ]
    : [
        ["git-deploy-branch", app.deployBranch || "master"],
        ["git-global-deploy-branch", global || "master"],
      ];
  bashPluginReport(
    name,
    "git",
    "git",
    [
      ...fields,
      ["git-keep-git-dir", "false"],
      ["git-rev-env-var", "GIT_REV"],
      // Before the first push the repository's HEAD is unborn: the bash report's `$(git rev-parse HEAD
      // 2>/dev/null || false)` keeps git's stdout `HEAD` (cmd-git-report-single in
      // plugins/git/internal-functions); the Go report from 0.38.22 prints "" (reportSha in plugins/git/report.go).
      ["git-sha", app.deployed && app.config.GIT_REV ? app.config.GIT_REV : versionAtLeast("0.38.22") ? "" : "HEAD"],
      ["git-source-image", ""],
      ["git-last-updated-at", app.deployed ? String(app.createdAt + 3600) : ""],
    ],
    format,
    versionAtLeast,
  );
};

/** A property setter as bash and Go plugins print it: `=====> Setting P to V`, or `=====> Unsetting P`. */
export function propertySet(props: readonly string[], property: string | undefined, value: string | undefined, write: (v: string | undefined) => void): void {
  if (!property) fail("No property specified");
  if (!props.includes(property)) fail(`Invalid property specified, valid properties include: ${[...props].sort().join(", ")}`);
  write(value || undefined);
  info2(value ? `Setting ${property} to ${value}` : `Unsetting ${property}`);
}

/** git:set APP deploy-branch|keep-git-dir|rev-env-var|source-image [VALUE]. */
export const gitSet: Command = ({ args }) => {
  const [name] = requireApp(args[0]);
  propertySet(["deploy-branch", "keep-git-dir", "rev-env-var", "source-image"], args[1], args[2], (v) => {
    if (args[1] !== "deploy-branch") return;
    updateState((s) => {
      if (v) s.apps[name]!.deployBranch = v;
      else delete s.apps[name]!.deployBranch;
    });
  });
};

export const gitCommands: Record<string, Command> = { "git:report": gitReport, "git:set": gitSet };
