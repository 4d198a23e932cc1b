import { requireApp, takeFormat, type Command } from "../context.js";
import { bashPluginReport, fail, info2 } from "../output.js";
import { updateState, versionAtLeast } from "../state.js";

/** git:report (bash): `git-sha` is empty before the first push. */
export const gitReport: Command = ({ args }) => {
  const { format, rest } = takeFormat(args);
  const [name, app] = requireApp(rest[0]);
  bashPluginReport(
    name,
    "git",
    "git",
    [
      ["git-deploy-branch", app.deployBranch ?? "master"],
      ["git-global-deploy-branch", "master"],
      ["git-keep-git-dir", "false"],
      ["git-rev-env-var", "GIT_REV"],
      ["git-sha", app.deployed ? (app.config.GIT_REV ?? "") : ""],
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
