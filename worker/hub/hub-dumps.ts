import type { OpArgs } from "../../protocol/ops.js";
import type { Principal } from "../../protocol/principal.js";
import { DUMP_UPLOAD_MAX_BYTES } from "../../protocol/byte-frames.js";
import type { Download } from "./download.js";
import { DumpDownloads } from "./dump-downloads.js";
import { DumpUploads } from "./dump-uploads.js";
import type { OpSender } from "./op-sender.js";
import type { StartOutcome } from "./pending-ops.js";

/**
 * A HostHub's database dumps in both directions: exports on their way to browsers and imports on
 * their way from them, each paced by the other end's credit. The relay's "bytes" and "credit"
 * frames reach `downloads` and `uploads` (worker/hub/relay-frames.ts).
 */
export class HubDumps {
  /** Database exports on their way to browsers (worker/hub/dump-downloads.ts). */
  readonly downloads = new DumpDownloads();
  /** Database imports on their way from browsers (worker/hub/dump-uploads.ts). */
  readonly uploads = new DumpUploads();

  constructor(
    private readonly sender: OpSender,
    /** Send `frame` to the connected relay; false when none took it. */
    private readonly toRelay: (frame: object) => boolean,
    /** Stop op `id` on the relay. */
    private readonly cancel: (id: string) => void,
  ) {}

  /**
   * A database's dump as a byte stream, no faster than the browser takes it: answers once the first
   * bytes came, or with how the export failed before any; a failure after that breaks the download. A reader that leaves stops it.
   */
  async exportDump(args: OpArgs<"databases.export">, principal: Principal): Promise<Download> {
    const refused = this.sender.refusal(principal, "databases.export", args);
    if (refused) return refused;
    const id = crypto.randomUUID();
    const dump = this.downloads.start(
      id,
      (upTo) => void this.toRelay({ type: "credit", id, upTo }),
      () => this.cancel(id),
    );
    void this.sender.send("databases.export", args, principal, { opId: id }).then((o) => this.downloads.end(id, o));
    return dump.begins;
  }

  /**
   * Import `body` (a dump) into a database: the change starts, the relay asks for the dump once it
   * checked the service, and `body` is read only as fast as the relay's credit allows. Answers
   * "started" once the whole dump was sent (the relay then runs the import, whoever watches), or
   * how it ended before: the op's own failure (a missing service), or an upload past
   * DUMP_UPLOAD_MAX_BYTES or broken off, which stops the change before anything was imported.
   */
  async importDump(args: OpArgs<"databases.import">, body: ReadableStream<Uint8Array>, principal: Principal): Promise<StartOutcome> {
    const refused = this.sender.refusal(principal, "databases.import", args);
    if (refused) return refused;
    const id = crypto.randomUUID();
    const upload = this.uploads.start(id, (frame) => this.toRelay(frame));
    const ended = this.sender.send("databases.import", args, principal, { opId: id });
    void ended.then(() => this.uploads.end(id));
    const sent = await upload.pump(body);
    if (sent.kind === "sent") return { kind: "started", opId: id };
    this.uploads.end(id);
    if (sent.kind === "ended") {
      const o = await ended;
      return o.kind === "ok" ? { kind: "started", opId: id } : o;
    }
    // the relay has not got the whole dump: stopping the change imports nothing
    this.cancel(id);
    const mib = DUMP_UPLOAD_MAX_BYTES / 1024 / 1024;
    return sent.kind === "too_large"
      ? { kind: "error", code: "too_large", message: `the dump passed the ${mib} MiB an import takes; nothing was imported` }
      : { kind: "error", code: "bad_request", message: `${sent.message}; nothing was imported` };
  }
}
