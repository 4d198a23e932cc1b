import type { BuildRecord } from "../../protocol/ops.js";
import { OpFailure } from "../dokku/failure.js";
import { noticeOutside } from "../releases/outside.js";
import { versionAtLeast } from "../dokku/version.js";
import { BUILDS_SINCE } from "../dokku/builds.js";
import { driftOf, keepDrift, revertDrift } from "../releases/drift.js";
import { planRollback, runRollback } from "../releases/rollback.js";
import { type CatalogEntry } from "./types.js";

/** Releases live in the relay's SQLite (relay/releases/): listing them runs no command. */

/** On 0.38+, Dokku's build records first: deploys made outside Docklight become releases before the list is read. */
export const releasesList: CatalogEntry<"releases.list"> = {
  async run(ctx, { app }) {
    let noticed: { running: BuildRecord[]; recorded: number } = { running: [], recorded: 0 };
    let outsideError: string | null = null;
    try {
      noticed = await noticeOutside(ctx, app);
    } catch (e) {
      if (!(e instanceof OpFailure)) throw e;
      outsideError = e.message;
    }
    return {
      releases: ctx.history.releases.list(app),
      seesOutside: versionAtLeast(ctx.dokkuVersion, BUILDS_SINCE),
      running: noticed.running,
      outsideError,
      noticed: noticed.recorded,
    };
  },
};

export const releasesRecent: CatalogEntry<"releases.recent"> = {
  async run(ctx) {
    return { releases: ctx.history.releases.recent(), seesOutside: versionAtLeast(ctx.dokkuVersion, BUILDS_SINCE) };
  },
};

/** Reads the app as it is now to compare (config:export, scale, domains, ports, build settings): keys only in the answer. */
export const releasesPlan: CatalogEntry<"releases.plan"> = {
  async run(ctx, { app, number }) {
    const { target, diff, code, blocked } = await planRollback(ctx, app, number);
    return { target, diff, code, blocked };
  },
};

/** A release's config values, for a user who may reveal them (the op declares `reveals`). */
export const releasesValues: CatalogEntry<"releases.values"> = {
  async run(ctx, { app, number }) {
    const r = ctx.history.releases.get(app, number);
    if (!r) throw new OpFailure("not_found", `${app} has no release ${number} recorded on this host`);
    if (!r.snapshot) throw new OpFailure("not_found", `release ${number} of ${app} did not go live: no config was kept`);
    return { vars: r.snapshot.config };
  },
};

export const releasesRollback: CatalogEntry<"releases.rollback"> = {
  async run(ctx, { app, number }) {
    return runRollback(ctx, app, number);
  },
};

/** Reads the app now and its history since the live release: keys only in the answer. */
export const releasesDrift: CatalogEntry<"releases.drift"> = {
  async run(ctx, { app }) {
    const { live, pending, outside } = await driftOf(ctx, app);
    return { live, pending, outside };
  },
};

export const releasesKeep: CatalogEntry<"releases.keep"> = {
  async run(ctx, { app }) {
    return keepDrift(ctx, app);
  },
};

export const releasesRevert: CatalogEntry<"releases.revert"> = {
  async run(ctx, { app }) {
    return revertDrift(ctx, app);
  },
};
