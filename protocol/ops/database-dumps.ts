import { z } from "zod";
import { dbPlugin, serviceName } from "../names.js";
import { change, read } from "./spec.js";

/**
 * A datastore service's dump (service_export and service_import in the functions of
 * dokku/dokku-postgres and its siblings): `<plugin>:export SERVICE` writes it to stdout,
 * `<plugin>:import SERVICE` reads it from stdin. Its bytes never travel in a result or a chunk:
 * they go in `bytes` frames under credit (protocol/byte-frames.ts), and history records only how
 * many there were.
 */

const service = z.object({ plugin: dbPlugin, service: serviceName }).strict();

export const databaseDumpsOps = {
  /**
   * The dump, streamed to the edge as it is written; the result says how many bytes it was. It
   * reveals every row of the database, so it needs the reveal permission, as a config value does.
   */
  "databases.export": read({
    access: { scope: "host", area: "databases", reveals: true },
    args: service,
    result: z.object({ bytes: z.number().int().min(0) }),
    timeoutMs: 3_600_000,
    freshMs: 0,
    secret: true,
  }),
  /**
   * Replace the database's contents with a dump the edge streams up (at most DUMP_UPLOAD_MAX_BYTES):
   * the relay keeps it in a private file until it has all of it, and only then runs the import, so
   * an upload that breaks off or passes the limit imports nothing. Host-root: it overwrites data
   * every app linked to the service reads, and a dump is run as the database's superuser (a
   * PostgreSQL dump can run programs in the service's container with COPY … FROM PROGRAM).
   */
  "databases.import": change({
    access: { scope: "host", area: "databases", hostRoot: true },
    title: (a) => `Import a dump into ${a.plugin} database ${a.service}`,
    args: z
      .object({ plugin: dbPlugin, service: serviceName, confirm: z.string().max(63) })
      .strict()
      .refine((a) => a.service === a.confirm, { message: "confirm must repeat the service name exactly", path: ["confirm"] }),
    timeoutMs: 7_200_000,
    streams: false,
    invalidates: ["databases.info"],
  }),
} as const;
