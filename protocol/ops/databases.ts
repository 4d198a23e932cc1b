import { z } from "zod";
import { appName, dbPlugin, serviceName } from "../names.js";
import { exposedPort } from "./database-ports.js";
import { pluginStatus } from "./plugins.js";
import { change, FRESH_MS, noArgs, PROCESS_STATE, read } from "./spec.js";

/** Datastore services of the official plugins (dokku-postgres and friends). */

const service = z.object({ plugin: dbPlugin, service: serviceName }).strict();
const serviceAndApp = z.object({ plugin: dbPlugin, service: serviceName, app: appName, noRestart: z.boolean().default(false) }).strict();
/** Linking sets the service's URL in the app's config and restarts the app; the service lists its links. */
const LINKED = ["databases.info", "config.get", ...PROCESS_STATE] as const;

export const databasesOps = {
  "databases.overview": read({
    access: { scope: "host", area: "databases" },
    args: noArgs,
    result: z.object({
      plugins: z.array(
        z.object({
          plugin: dbPlugin,
          /** Enabled, disabled, missing or too old, as plugin:list shows it. */
          status: pluginStatus,
          /** Its services; null when the plugin cannot run or its list could not be read (`problem` says why). */
          services: z.array(z.string()).nullable(),
          problem: z.string().nullable(),
        }),
      ),
    }),
    timeoutMs: 60_000,
    freshMs: FRESH_MS,
  }),
  "databases.list": read({
    access: { scope: "host", area: "databases" },
    args: z.object({ plugin: dbPlugin }).strict(),
    result: z.object({ services: z.array(z.string()) }),
    timeoutMs: 30_000,
    freshMs: FRESH_MS,
  }),
  "databases.info": read({
    access: { scope: "host", area: "databases" },
    args: service,
    result: z.object({
      /** The info fields as slugs ("config-dir", "dsn", "links", …); the DSN's password is masked. */
      fields: z.record(z.string(), z.string()),
      links: z.array(z.string()),
      status: z.string(),
      version: z.string(),
      dsn: z.string(),
      /** The ports published on the host ("Exposed ports", `5432->28804`); empty when not exposed. */
      exposedPorts: z.array(exposedPort),
    }),
    timeoutMs: 30_000,
    freshMs: FRESH_MS,
  }),
  "databases.create": change({
    access: { scope: "host", area: "databases" },
    title: (a) => `Create ${a.plugin} database ${a.service}`,
    args: service,
    timeoutMs: 600_000,
    streams: true,
    invalidates: ["databases.overview", "databases.list"],
  }),
  "databases.link": change({
    access: { scope: "app", area: "databases" },
    title: (a) => `Link ${a.plugin} database ${a.service} to ${a.app}`,
    args: serviceAndApp,
    timeoutMs: 600_000,
    streams: true,
    invalidates: LINKED,
  }),
  "databases.unlink": change({
    access: { scope: "app", area: "databases" },
    title: (a) => `Unlink ${a.plugin} database ${a.service} from ${a.app}`,
    args: serviceAndApp,
    timeoutMs: 600_000,
    streams: true,
    invalidates: LINKED,
  }),
  "databases.destroy": change({
    access: { scope: "host", area: "databases", hostRoot: true },
    title: (a) => `Destroy ${a.plugin} database ${a.service}`,
    args: z
      .object({ plugin: dbPlugin, service: serviceName, confirm: z.string().max(63) })
      .strict()
      .refine((a) => a.service === a.confirm, { message: "confirm must repeat the service name exactly", path: ["confirm"] }),
    timeoutMs: 300_000,
    streams: true,
    invalidates: ["databases.overview", "databases.list", "databases.info"],
  }),
} as const;
