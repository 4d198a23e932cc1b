import { defineConfig } from "vitest/config";

/** Debian's Chromium, driven by playwright-core, against the full local stack. */
export default defineConfig({
  test: {
    include: ["test/browser/**/*.test.ts"],
    environment: "node",
    testTimeout: 120_000,
    hookTimeout: 180_000,
    fileParallelism: false,
    // Pages reload their sections through the real edge, relay and simulator: on two busy cores that
    // can take seconds, so a polled expectation waits up to 15 s (vitest's default is 1 s).
    expect: { poll: { timeout: 15_000 } },
  },
});
