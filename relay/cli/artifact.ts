import { readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { z } from "zod";

/**
 * Where the relay's own files are, and its version, whether it runs from a checkout (tsx
 * relay/cli/main.ts) or from the built artifact (one bundled relay.mjs beside its migrations/ and
 * package.json; scripts/build-relay.ts defines __RELAY_VERSION__ in the bundle).
 */
declare const __RELAY_VERSION__: string | undefined;

/** True in the built artifact, false in a checkout. */
export const FROM_ARTIFACT = typeof __RELAY_VERSION__ === "string";

/** The checkout's root, or the artifact's folder (which holds relay.mjs). */
const root = FROM_ARTIFACT ? import.meta.dirname : resolve(import.meta.dirname, "../..");

/** drizzle's migrations, applied at start. */
export const MIGRATIONS_DIR = join(root, "migrations");

/** The Dokku simulator, for `--simulator`: part of a checkout, never of the artifact. */
export const SIMULATOR: string | null = FROM_ARTIFACT ? null : join(root, "test/simulator/dokku");

/** The relay's version: the project's package.json version (baked into the artifact at build). */
export const RELAY_VERSION: string = FROM_ARTIFACT
  ? (__RELAY_VERSION__ as string)
  : z.object({ version: z.string() }).parse(JSON.parse(readFileSync(join(root, "package.json"), "utf8"))).version;
