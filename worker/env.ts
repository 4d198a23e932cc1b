import { z } from "zod";
import { hostId } from "../protocol/names.js";
import { MAX_PBKDF2_ITERATIONS, MIN_PBKDF2_ITERATIONS, PASSWORD_HASH_PATTERN } from "./auth/password.js";
import { opSigningJwk } from "./registry/op-key.js";
import { alertLimitsConfig, alertLimitsInput } from "./alerts/limits.js";
import { ssoConfig, ssoInput } from "./sso/config.js";

export type { OpSigningJwk } from "./registry/op-key.js";

/**
 * Bindings and secrets as wrangler hands them to the Worker: the bindings are generated from
 * wrangler.toml by `npm run types` (worker/env.generated.d.ts, as Cloudflare's templates do, so no
 * hand-written type imports the Durable Object classes), the secrets are declared in
 * worker/secrets.d.ts.
 */
export type Env = Cloudflare.Env;

const jsonString = <T extends z.ZodType>(schema: T, what: string) =>
  z.string({ error: `${what} is not set` }).transform((s, ctx) => {
    try {
      return schema.parse(JSON.parse(s)) as z.output<T>;
    } catch {
      ctx.addIssue({ code: "custom", message: `${what} is not valid JSON of the expected shape` });
      return z.NEVER;
    }
  });

const configSchema = z.object({
  production: z.boolean(),
  passwordHash: z
    .string({ error: "DOCKLIGHT_PASSWORD_HASH is not set (make one with `npm run password`)" })
    .regex(PASSWORD_HASH_PATTERN, "DOCKLIGHT_PASSWORD_HASH is not a pbkdf2-sha256$iterations$salt$hash value (make one with `npm run password`)")
    .refine((s) => {
      const n = Number(PASSWORD_HASH_PATTERN.exec(s)?.[1]);
      return n >= MIN_PBKDF2_ITERATIONS && n <= MAX_PBKDF2_ITERATIONS;
    }, `DOCKLIGHT_PASSWORD_HASH must use ${MIN_PBKDF2_ITERATIONS}–${MAX_PBKDF2_ITERATIONS} PBKDF2 iterations (Workers refuse more; make one with \`npm run password\`)`),
  sessionSecret: z
    .string({ error: "SESSION_SECRET is not set" })
    .refine((s) => new TextEncoder().encode(s).length >= 32, "SESSION_SECRET must be at least 32 bytes")
    .refine((s) => new Set(s).size >= 10, "SESSION_SECRET looks weak (too few distinct characters); use 32 random bytes"),
  sessionSecretPrevious: z
    .string()
    .refine((s) => new TextEncoder().encode(s).length >= 32, "SESSION_SECRET_PREVIOUS must be at least 32 bytes (the old SESSION_SECRET)")
    .optional(),
  sessionTtlHours: z.coerce
    .number()
    .int()
    .min(1)
    .max(24 * 30)
    .default(24),
  /**
   * The secrets of deployments made before the host registry. Optional: when set, HostRegistry
   * imports them (again whenever they change) and the Hosts page says they can be deleted.
   */
  /** Single sign-on (worker/sso/): OpenID Connect and Cloudflare Access, each off unless configured. */
  sso: ssoConfig,
  /** The alert checks' limits (worker/alerts/limits.ts): ALERT_LIMITS unless set. */
  alertLimits: alertLimitsConfig,
  legacy: z.object({
    opSigningKey: jsonString(opSigningJwk, "OP_SIGNING_KEY").optional(),
    relayTokenHashes: jsonString(z.record(hostId, z.string().regex(/^[0-9a-f]{64}$/)), "RELAY_TOKEN_HASHES").optional(),
  }),
});
export type Config = z.infer<typeof configSchema>;

export type ConfigResult = { ok: true; config: Config } | { ok: false; problems: string[] };

/**
 * The edge's configuration, checked once per isolate. A missing or weak secret is a refusal to
 * serve, never a default.
 */
let cached: { env: Env; result: ConfigResult } | null = null;
export function readConfig(env: Env): ConfigResult {
  if (cached?.env === env) return cached.result;
  const parsed = configSchema.safeParse({
    production: (env.DOCKLIGHT_ENV ?? "production") !== "development",
    passwordHash: env.DOCKLIGHT_PASSWORD_HASH,
    sessionSecret: env.SESSION_SECRET,
    sessionSecretPrevious: env.SESSION_SECRET_PREVIOUS || undefined,
    sessionTtlHours: env.SESSION_TTL_HOURS,
    sso: ssoInput(env),
    alertLimits: alertLimitsInput(env),
    legacy: { opSigningKey: env.OP_SIGNING_KEY || undefined, relayTokenHashes: env.RELAY_TOKEN_HASHES || undefined },
  });
  const result: ConfigResult = parsed.success ? { ok: true, config: parsed.data } : { ok: false, problems: parsed.error.issues.map((i) => i.message) };
  cached = { env, result };
  return result;
}
