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
    // Pages reload their sections through the real edge, relay and simulator: on two busy cores that
    // can take seconds, so a polled expectation waits up to 15 s (vitest's default is 1 s).
    expect: { poll: { timeout: 15_000 } },
  },
});
