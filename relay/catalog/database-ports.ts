import { dbCommand, dbResult } from "./databases.js";
import type { CatalogEntry } from "./types.js";

/**
 * `<p>:expose SVC [PORT…]` and `<p>:unexpose SVC` (subcommands/expose, subcommands/unexpose and
 * service_port_expose/unexpose in common-functions of dokku/dokku-postgres and its siblings).
 * expose prints `-----> Service SVC exposed on port(s) [container->host]: 5432->28804 ` and fails
 * ` !     Service SVC already exposed on port(s) …`, or, given the wrong number of ports,
 * ` !     N ports to be exposed need to be provided in the following order: …`; unexpose prints
 * `-----> Service SVC unexposed` (also when it was not exposed).
 */
export const databasesExpose: CatalogEntry<"databases.expose"> = {
  async run(ctx, { plugin, service, ports }) {
    return dbResult(await dbCommand(ctx, plugin, [`${plugin}:expose`, service, ...ports]));
  },
};

export const databasesUnexpose: CatalogEntry<"databases.unexpose"> = {
  async run(ctx, { plugin, service }) {
    return dbResult(await dbCommand(ctx, plugin, [`${plugin}:unexpose`, service]));
  },
};
