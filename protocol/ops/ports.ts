import { z } from "zod";
import { appName, listedPortMapping, portMapping } from "../names.js";
import { appOnly, change, FRESH_MS, read, reportFormat } from "./spec.js";

/** The port mappings (`scheme:host:container`) the proxy routes to an app. */

/** Adding takes the schemes the proxies serve; removing takes any mapping Dokku lists. */
const mappingList = z.object({ app: appName, mappings: z.array(portMapping).min(1).max(20) }).strict();
const listedMappingList = z.object({ app: appName, mappings: z.array(listedPortMapping).min(1).max(20) }).strict();

export const portsOps = {
  /** `ports:report` (Dokku 0.31+): the mappings set for the app, and those Dokku detected. */
  "ports.report": read({
    access: { scope: "app", area: "ports" },
    args: appOnly,
    result: z.object({ map: z.array(z.string()), detected: z.array(z.string()), format: reportFormat }),
    timeoutMs: 30_000,
    freshMs: FRESH_MS,
  }),
  "ports.add": change({
    access: { scope: "app", area: "ports" },
    title: "Add port mappings to {app}",
    args: mappingList,
    timeoutMs: 120_000,
    streams: true,
    invalidates: ["ports.report"],
  }),
  "ports.remove": change({
    access: { scope: "app", area: "ports" },
    title: "Remove port mappings from {app}",
    args: listedMappingList,
    timeoutMs: 120_000,
    streams: true,
    invalidates: ["ports.report"],
  }),
} as const;
