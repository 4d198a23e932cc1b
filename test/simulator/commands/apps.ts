import type { Command } from "../context.js";
import { info2, out, warn } from "../output.js";
import { readState } from "../state.js";

const NO_APPS = "You haven't deployed any applications yet";

export const appsList: Command = ({ flags }) => {
  const names = Object.keys(readState().apps).sort();
  if (!flags.quiet) info2("My Apps");
  if (names.length === 0) return warn(NO_APPS);
  for (const n of names) out(n);
};

export const appsCommands: Record<string, Command> = {
  "apps:list": appsList,
  apps: appsList,
};
