import type { Readable, Writable } from "node:stream";
import type { z } from "zod";
import type { JobInfo } from "../../protocol/frames.js";
import type { HealthSample, OpName, ops } from "../../protocol/ops.js";
import type { Arg } from "../process/argv-guard.js";
import type { History } from "../history/store.js";
import type { Redaction } from "../process/redact.js";
import type { RunResult } from "../process/run.js";

/**
 * How one Dokku command of an op runs. Whether its output streams to the viewer is the op's own
 * declaration (`streams` in protocol/ops), not the call's.
 */
export interface DokkuCall {
  /** The command's secrets, kept out of history, live output and the result alike. */
  redact?: Redaction;
  /** Overrides the op's declared timeout (ms). */
  timeoutMs?: number;
  /** Keep only this many trailing characters of each stream in memory (long streams such as logs -t). */
  keepTail?: number;
  /**
   * false: its lines are not shown live, even in a change (the reads a change makes for itself, such
   * as a release's snapshot). A command whose output is withheld (`redact.withholdOutput`) is never shown live.
   */
  live?: boolean;
  /**
   * Written to the command's stdin (a secret read with `--password-stdin`), or a stream piped into
   * it (a dump); never recorded. Mask a secret in `redact` too.
   */
  stdin?: string | Readable;
  /**
   * The command's stdout is bytes for the edge (a dump, `OpContext.bytesOut`): piped there as the
   * edge takes them, never kept, never shown live. Its process counts among the live ones (a
   * transfer lasts as long as its reader), not the read slots.
   */
  stdoutTo?: Writable;
  /** What history keeps of stdout instead of stdout itself, given the bytes it had ("export of db, 1234 bytes"). */
  summary?: (stdoutBytes: number) => string;
  /**
   * true: a command a change runs once its own command ended, to record what it made (a release's
   * snapshot, build id and kept image, relay/releases/record.ts). A Cancel that arrives then came
   * too late to stop the change, so it does not stop this command; the command's timeout still does.
   */
  afterEnd?: boolean;
}

/** Server metrics the relay samples in the background (relay/cli/health.ts). */
export interface HealthSource {
  now(): Promise<HealthSample>;
  series(): HealthSample[];
}

export interface OpContext {
  /**
   * Run `dokku ARGV…`, record it in history, return what it printed (with the call's redaction
   * applied, except output the call withholds from history only). Literal flags are tagged with
   * `flag()` (relay/process/argv-guard.ts); an untagged element starting with `-` is refused (bad_request)
   * and nothing runs.
   */
  dokku(argv: readonly Arg[], call?: DokkuCall): Promise<RunResult>;
  /**
   * Run `docker ARGV…` the same way (recorded, redacted, guarded): only the fixed image commands of
   * relay/catalog/kept-images.ts use it. Absent when the relay found no docker on the host.
   */
  docker?: OpContext["dokku"];
  /** How many image releases per app keep their image (the relay's DOCKLIGHT_KEPT_IMAGES, default 5). */
  keptImages: number;
  history: History;
  /** Aborts when the op is stopped: a Cancel on a change, a read's last viewer leaving, the relay stopping. */
  signal: AbortSignal;
  /** The Dokku version detected at start (`dokku version`), x.y.z, or null if unknown. */
  dokkuVersion: string | null;
  /** Whether this relay was started to allow docker options that break the host's isolation (relay/cli/config.ts). */
  allowIsolationBreaking: boolean;
  /** Background server metrics; absent where the relay samples none (then server.health is unavailable). */
  health?: HealthSource;
  /** The changes running on the host now (relay/ops/jobs.ts). */
  runningChanges(): JobInfo[];
  /** The op this context runs: its id, its name and who asked (the signed op's `sub`). */
  run: { opId: string; op: OpName; requestedBy: string };
  /** This op's byte stream to the edge (relay/ops/byte-links.ts); `bytes`: how many were sent. */
  bytesOut(): Writable & { readonly bytes: number };
  /** This op's byte stream from the edge, failing past `max` bytes (relay/ops/byte-links.ts). */
  bytesIn(max: number): Readable & { readonly bytes: number };
}

export interface CatalogEntry<N extends OpName> {
  /**
   * A change's checks of this relay's own settings, run by dispatch before the change starts:
   * throwing an OpFailure refuses it as a plain answer, no job and no history row (`run` must still
   * hold on its own: it is also called without this, e.g. by tests).
   */
  refuse?(args: z.output<(typeof ops)[N]["args"]>, relay: Pick<OpContext, "dokkuVersion" | "allowIsolationBreaking">): void;
  run(ctx: OpContext, args: z.output<(typeof ops)[N]["args"]>): Promise<z.input<(typeof ops)[N]["result"]>>;
}

export type Catalog = { [N in OpName]: CatalogEntry<N> };
