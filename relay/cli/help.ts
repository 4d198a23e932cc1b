import { PROTOCOL_VERSION } from "../../protocol/frames.js";
import { parseArgs } from "node:util";
import { RELAY_VERSION } from "./artifact.js";
import { relayOptions } from "./config.js";

/** What `docklight-relay --help` prints. Each flag has an environment variable of the same meaning. */
export const HELP = `docklight-relay ${RELAY_VERSION} (protocol ${PROTOCOL_VERSION}) — the Docklight relay for a Dokku host.
It dials out to the Docklight edge over a WebSocket (it opens no port), verifies each signed
operation, runs only the operations in its catalog, and keeps the command history in SQLite.

Usage:
  docklight-relay [run] [options]     connect to the edge and serve operations (the default)
  docklight-relay doctor [options]    check dokku, the history database, the edge, the token and
                                      the clock; exit 0 when all is well, 1 otherwise
  docklight-relay --version           print the relay's version and protocol version
  docklight-relay --help              print this

Options (each overrides its environment variable):
  --url URL          DOCKLIGHT_URL            the edge, e.g. https://docklight.example.workers.dev
  --host ID          DOCKLIGHT_HOST_ID        this host's id on the edge
                     DOCKLIGHT_RELAY_TOKEN    this host's relay token (environment only)
                     DOCKLIGHT_OP_PUBLIC_KEY  the edge's op-signing public key
  --db PATH          DOCKLIGHT_DB             the history database (default ./data/relay.db)
  --dokku-bin PATH   DOKKU_BIN                dokku to run (default: dokku on the PATH)
  --read-only        DOCKLIGHT_READ_ONLY=true refuse every op that changes something
  --deny OP,OP       DOCKLIGHT_DENY           refuse these ops
  --allow-isolation-breaking                  allow docker options that break the host's
                     DOCKLIGHT_ALLOW_ISOLATION_BREAKING=1   isolation (--privileged, host
                                              namespaces, --cap-add, devices, mounts of / or
                                              the docker socket); refused unless set
  --simulator        DOCKLIGHT_SIMULATOR=1    drive the Dokku simulator (a checkout's demo mode)
  --env-file PATH    DOCKLIGHT_ENV_FILE       read settings from this KEY=VALUE file; variables
                                              already in the environment win
Also: DOCKLIGHT_STATUS_FILE (default: beside the database, NAME.status.json),
DOCKLIGHT_HISTORY_MAX_ROWS (100000), DOCKLIGHT_HISTORY_MAX_DAYS (90), DOCKLIGHT_HEARTBEAT_MS
(15000), DOCKLIGHT_KEPT_IMAGES (5: image releases per app whose image is kept for rollback),
DOCKER_BIN (default: docker on the PATH), LOG_LEVEL (info).

Logs are JSON lines on stdout; under systemd each line carries its syslog priority (<N>).
Exit status: 0 stopped; 78 a problem that restarting cannot fix (bad flags or settings, dokku
missing, better-sqlite3 not loading, token refused, relay revoked — its token rotated or its host
removed on the edge —, protocol refused); 79 replaced: another relay with this host's token and
id said a valid hello to the edge, and this one ran the changes it had started to their end
first (find that other relay, or make a new install command on the Hosts page and run it
here). The systemd unit restarts on neither 78 nor 79; anything else is a crash, which systemd
restarts.
`;

export type Command = { name: "help" } | { name: "version" } | { name: "run" | "doctor"; argv: string[] };

/**
 * The subcommand (run unless the one positional word is doctor) and the options that go with it.
 * Throws on an unknown option or word, with a message that points to --help.
 */
export function parseCommand(argv: string[]): Command {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      options: { ...relayOptions, help: { type: "boolean", short: "h" }, version: { type: "boolean", short: "V" } },
      allowPositionals: true,
      strict: true,
      tokens: true,
    });
  } catch (e) {
    throw new Error(`${(e as Error).message} (see docklight-relay --help)`);
  }
  const { values, positionals, tokens } = parsed;
  if (values.help || positionals[0] === "help") return { name: "help" };
  if (values.version) return { name: "version" };
  const [word, ...extra] = positionals;
  if (extra.length > 0 || (word !== undefined && word !== "run" && word !== "doctor")) {
    throw new Error(`unexpected "${[word, ...extra].join(" ")}": the commands are run and doctor (see docklight-relay --help)`);
  }
  const at = tokens.find((t) => t.kind === "positional")?.index;
  return { name: word ?? "run", argv: argv.filter((_, i) => i !== at) };
}
