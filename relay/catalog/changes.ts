import type { CatalogEntry } from "./types.js";

/** changes.running: the changes this relay is running now (relay/ops/jobs.ts); no command runs. */
export const changesRunning: CatalogEntry<"changes.running"> = {
  async run(ctx) {
    return { changes: ctx.runningChanges() };
  },
};
