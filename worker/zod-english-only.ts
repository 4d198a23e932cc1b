/**
 * zod's `locales` namespace as the Worker's bundle carries it: English only. zod re-exports all of
 * its ~50 locales (`export * as locales from "../locales/index.js"` in zod/v4/classic/external.js
 * and zod/v4/core/index.js), which the bundler cannot drop although nothing calls them: 373 KB of
 * the Worker. wrangler.toml's `[alias]` sends that one import path here (the relay's build does the
 * same with an esbuild plugin, scripts/build-relay.ts). English stays: it is the locale zod
 * configures itself with, and so the one every error message the edge shows is written in.
 */
export { default as en } from "zod/v4/locales/en.js";
