import { z } from "zod";
import type { Env } from "../env.js";

const latest = z.object({ version: z.string(), sha256: z.string().regex(/^[0-9a-f]{64}$/) });

/**
 * The relay release this edge serves (`/relay/latest.json`, which scripts/build-relay.ts writes
 * beside the tarball in public/): its version and the tarball's sha256, which the install command
 * pins. Null when the edge serves no release (assets not built): the command then goes without a pin.
 */
export async function servedRelease(env: Env, origin: string): Promise<{ version: string; sha256: string } | null> {
  try {
    const res = await env.ASSETS.fetch(new Request(`${origin}/relay/latest.json`));
    if (!res.ok) return null;
    const parsed = latest.safeParse(await res.json());
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}
