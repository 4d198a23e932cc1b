import { z } from "zod";
import { appName } from "../names.js";
import { appOnly, change, FRESH_MS, noArgs, read, reportFormat } from "./spec.js";

/**
 * An app's proxy (enabled, which implementation) and the nginx settings people change, applied
 * with `proxy:build-config`. Values are interpolated by Dokku into nginx.conf (the sigil template
 * in plugins/nginx-vhosts/templates of dokku/dokku), so each one is held to its own narrow form: a
 * `;`, a brace or a newline would add nginx directives of the caller's choosing.
 */

/** The proxy implementations Dokku ships (plugins/{nginx-vhosts,caddy-vhosts,haproxy-vhosts,traefik-vhosts,openresty-vhosts}). */
export const PROXY_TYPES = ["nginx", "openresty", "caddy", "haproxy", "traefik"] as const;
export const proxyType = z.enum(PROXY_TYPES, { error: `the proxy type is one of ${PROXY_TYPES.join(", ")}` });

const SIZE = "a size is a whole number with an optional k, m or g (0: no limit), e.g. 50m";
const TIME = "a time is a whole number with an optional unit ms, s, m, h or d, e.g. 60s";
const BOOL = "true or false";
/**
 * nginx writes its log files as root (the master process opens them), so a log path is where root
 * appends lines: only `off` or a file under /var/log (no `..`), never e.g. /etc/passwd.
 */
const LOG_PATH = "a log path is 'off' or a file under /var/log/ (letters, digits, '.', '_', '-', '/'; no '..')";

const size = z.string().regex(/^\d{1,6}[kKmMgG]?$/, SIZE);
const time = z.string().regex(/^\d{1,6}(ms|s|m|h|d)?$/, TIME);
const bool = z.enum(["true", "false"], { error: BOOL });
const logPath = z
  .string()
  .max(200, LOG_PATH)
  .refine((p) => p === "off" || (/^\/var\/log\/[A-Za-z0-9._/-]+$/.test(p) && !p.split("/").includes("..")), LOG_PATH);

/**
 * The nginx properties Docklight sets (a subset of nginx:set's VALID_KEYS in
 * plugins/nginx-vhosts/subcommands/set of dokku/dokku, the same list on 0.35 and 0.38), each with
 * its label, what it does and the form its value must take.
 */
export const NGINX_SETTINGS = {
  "client-max-body-size": { label: "Max request body", hint: "largest upload nginx accepts (nginx's default is 1m)", value: size },
  "proxy-read-timeout": { label: "Read timeout", hint: "how long nginx waits for the app's response", value: time },
  "proxy-connect-timeout": { label: "Connect timeout", hint: "how long nginx waits to connect to the app", value: time },
  "proxy-send-timeout": { label: "Send timeout", hint: "how long nginx waits while sending the request to the app", value: time },
  hsts: { label: "HSTS", hint: "send Strict-Transport-Security on HTTPS", value: bool },
  "hsts-max-age": {
    label: "HSTS max-age",
    hint: "seconds browsers remember to use HTTPS",
    value: z.string().regex(/^\d{1,10}$/, "max-age is a number of seconds"),
  },
  "hsts-include-subdomains": { label: "HSTS includeSubDomains", hint: "the policy covers subdomains too", value: bool },
  "hsts-preload": { label: "HSTS preload", hint: "ask to be listed in browsers' preload lists (hard to undo)", value: bool },
  "access-log-path": { label: "Access log", hint: "where nginx writes the app's access log", value: logPath },
  "error-log-path": { label: "Error log", hint: "where nginx writes the app's error log", value: logPath },
} as const;
export type NginxKey = keyof typeof NGINX_SETTINGS;
export const NGINX_KEYS = Object.keys(NGINX_SETTINGS) as NginxKey[];

/** Each setting: a value of its form, or null to unset it (Dokku's global or built-in default then applies). */
const nginxChanges = z
  .object(
    Object.fromEntries(NGINX_KEYS.map((k) => [k, NGINX_SETTINGS[k].value.nullable().optional()])) as {
      [K in NginxKey]: z.ZodOptional<z.ZodNullable<(typeof NGINX_SETTINGS)[K]["value"]>>;
    },
  )
  .strict()
  .refine((o) => Object.values(o).some((v) => v !== undefined), "name at least one setting to change");

/** One property as nginx:report prints it: the app's own value, the global one, and the one in force. */
export const nginxValue = z.object({ app: z.string(), global: z.string(), computed: z.string() });
export type NginxValue = z.infer<typeof nginxValue>;

const proxyInvalidates = ["proxy.report", "nginx.report"];

export const proxyOps = {
  /** `proxy:report APP` (Go): enabled, the app's type, the global one and the one in force. */
  "proxy.report": read({
    access: { scope: "app", area: "proxy" },
    args: appOnly,
    result: z.object({ enabled: z.boolean(), type: z.string(), globalType: z.string(), computedType: z.string(), format: reportFormat }),
    timeoutMs: 30_000,
    freshMs: FRESH_MS,
  }),
  /** `proxy:enable APP`: the proxy's config comes back and the app restarts (the proxy-enable trigger). */
  "proxy.enable": change({
    access: { scope: "app", area: "proxy" },
    title: "Enable the proxy of {app}",
    args: appOnly,
    timeoutMs: 600_000,
    streams: true,
    invalidates: [...proxyInvalidates, "apps.detail"],
  }),
  /** `proxy:disable APP`: the app is reached on its container ports only, and restarts. */
  "proxy.disable": change({
    access: { scope: "app", area: "proxy" },
    title: "Disable the proxy of {app}",
    args: appOnly,
    timeoutMs: 600_000,
    streams: true,
    invalidates: [...proxyInvalidates, "apps.detail"],
  }),
  /** `proxy:set APP TYPE`, then `proxy:build-config APP`. */
  "proxy.setType": change({
    access: { scope: "app", area: "proxy" },
    title: (a) => `Use ${a.type} as the proxy of ${a.app}`,
    args: z.object({ app: appName, type: proxyType }).strict(),
    timeoutMs: 300_000,
    streams: true,
    invalidates: proxyInvalidates,
  }),
  /** `nginx:report APP` (bash before 0.38.22, Go since): each setting Docklight offers, three ways. */
  "nginx.report": read({
    access: { scope: "app", area: "proxy" },
    args: appOnly,
    result: z.object({ settings: z.record(z.enum(NGINX_KEYS as [NginxKey, ...NginxKey[]]), nginxValue), format: reportFormat }),
    timeoutMs: 30_000,
    freshMs: FRESH_MS,
  }),
  /** `nginx:set APP KEY [VALUE]` per setting (no value: unset), then one `proxy:build-config APP`. */
  "nginx.set": change({
    access: { scope: "app", area: "proxy" },
    title: "Change the nginx settings of {app}",
    args: z.object({ app: appName, settings: nginxChanges }).strict(),
    timeoutMs: 300_000,
    streams: true,
    invalidates: proxyInvalidates,
  }),
  /** `nginx:reload` (Dokku 0.38.0+): checks the whole config (`nginx -t`) and reloads nginx. */
  "nginx.reload": change({
    access: { scope: "host", area: "proxy" },
    title: "Reload nginx",
    args: noArgs,
    timeoutMs: 120_000,
    streams: true,
    invalidates: ["nginx.report"],
  }),
} as const;
