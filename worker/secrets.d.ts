/**
 * The edge's secrets (`wrangler secret put NAME`), which `wrangler types` cannot see in
 * wrangler.toml: merged into the generated Cloudflare.Env (worker/env.generated.d.ts).
 */
declare namespace Cloudflare {
  interface Env {
    DOCKLIGHT_PASSWORD_HASH?: string;
    SESSION_SECRET?: string;
    /** Only while rotating SESSION_SECRET: the old value, so the TOTP secret and device cookies still open. */
    SESSION_SECRET_PREVIOUS?: string;
    SESSION_TTL_HOURS?: string;
    /** Legacy (before the host registry): imported into HostRegistry, then no longer needed. */
    OP_SIGNING_KEY?: string;
    /** Legacy (before the host registry): imported into HostRegistry, then no longer needed. */
    RELAY_TOKEN_HASHES?: string;
  }
}
