import type { Env } from "../../worker/env.js";

declare global {
  namespace Cloudflare {
    interface Env extends import("../../worker/env.js").Env {
      TEST_PASSWORD: string;
      TEST_RELAY_TOKEN: string;
      TEST_OP_PUBLIC_X: string;
    }
  }
}
export type { Env };
