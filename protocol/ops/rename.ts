import { z } from "zod";
import { appName, listedAppName } from "../names.js";
import { change } from "./spec.js";

/**
 * Renaming and cloning an app (apps:rename, apps:clone in plugins/apps of dokku/dokku). A rename
 * may start from a name Dokku once allowed and no longer does (`listedAppName`: the apps shown as
 * "CLI only"), to a name valid today; a clone's source is a name valid today.
 */

/** A listed (possibly legacy) name that Dokku could never read as an option. */
const renamable = listedAppName.refine((s) => !s.startsWith("-"), "an app name may not start with '-'");

/** A new name differs from the old one (Dokku would say "Name is already taken"). */
const differs = (a: { app: string; newName: string }) => a.app !== a.newName;

export const renameOps = {
  "apps.rename": change({
    // it destroys the old app once the new one holds its settings: as host-reaching as a destroy
    access: { scope: "app", area: "apps", hostRoot: true },
    title: (a: { app: string; newName: string }) => `Rename ${a.app} to ${a.newName}`,
    args: z
      .object({ app: renamable, newName: appName, skipDeploy: z.boolean().default(false) })
      .strict()
      .refine(differs, { message: "the new name must differ from the old one", path: ["newName"] }),
    timeoutMs: 1_800_000,
    streams: true,
    invalidates: "host",
  }),
  "apps.clone": change({
    // makes a new app (with the source's config): like a create, a grant on the host covers it
    access: { scope: "host", area: "apps" },
    title: (a: { app: string; newName: string }) => `Clone ${a.app} to ${a.newName}`,
    args: z
      .object({ app: appName, newName: appName, skipDeploy: z.boolean().default(false), ignoreExisting: z.boolean().default(false) })
      .strict()
      .refine(differs, { message: "the new name must differ from the old one", path: ["newName"] }),
    timeoutMs: 1_800_000,
    streams: true,
    invalidates: "host",
  }),
} as const;
