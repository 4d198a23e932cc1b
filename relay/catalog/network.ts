import { z } from "zod";
import { NETWORK_KEYS, NETWORK_LIST_JSON_SINCE, type DockerNetwork, type NetworkProperty } from "../../protocol/ops/network.js";
import { OpFailure } from "../dokku/failure.js";
import { commandResult, failIfFailed, failureMessage } from "../dokku/output.js";
import { unlessMissing } from "../dokku/since.js";
import { versionAtLeast } from "../dokku/version.js";
import { flag } from "../process/argv-guard.js";
import { JSON_SINCE, readReport } from "../dokku/read-report.js";
import { words } from "../dokku/report.js";
import type { CatalogEntry } from "./types.js";

/**
 * `network:report APP` (ReportSingleApp in plugins/network/report.go of dokku/dokku, Go, JSON since
 * 0.23.1; 0.38.8+ adds the keys without `network-`): each property as `network-P` and
 * `network-computed-P` (static-web-listener has no computed one), and `network-web-listeners`.
 */
export const networkReport: CatalogEntry<"network.report"> = {
  async run(ctx, { app }) {
    const r = await readReport(ctx, "network:report", app, { jsonSince: JSON_SINCE.go, prefixes: ["network"] });
    const settings = Object.fromEntries(
      NETWORK_KEYS.map((k) => {
        const own = r.fields[k] ?? "";
        return [k, { app: own, computed: r.fields[`computed-${k}`] ?? own }];
      }),
    ) as Record<NetworkProperty, { app: string; computed: string }>;
    return { settings, webListeners: words(r.fields["web-listeners"] ?? ""), format: r.format };
  },
};

/** CommandSet in plugins/network/subcommands.go: attach-* take several networks, the rest one value. */
export const networkSet: CatalogEntry<"network.set"> = {
  async run(ctx, { app, property, value }) {
    const values = value === undefined ? [] : Array.isArray(value) ? value : [value];
    return commandResult(await ctx.dokku(["network:set", app, property, ...values]), app);
  },
};

/** network:create arrived in Dokku 0.20.0: on a supported Dokku "not a dokku command" means the core plugin is disabled. */
const NETWORK_COMMANDS_SINCE = "0.20.0";

/** One element of network:list's JSON: Go's DockerNetwork (plugins/network/functions.go), fields as declared. */
const listedJson = z.object({
  Name: z.string(),
  ID: z.string(),
  Driver: z.string(),
  Scope: z.string(),
  Internal: z.boolean(),
  IPv6: z.boolean(),
  Labels: z.record(z.string(), z.string()).nullable(),
  /** 0.38.22+; before, the label tells the same. */
  DokkuManaged: z.boolean().optional(),
});

/**
 * network:list's output (CommandList in plugins/network/subcommands.go of dokku/dokku), sorted by
 * name (Dokku prints them in Go's map order). JSON (0.35.3+): DockerNetwork objects, each's
 * `com.dokku.network-name` label marking one network:create made (DokkuManaged from 0.38.22);
 * text (before): "=====> Networks", then one name a line.
 */
export function parseNetworkList(stdout: string, format: "json" | "text"): DockerNetwork[] {
  const byName = (a: DockerNetwork, b: DockerNetwork) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);
  if (format === "text") {
    const names = stdout
      .split("\n")
      .map((l) => l.trim())
      .filter((l) => l !== "" && !l.startsWith("=====>"));
    return names.map((name) => ({ name, id: null, driver: null, scope: null, internal: null, ipv6: null, dokkuManaged: null })).sort(byName);
  }
  let raw: unknown;
  try {
    raw = JSON.parse(stdout.trim() || "[]");
  } catch (e) {
    throw new OpFailure("dokku_error", `network:list printed JSON the relay could not read: ${(e as Error).message.slice(0, 200)}`);
  }
  const parsed = z.array(listedJson).nullable().safeParse(raw);
  if (!parsed.success) throw new OpFailure("dokku_error", `network:list printed JSON of another shape: ${parsed.error.issues[0]?.message ?? ""}`);
  return (parsed.data ?? [])
    .map((n) => ({
      name: n.Name,
      id: n.ID,
      driver: n.Driver,
      scope: n.Scope,
      internal: n.Internal,
      ipv6: n.IPv6,
      dokkuManaged: n.DokkuManaged ?? Object.hasOwn(n.Labels ?? {}, DOKKU_NETWORK_LABEL),
    }))
    .sort(byName);
}

/** The label network:create puts on each network it makes (dokkuNetworkNameLabel in plugins/network/functions.go). */
export const DOKKU_NETWORK_LABEL = "com.dokku.network-name";

export const networkList: CatalogEntry<"network.list"> = {
  async run(ctx) {
    const format = versionAtLeast(ctx.dokkuVersion, NETWORK_LIST_JSON_SINCE) ? "json" : "text";
    const res = await ctx.dokku(format === "json" ? ["network:list", flag("--format"), "json"] : ["network:list"]);
    failIfFailed(unlessMissing(res, "network:list", NETWORK_COMMANDS_SINCE, ctx.dokkuVersion));
    return { networks: parseNetworkList(res.stdout, format), format };
  },
};

/** `network:create NAME` (CommandCreate): "-----> Creating network NAME"; docker's refusal after "Unable to create network:". */
export const networkCreate: CatalogEntry<"network.create"> = {
  async run(ctx, { name }) {
    const res = await ctx.dokku(["network:create", name]);
    return commandResult(unlessMissing(res, "network:create", NETWORK_COMMANDS_SINCE, ctx.dokkuVersion));
  },
};

/**
 * `network:destroy NAME --force` (CommandDestroy): the schema made the user type the name again,
 * the confirmation Dokku would ask for on a terminal; docker still refuses while a container uses it.
 */
export const networkDestroy: CatalogEntry<"network.destroy"> = {
  async run(ctx, { name }) {
    const res = unlessMissing(await ctx.dokku(["network:destroy", name, flag("--force")]), "network:destroy", NETWORK_COMMANDS_SINCE, ctx.dokkuVersion);
    // docker's "network NAME not found" (libnetwork's ErrNoSuchNetwork) is a missing network, not a failure
    if (res.exitCode === 1 && /Error response from daemon: network \S+ not found/.test(res.stderr))
      throw new OpFailure("not_found", failureMessage(res.stderr));
    return commandResult(res);
  },
};
