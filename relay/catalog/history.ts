import type { CatalogEntry } from "./types.js";

/** history.list: one page of the relay's history, newest first (relay/history.ts). */
export const historyList: CatalogEntry<"history.list"> = {
  async run(ctx, { limit, offset, filter }) {
    return ctx.history.list(limit, offset, filter);
  },
};

/** history.export: the filtered history as CSV or JSON text. */
export const historyExport: CatalogEntry<"history.export"> = {
  async run(ctx, { format, filter, limit }) {
    return ctx.history.export(format, filter, limit);
  },
};

/** history.get: every command one op ran (a change's own page, once it ended). */
export const historyGet: CatalogEntry<"history.get"> = {
  async run(ctx, { opId }) {
    return { entries: ctx.history.get(opId) };
  },
};
