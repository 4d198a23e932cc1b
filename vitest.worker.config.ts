import { cloudflareTest } from "@cloudflare/vitest-pool-workers";
import { defineConfig } from "vitest/config";
import { testVars, TEST_PASSWORD } from "./test/support/worker-secrets.js";

/** Worker tests inside workerd (the real runtime), with the real wrangler.toml bindings. */
export default defineConfig(async () => {
  const vars = await testVars();
  return {
    plugins: [
      cloudflareTest({
        wrangler: { configPath: "./wrangler.toml" },
        miniflare: {
          bindings: {
            DOCKLIGHT_ENV: "production",
            DOCKLIGHT_PASSWORD_HASH: vars.DOCKLIGHT_PASSWORD_HASH,
            SESSION_SECRET: vars.SESSION_SECRET,
            OP_SIGNING_KEY: vars.OP_SIGNING_KEY,
            RELAY_TOKEN_HASHES: vars.RELAY_TOKEN_HASHES,
            TEST_PASSWORD,
            TEST_RELAY_TOKEN: vars.DOCKLIGHT_RELAY_TOKEN,
            TEST_OP_PUBLIC_X: vars.DOCKLIGHT_OP_PUBLIC_KEY,
          },
        },
      }),
    ],
    test: { include: ["test/worker/**/*.test.ts"], testTimeout: 30_000 },
  };
});
