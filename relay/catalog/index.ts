import { appsList, appsRestart } from "./apps.js";
import type { Catalog } from "./types.js";

/** Every op the relay will run. Anything not named here does not run. */
export const catalog: Catalog = {
  "apps.list": appsList,
  "apps.restart": appsRestart,
  "history.list": {
    async run(ctx, { limit, offset }) {
      return ctx.history.list(limit, offset);
    },
  },
};
