import { PROTOCOL_VERSION } from "../../protocol/frames.js";
import { RELAY_VERSION } from "./artifact.js";
import { HELP, parseCommand } from "./help.js";
import { doctor } from "./doctor.js";
import { log } from "./log.js";

/**
 * `docklight-relay [run|doctor|--help|--version]`. The relay proper (./serve.js, which loads the
 * native better-sqlite3) is imported only for `run`, so help, version and doctor work — and doctor
 * can say what is wrong — even when that module does not load.
 */
async function main(): Promise<void> {
  let command;
  try {
    command = parseCommand(process.argv.slice(2));
  } catch (e) {
    process.stderr.write(`docklight-relay: ${(e as Error).message}\n`);
    process.exit(78); // a wrong flag in the unit is a setting restarting cannot fix
  }
  if (command.name === "help") return void process.stdout.write(HELP);
  if (command.name === "version") return void process.stdout.write(`docklight-relay ${RELAY_VERSION} protocol ${PROTOCOL_VERSION}\n`);
  if (command.name === "doctor") {
    process.exitCode = await doctor(command.argv);
    return;
  }
  let relay: typeof import("./serve.js");
  try {
    relay = await import("./serve.js");
  } catch (e) {
    const message = (e as Error).message;
    if (!/better-sqlite3|better_sqlite3|NODE_MODULE_VERSION/.test(message)) throw e;
    log.fatal(`better-sqlite3 does not load with Node.js ${process.versions.node} (${message.split("\n")[0]}): re-run the installer`);
    process.exit(78); // restarting cannot fix it (see serve.ts)
  }
  await relay.serve(command.argv);
}

void main();
