import { defineConfig } from "vitest/config";

/** Debian's Chromium, driven by playwright-core, against the full local stack. */
export default defineConfig({
  test: {
    include: ["test/browser/**/*.test.ts"],
    environment: "node",
    testTimeout: 120_000,
    hookTimeout: 180_000,
    fileParallelism: false,
    // a page's refresh after a change can take a few seconds on a busy two-core machine
    expect: { poll: { timeout: 10_000 } },
  },
});
