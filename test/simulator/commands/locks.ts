import { requireApp, type Command } from "../context.js";
import { fail, info1 } from "../output.js";
import { updateState } from "../state.js";

/** apps:lock (CommandLock in plugins/apps/subcommands.go of dokku/dokku): creates the lock file, says so; a lock already held is created again. */
const appsLock: Command = ({ args }) => {
  const [name] = requireApp(args[0]);
  updateState((s) => void (s.apps[name]!.locked = true));
  info1("Deploy lock created");
};

/** apps:locked (CommandLocked): exit 0 quietly-logged "Deploy lock exists", or fail "Deploy lock does not exist". */
const appsLocked: Command = ({ args }) => {
  const [, app] = requireApp(args[0]);
  if (!app.locked) fail("Deploy lock does not exist");
  info1("Deploy lock exists");
};

export const lockCommands: Record<string, Command> = { "apps:lock": appsLock, "apps:locked": appsLocked };
