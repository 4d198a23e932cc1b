import type { OpContext } from "../catalog/types.js";

/** The Dokku version that records builds (`builds:list|info|output|cancel`, plugins/builds in dokku/dokku). */
export const BUILDS_SINCE = "0.38.0";

/**
 * Dokku's build record of the deploy Docklight just ran (0.38+), noted on its release. Filled in by
 * step 5 (builds:list); until then a release has no build id.
 */
export async function noteBuildOf(_ctx: OpContext, _app: string, _number: number, _since: number): Promise<void> {}
