import { z } from "zod";
import { appName } from "../names.js";
import { appOnly, change, FRESH_MS, noArgs, read, reportFormat } from "./spec.js";

/**
 * An app's network settings (the network plugin, Go: plugins/network of dokku/dokku, the same
 * properties on 0.35 and 0.38). Joining the host's own network stack (`host`) would give the app
 * every port and interface of the host: Dokku refuses it for attach-*, and Docklight refuses it for
 * the initial network too.
 */

const NETWORK = "a network name holds letters, digits, '_', '.' and '-', starting with a letter or digit";
export const networkName = z
  .string()
  .max(63, NETWORK)
  .regex(/^[A-Za-z0-9][A-Za-z0-9_.-]*$/, NETWORK)
  .refine((n) => n !== "host", "the host network gives the app every port and interface of the host: not from here");

/** The properties network:set takes (DefaultProperties in plugins/network/network.go), each value's form. */
export const NETWORK_PROPERTIES = {
  "attach-post-create": {
    label: "Attach after create",
    hint: "networks the containers join once created",
    value: z
      .array(networkName.refine((n) => n !== "bridge", "the bridge network is joined already"))
      .min(1)
      .max(5),
  },
  "attach-post-deploy": {
    label: "Attach after deploy",
    hint: "networks the containers join once deployed",
    value: z
      .array(networkName.refine((n) => n !== "bridge", "the bridge network is joined already"))
      .min(1)
      .max(5),
  },
  "bind-all-interfaces": {
    label: "Bind all interfaces",
    hint: "publish the app's ports on every interface (no proxy needed)",
    value: z.enum(["true", "false"]),
  },
  "initial-network": { label: "Initial network", hint: "the network containers start on instead of bridge", value: networkName },
  "static-web-listener": {
    label: "Static web listener",
    hint: "HOST:PORT the proxy sends traffic to instead of the containers",
    value: z
      .string()
      .max(255)
      .regex(/^[A-Za-z0-9][A-Za-z0-9.-]*:\d{1,5}$/, "a listener is HOST:PORT"),
  },
  tld: {
    label: "TLD",
    hint: "the domain suffix of the app's container names on its networks",
    value: z
      .string()
      .max(63)
      .regex(/^[a-z0-9][a-z0-9.-]*$/, "a TLD holds a-z, 0-9, '.' and '-'"),
  },
} as const;
export type NetworkProperty = keyof typeof NETWORK_PROPERTIES;
export const NETWORK_KEYS = Object.keys(NETWORK_PROPERTIES) as NetworkProperty[];

type NetworkSet = { app: string; property: NetworkProperty; value?: string | string[] };
const setArgs = z.union(
  NETWORK_KEYS.map((k) => z.object({ app: appName, property: z.literal(k), value: NETWORK_PROPERTIES[k].value.optional() }).strict()) as unknown as [
    z.ZodObject,
    z.ZodObject,
    ...z.ZodObject[],
  ],
) as unknown as z.ZodType<NetworkSet, NetworkSet>;

export const networkValue = z.object({ app: z.string(), computed: z.string() });

/** docker's own networks: always there, never created or destroyed (docker refuses: "pre-defined network"). */
export const PREDEFINED_NETWORKS: readonly string[] = ["bridge", "host", "none"];

/**
 * A docker network to create or destroy (network:create/destroy pass it to `docker network create`
 * / `rm` as is; Dokku checks only that one is given): the name form docker's own names take, never
 * one of docker's predefined networks, never an option.
 */
export const hostNetworkName = z
  .string()
  .max(63, NETWORK)
  .regex(/^[A-Za-z0-9][A-Za-z0-9_.-]*$/, NETWORK)
  .refine((n) => !PREDEFINED_NETWORKS.includes(n), "bridge, host and none are docker's own networks: they cannot be created or destroyed");

/** Since when `network:list --format json` (and a real network:info) exists: CommandList in plugins/network/subcommands.go of dokku/dokku v0.35.3. */
export const NETWORK_LIST_JSON_SINCE = "0.35.3";
/** Since when Dokku marks the networks it made (DokkuManaged, `--dokku-managed`): dokku/dokku v0.38.22. */
export const NETWORK_MANAGED_SINCE = "0.38.22";

/** One docker network as network:list shows it; fields the text form (before 0.35.3) lacks are null. */
export const dockerNetwork = z.object({
  name: z.string(),
  id: z.string().nullable(),
  driver: z.string().nullable(),
  scope: z.string().nullable(),
  internal: z.boolean().nullable(),
  ipv6: z.boolean().nullable(),
  /** Made by network:create (its `com.dokku.network-name` label); null when the text form cannot tell. */
  dokkuManaged: z.boolean().nullable(),
});
export type DockerNetwork = z.infer<typeof dockerNetwork>;

const hostRoot = { scope: "host", area: "network", hostRoot: true } as const;

export const networkOps = {
  /** `network:list --format json` (0.35.3+; names only before): the host's docker networks, sorted by name. */
  "network.list": read({
    access: { scope: "host", area: "network" },
    args: noArgs,
    result: z.object({ networks: z.array(dockerNetwork), format: reportFormat }),
    timeoutMs: 30_000,
    freshMs: FRESH_MS,
  }),
  /** `network:create NAME`: an attachable bridge network labelled as Dokku's; reaches beyond one app (any app may join it). */
  "network.create": change({
    access: hostRoot,
    title: (a: { name: string }) => `Create network ${a.name}`,
    args: z.object({ name: hostNetworkName }).strict(),
    timeoutMs: 60_000,
    streams: false,
    invalidates: ["network.list"],
  }),
  /**
   * `network:destroy NAME --force`: only once its name was typed again (`confirm`), the question
   * Dokku asks on a terminal; docker refuses while a container is attached.
   */
  "network.destroy": change({
    access: hostRoot,
    title: (a: { name: string }) => `Destroy network ${a.name}`,
    args: z
      .object({ name: hostNetworkName, confirm: z.string().max(63) })
      .strict()
      .refine((a) => a.confirm === a.name, { message: "type the network's name to confirm", path: ["confirm"] }),
    timeoutMs: 60_000,
    streams: false,
    invalidates: ["network.list", "network.report"],
  }),
  /** `network:report APP` (Go, JSON): each property, the app's own and the one in force, and the app's web listeners. */
  "network.report": read({
    access: { scope: "app", area: "network" },
    args: appOnly,
    result: z.object({
      settings: z.record(z.enum(NETWORK_KEYS as [NetworkProperty, ...NetworkProperty[]]), networkValue),
      webListeners: z.array(z.string()),
      format: reportFormat,
    }),
    timeoutMs: 30_000,
    freshMs: FRESH_MS,
  }),
  /** `network:set APP PROPERTY [VALUE…]` (no value: unset). Applies at the next deploy or rebuild. */
  "network.set": change({
    access: { scope: "app", area: "network" },
    title: (a) => `Set ${a.property} of ${a.app}`,
    args: setArgs,
    timeoutMs: 60_000,
    streams: false,
    invalidates: ["network.report"],
  }),
} as const;
