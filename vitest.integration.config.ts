import { defineConfig } from "vitest/config";

/** The real edge in workerd (wrangler dev) and real relay processes against the simulator. */
export default defineConfig({
  test: {
    include: ["test/integration/**/*.test.ts"],
    environment: "node",
    testTimeout: 120_000,
    hookTimeout: 180_000,
    // Each file starts its own wrangler dev; two cores do not run several well.
    fileParallelism: false,
  },
});
