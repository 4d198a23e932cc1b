import { requireApp, takeFormat, type Command } from "../context.js";
import { bashPluginReport } from "../output.js";
import { versionAtLeast } from "../state.js";

/** git:report (bash): `git-sha` is empty before the first push. */
export const gitReport: Command = ({ args }) => {
  const { format, rest } = takeFormat(args);
  const [name, app] = requireApp(rest[0]);
  bashPluginReport(
    name,
    "git",
    "git",
    [
      ["git-deploy-branch", "main"],
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

export const gitCommands: Record<string, Command> = { "git:report": gitReport };
