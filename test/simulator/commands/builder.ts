import { endOfOptions, requireApp, takeFormat, type Command } from "../context.js";
import { fail, goPluginReport, info1 } from "../output.js";
import { updateState, versionAtLeast } from "../state.js";
import { propertySet } from "./git.js";

/** builder:report (Go): the selected builder and build dir, their computed and global values; `detected` from 0.36.2. */
export const builderReport: Command = ({ args }) => {
  const { format, rest } = takeFormat(args);
  const [name, app] = requireApp(rest[0]);
  const detected = app.deployed ? "herokuish" : "";
  const fields: Array<[string, string]> = [
    ["builder-build-dir", app.buildDir ?? ""],
    ["builder-computed-build-dir", app.buildDir ?? ""],
    ["builder-computed-selected", app.builder ?? ""],
    ["builder-global-build-dir", ""],
    ["builder-global-selected", ""],
    ["builder-selected", app.builder ?? ""],
    ...(versionAtLeast("0.36.2") ? [["builder-detected", detected] as [string, string]] : []),
  ];
  goPluginReport(name, "builder", "builder", fields, format, versionAtLeast);
};

/** builder:set APP [--] selected|build-dir [VALUE] (Go CommandPropertySet). Dokku does not check the builder's name. */
export const builderSet: Command = ({ args: all }) => {
  const args = endOfOptions(all).flat();
  const [name] = requireApp(args[0]);
  propertySet(["build-dir", "selected"], args[1], args[2], (v) =>
    updateState((s) => {
      const app = s.apps[name]!;
      if (args[1] === "selected") {
        if (v) app.builder = v;
        else delete app.builder;
      } else if (v) app.buildDir = v;
      else delete app.buildDir;
    }),
  );
};

/** buildpacks:report (Go): the list comma-separated; the stack keys empty unless set. */
export const buildpacksReport: Command = ({ args }) => {
  const { format, rest } = takeFormat(args);
  const [name, app] = requireApp(rest[0]);
  const fields: Array<[string, string]> = [
    ["buildpacks-computed-stack", ""],
    ["buildpacks-global-stack", ""],
    ["buildpacks-list", (app.buildpacks ?? []).join(",")],
    ["buildpacks-stack", ""],
  ];
  goPluginReport(name, "buildpacks", "buildpacks", fields, format, versionAtLeast);
};

/** `--index N` (1-based) out of the arguments before `--`; what is left is APP and the buildpack. */
function takeIndex(all: string[]): { index: number; rest: string[] } {
  const [args, operands] = endOfOptions(all);
  const i = args.indexOf("--index");
  if (i < 0) return { index: 0, rest: [...args, ...operands] };
  return { index: Number(args[i + 1]), rest: [...args.filter((_, j) => j !== i && j !== i + 1), ...operands] };
}

/** buildpacks:add [--index N] APP [--] URL: silent on success (PropertyListAdd prints nothing). */
export const buildpacksAdd: Command = ({ args }) => {
  const { index, rest } = takeIndex(args);
  const [name] = requireApp(rest[0]);
  const url = rest[1];
  if (!url) fail("Must specify a buildpack to add");
  updateState((s) => {
    const list = s.apps[name]!.buildpacks ?? [];
    if (index > 0 && index <= list.length) list.splice(index - 1, 0, url);
    else list.push(url);
    s.apps[name]!.buildpacks = list;
  });
};

/** buildpacks:remove APP [--] URL: `-----> Removing URL`; Dokku's own errors when there is nothing to remove. */
export const buildpacksRemove: Command = ({ args: all }) => {
  const args = endOfOptions(all).flat();
  const [name, app] = requireApp(args[0]);
  const url = args[1];
  if (!url) fail("Must specify a buildpack to remove, either by index or URL");
  if (!app.buildpacks?.length) fail(`No buildpacks were found, next release on ${name} will detect buildpack normally`);
  if (!app.buildpacks.includes(url)) fail("Value not found");
  info1(`Removing ${url}`);
  updateState((s) => {
    s.apps[name]!.buildpacks = s.apps[name]!.buildpacks!.filter((b) => b !== url);
  });
};

/** buildpacks:clear APP: silent. */
export const buildpacksClear: Command = ({ args }) => {
  const [name] = requireApp(args[0]);
  updateState((s) => {
    delete s.apps[name]!.buildpacks;
  });
};

export const builderCommands: Record<string, Command> = {
  "builder:report": builderReport,
  "builder:set": builderSet,
  "buildpacks:report": buildpacksReport,
  "buildpacks:add": buildpacksAdd,
  "buildpacks:remove": buildpacksRemove,
  "buildpacks:clear": buildpacksClear,
};
