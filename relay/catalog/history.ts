import { exportPage } from "../history/export.js";
import { OpFailure } from "../dokku/failure.js";
import { type CatalogEntry } from "./types.js";

/** history.list: one page of the relay's history, newest first, output as excerpts (relay/history/store.ts). */
export const historyList: CatalogEntry<"history.list"> = {
  async run(ctx, { limit, offset, filter }) {
    return ctx.history.page(limit, offset, filter);
  },
};

/** history.entry: one row with its whole output as kept. */
export const historyEntryOp: CatalogEntry<"history.entry"> = {
  async run(ctx, { id }) {
    const entry = ctx.history.entry(id);
    if (!entry) throw new OpFailure("not_found", `history has no command ${id}: it was pruned, or never recorded`);
    return { entry };
  },
};

/** history.export: one page of the filtered history as CSV or JSON text (relay/history/export.ts). */
export const historyExport: CatalogEntry<"history.export"> = {
  async run(ctx, args) {
    return exportPage(ctx.history, args);
  },
};

/** history.get: every command one op ran (a change's own page, once it ended). */
export const historyGet: CatalogEntry<"history.get"> = {
  async run(ctx, { opId }) {
    return { entries: ctx.history.get(opId) };
  },
};

/** history.verify: walk the hash chain (relay/history/chain.ts) against the heads the edge kept. */
export const historyVerify: CatalogEntry<"history.verify"> = {
  async run(ctx, { known }) {
    return ctx.history.chain.verify(known);
  },
};
