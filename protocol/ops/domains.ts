import { z } from "zod";
import { appName, domainName, listedAppName } from "../names.js";
import { appOnly, change, FRESH_MS, noArgs, read, reportFormat } from "./spec.js";

/** The domains (vhosts) an app answers on. */

const domainList = z.object({ app: appName, domains: z.array(domainName).min(1).max(50) }).strict();

/** domains:add and domains:remove: a list of an app's domains, the proxy's config rebuilt (streamed), every domains view stale after. */
function domainsChange(title: string) {
  return change({
    access: { scope: "app", area: "domains" },
    title,
    args: domainList,
    timeoutMs: 120_000,
    streams: true,
    invalidates: ["domains.report", "domains.all", "apps.detail"],
  });
}

export const domainsOps = {
  "domains.report": read({
    access: { scope: "app", area: "domains" },
    args: appOnly,
    result: z.object({
      appEnabled: z.boolean(),
      appVhosts: z.array(z.string()),
      globalEnabled: z.boolean(),
      globalVhosts: z.array(z.string()),
      format: reportFormat,
    }),
    timeoutMs: 30_000,
    freshMs: FRESH_MS,
  }),
  /** Every app's domains in one process: the all-apps text report (its JSON form names no apps). */
  "domains.all": read({
    access: { scope: "host", area: "domains" },
    args: noArgs,
    result: z.object({ domains: z.record(listedAppName, z.array(z.string())) }),
    timeoutMs: 30_000,
    freshMs: FRESH_MS,
  }),
  "domains.add": domainsChange("Add domains to {app}"),
  "domains.remove": domainsChange("Remove domains from {app}"),
} as const;
