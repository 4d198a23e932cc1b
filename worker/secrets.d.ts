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
    /** Single sign-on by OpenID Connect (worker/sso/config.ts): the issuer, the client, its secret (none: a public client), the button's name. */
    OIDC_ISSUER?: string;
    OIDC_CLIENT_ID?: string;
    OIDC_CLIENT_SECRET?: string;
    OIDC_NAME?: string;
    /** Single sign-on by Cloudflare Access: the team domain (https://TEAM.cloudflareaccess.com) and the application's audience tag. */
    ACCESS_TEAM_DOMAIN?: string;
    ACCESS_AUD?: string;
    /** The alert checks' limits (worker/alerts/limits.ts), each optional: minutes offline, days before a certificate's expiry, disk and memory percent, minutes sustained. */
    ALERT_OFFLINE_MINUTES?: string;
    ALERT_CERT_DAYS?: string;
    ALERT_DISK_PERCENT?: string;
    ALERT_MEMORY_PERCENT?: string;
    ALERT_SUSTAIN_MINUTES?: string;
    /** Legacy (before the host registry): imported into HostRegistry, then no longer needed. */
    OP_SIGNING_KEY?: string;
    /** Legacy (before the host registry): imported into HostRegistry, then no longer needed. */
    RELAY_TOKEN_HASHES?: string;
  }
}
