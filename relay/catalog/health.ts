import { OpFailure, type CatalogEntry } from "./types.js";

/** server.health: runs no command; the relay's background sampler answers. */
export const serverHealth: CatalogEntry<"server.health"> = {
  async run(ctx) {
    if (!ctx.health) throw new OpFailure("unavailable", "this relay does not sample server health");
    return { now: await ctx.health.now(), series: ctx.health.series() };
  },
};
