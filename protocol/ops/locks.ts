import { appOnly, change } from "./spec.js";

/**
 * The app's deploy lock as Dokku has it (CommandLock, CommandLocked, CommandUnlock in
 * plugins/apps/subcommands.go of dokku/dokku, every supported version): apps:report's
 * `app-locked` says whether it is held (deploy.report reads it), `apps:unlock` is deploy.ts's.
 */
export const locksOps = {
  /** `apps:lock APP`: no deploy starts until it is unlocked (e.g. during maintenance). */
  "apps.lock": change({
    access: { scope: "app", area: "deploy" },
    title: "Lock deploys of {app}",
    args: appOnly,
    timeoutMs: 30_000,
    streams: false,
    invalidates: ["deploy.report"],
  }),
} as const;
