import { NETWORK_KEYS, type NetworkProperty } from "../../protocol/ops/network.js";
import { commandResult } from "../dokku/output.js";
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
