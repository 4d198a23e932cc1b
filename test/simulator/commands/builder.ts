import { requireApp, takeFormat, type Command } from "../context.js";
import { goReport, out } from "../output.js";
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
  if (format === "json") {
    const entries = fields.flatMap(([k, v]) => (versionAtLeast("0.38.8") ? [[k, v], [k.replace(/^builder-/, ""), v]] : [[k, v]]));
    return out(JSON.stringify(Object.fromEntries(entries.sort(([a], [b]) => (a! < b! ? -1 : 1)))));
  }
  goReport(name, "builder", fields);
};

/** builder:set APP selected|build-dir [VALUE] (Go CommandPropertySet). Dokku does not check the builder's name. */
export const builderSet: Command = ({ args }) => {
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

export const builderCommands: Record<string, Command> = { "builder:report": builderReport, "builder:set": builderSet };
