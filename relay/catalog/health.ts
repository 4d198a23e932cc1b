import { OpFailure } from "../dokku/failure.js";
import { type CatalogEntry } from "./types.js";

/** server.health: runs no command; the relay's background sampler answers. */
export const serverHealth: CatalogEntry<"server.health"> = {
  async run(ctx) {
    if (!ctx.health) throw new OpFailure("unavailable", "this relay does not sample server health");
    return { now: await ctx.health.now(), series: ctx.health.series() };
  },
};

/** relay.ping: runs nothing; the relay's clock, for the link's round-trip time. */
export const relayPing: CatalogEntry<"relay.ping"> = {
  async run() {
    return { relayTime: Date.now() };
  },
};
