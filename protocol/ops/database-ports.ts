import { z } from "zod";
import { dbPlugin, serviceName } from "../names.js";
import { change } from "./spec.js";

/**
 * Exposing a datastore service on the host (service_port_expose and service_port_unexpose in
 * common-functions of dokku/dokku-postgres and its siblings): an ambassador container publishes
 * the service's ports on the host, on 0.0.0.0 unless an address is given. It opens the database to
 * the host's network, so it is host-root.
 */

/** A host port, optionally with the address to listen on (`5432`, `127.0.0.1:5432`), as the plugin passes it to docker's `-p`. */
export const exposePort = z
  .string()
  .max(21, "a port is at most 21 characters (address:port)")
  .regex(
    /^((25[0-5]|2[0-4]\d|1?\d?\d)(\.(25[0-5]|2[0-4]\d|1?\d?\d)){3}:)?\d{1,5}$/,
    "a port is a number, optionally after an IPv4 address and ':' (127.0.0.1:5432)",
  )
  .refine((p) => {
    const n = Number(p.split(":").at(-1));
    return n >= 1 && n <= 65535;
  }, "a port is between 1 and 65535");

/** One published port as `<p>:info`'s "Exposed ports" shows it (`5432->28804`): the service's port, and the host's (maybe `address:port`). */
export const exposedPort = z.object({ container: z.number().int(), host: z.string() });
export type ExposedPort = z.infer<typeof exposedPort>;

/** What exposing changes: the service's info (its exposed ports). */
const EXPOSED = ["databases.info"] as const;

export const databasePortsOps = {
  "databases.expose": change({
    access: { scope: "host", area: "databases", hostRoot: true },
    title: (a) => `Expose ${a.plugin} database ${a.service}`,
    args: z
      .object({
        plugin: dbPlugin,
        service: serviceName,
        /** One per port the service has, in its order; none: random free ports on 0.0.0.0. */
        ports: z.array(exposePort).max(4, "a service has at most 4 ports").default([]),
      })
      .strict(),
    timeoutMs: 300_000,
    streams: false,
    invalidates: EXPOSED,
  }),
  "databases.unexpose": change({
    access: { scope: "host", area: "databases" },
    title: (a) => `Unexpose ${a.plugin} database ${a.service}`,
    args: z.object({ plugin: dbPlugin, service: serviceName }).strict(),
    timeoutMs: 300_000,
    streams: false,
    invalidates: EXPOSED,
  }),
} as const;
