import { z } from "zod";

/** Dokku's strict app-name rule (0.38.2+), valid on every version; capped at a DNS label. */
export const appName = z
  .string()
  .max(63, "app name is at most 63 characters")
  .regex(/^[a-z0-9][a-z0-9.-]*$/, "app name must start with a lowercase letter or digit and hold only a-z, 0-9, '.' and '-'");

/** A host id names one Dokku host (one relay, one HostHub). It appears in URLs. */
export const hostId = z
  .string()
  .max(32, "host id is at most 32 characters")
  .regex(/^[a-z0-9][a-z0-9-]*$/, "host id holds only a-z, 0-9 and '-', starting with a letter or digit");

/**
 * A name as Dokku may *list* it. Dokku 0.30–0.38.1 accepted far looser names (`;`, `$`, `<` after
 * the first character), and such apps still exist on old hosts: they are shown (as text) but
 * cannot be acted on from Docklight, whose arguments take only `appName`.
 */
export const listedAppName = z
  .string()
  .min(1)
  .max(255)
  // NUL too: no file name (an app is a directory under Dokku's home) and no argv element can hold one
  .regex(/^[^\s/\u0000]+$/, "a listed app name holds no whitespace, '/' or NUL");

/**
 * A form's text field the user must fill in: trimmed, and refused with one plain message (`give
 * WHAT`) when nothing but spaces is left, before `schema` checks its form (so an empty field never
 * also gets the form's messages). For the edge's forms; op arguments are never trimmed.
 */
export const required = <T extends z.ZodType<unknown, string>>(what: string, schema: T) =>
  z
    .string()
    .trim()
    .min(1, { error: `give ${what}`, abort: true })
    .pipe(schema);

export function isActionableAppName(name: string): boolean {
  return appName.safeParse(name).success;
}

export type AppName = z.infer<typeof appName>;
export type HostId = z.infer<typeof hostId>;

/** An environment variable name, as Dokku's config plugin accepts it. */
export const envKey = z
  .string()
  .max(255, "an env key is at most 255 characters")
  .regex(/^[A-Za-z_][A-Za-z0-9_]*$/, "an env key starts with a letter or '_' and holds only letters, digits and '_'");

/**
 * A domain as Dokku's domains plugin accepts it (lowercased, `^[a-z0-9.*-]*[a-z0-9*-]$`), restricted
 * further to a hostname: dot-separated labels of at most 63 characters, a leading `*.` wildcard allowed.
 */
export const domainName = z
  .string()
  .max(253, "a domain is at most 253 characters")
  .regex(
    /^(\*\.)?([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)*[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/,
    "a domain is a lowercase hostname: labels of a-z, 0-9 and '-' separated by '.', optionally starting with '*.'",
  );

/**
 * The schemes Dokku's proxies serve, offered when adding a mapping: http and https everywhere,
 * grpc and grpcs in nginx (plugins/nginx-vhosts/templates/nginx.conf.sigil of dokku/dokku;
 * `ports:add APP grpc:80:50051` in tests/unit/nginx-vhosts_3.bats), tcp and udp published by the
 * docker-local scheduler (scheduler-deploy-process-container).
 */
export const PORT_SCHEMES = ["http", "https", "grpc", "grpcs", "tcp", "udp"] as const;

/** `a, b or c`, for messages that list the accepted values. */
export const orList = (xs: readonly string[]) => (xs.length < 2 ? xs.join("") : `${xs.slice(0, -1).join(", ")} or ${xs.at(-1)}`);

const portsInRange = (m: string) =>
  m
    .split(":")
    .slice(1)
    .every((p) => Number(p) >= 1 && Number(p) <= 65535);

/** A new port mapping: `scheme:host-port:container-port` with a scheme the proxies serve, e.g. `http:80:5000`. */
export const portMapping = z
  .string()
  .regex(
    new RegExp(`^(${PORT_SCHEMES.join("|")}):\\d{1,5}:\\d{1,5}$`),
    `a port mapping is scheme:host-port:container-port with scheme ${orList(PORT_SCHEMES)}, e.g. http:80:5000`,
  )
  .refine(portsInRange, "ports run from 1 to 65535");

/**
 * A mapping as Dokku may list it, to remove it: parsePortMapString (plugins/ports/functions.go of
 * dokku/dokku) stores any scheme before the first `:`, so every listed one can be named here; the
 * scheme may not start with `-` (it is an argv element).
 */
export const listedPortMapping = z
  .string()
  .max(100, "a port mapping is at most 100 characters")
  .regex(/^([^\s:\-][^\s:]*)?:\d{1,5}:\d{1,5}$/, "a port mapping is scheme:host-port:container-port, e.g. http:80:5000")
  .refine(portsInRange, "ports run from 1 to 65535");

/**
 * Whether an http(s) or ssh URL carries credentials: ssh URLs may name a user (git@…) but never a
 * password, http(s) URLs neither. scp-like `git@host:path` is not such a URL and names a user only.
 * A URL that does not parse counts as carrying them.
 */
function carriesCredentials(url: string): boolean {
  if (!/^(https?|ssh):\/\//.test(url)) return false;
  try {
    const u = new URL(url);
    return u.password !== "" || (u.protocol !== "ssh:" && u.username !== "");
  } catch {
    return true;
  }
}

/**
 * What no value that becomes an argv element may start with: Dokku, git or ssh would read it as an
 * option. An empty value passes this check: the value's own form says what is missing, once.
 */
const NOT_AN_OPTION = /^(?!-)/;

/**
 * A Git remote for `git:sync`: an http(s) or ssh URL, or scp-like `user@host:path`. Credentials
 * in an http(s) URL are refused: they would sit in argv and history (use `dokku git:auth`). No
 * part starts with `-`: git:sync passes the remote to `git clone`, which hands user and host to ssh.
 */
export const gitRemote = z
  .string()
  .max(500, "a repository URL is at most 500 characters")
  .regex(NOT_AN_OPTION, "a repository URL may not start with '-'")
  .refine((r) => !/[\s\u0000-\u001f\u007f]/.test(r), "a repository URL holds no spaces or control characters")
  .refine(
    (r) =>
      /^(https?|ssh):\/\/([A-Za-z0-9_][^/\s@]*@)?[A-Za-z0-9[][^/\s@]*\/.+/.test(r) ||
      /^[A-Za-z0-9_][A-Za-z0-9._-]*@[A-Za-z0-9][A-Za-z0-9.-]*:[A-Za-z0-9._~/][A-Za-z0-9._~/-]*$/.test(r),
    "a repository is an https://, http:// or ssh:// URL, or user@host:path (no part starting with '-')",
  )
  .refine((r) => !carriesCredentials(r), "put no credentials in the URL (they would be kept in history): set them on the host with dokku git:auth");

/** A branch, tag or commit for `git:sync` (a safe subset of git-check-ref-format). */
export const gitRef = z
  .string()
  .max(200, "a branch, tag or commit is at most 200 characters")
  .regex(/^[A-Za-z0-9_][A-Za-z0-9._/-]*$/, "a branch, tag or commit holds letters, digits, '.', '_', '/' and '-', and starts with a letter, digit or '_'")
  .refine((r) => !r.includes("..") && !r.endsWith("/") && !r.endsWith(".lock") && !r.includes("//"), "that is not a valid branch, tag or commit name");

/** Dokku's builders (`builder:set APP selected X`); empty means auto-detect. */
export const BUILDERS = ["herokuish", "dockerfile", "pack", "nixpacks", "railpack", "lambda", "null"] as const;

/** A build directory inside the repository (`builder:set APP build-dir X`), relative, no `..`. */
export const buildDir = z
  .string()
  .max(200, "a build directory is at most 200 characters")
  .regex(/^[A-Za-z0-9_][A-Za-z0-9._/-]*$/, "a build directory is a relative path of letters, digits, '.', '_', '/' and '-'")
  .refine((d) => !d.split("/").includes(".."), "a build directory stays inside the repository (no '..')");

/**
 * A buildpack as Dokku takes it: `owner/name` (Heroku's short form) or an http(s)/git URL, with an
 * optional `#ref`. No credentials in it (they would be kept in history); neither it nor its host
 * starts with `-`.
 */
export const buildpackUrl = z
  .string()
  .max(500, "a buildpack URL is at most 500 characters")
  .regex(NOT_AN_OPTION, "a buildpack may not start with '-'")
  .regex(
    /^([A-Za-z0-9_][\w-]*\/[\w-]+|(https?:\/\/|git@)[A-Za-z0-9][^\s/:@]*[/:][^\s/:]+\/[^\s]+)$/,
    "a buildpack is owner/name (e.g. heroku/nodejs) or an https:// or git@ URL",
  )
  .refine((u) => !carriesCredentials(u), "put no credentials in a buildpack URL (they would be kept in history)");

/** An e-mail address for Let's Encrypt (`letsencrypt:set APP email X`), not starting with `-`. */
export const emailAddress = z
  .email("give an e-mail address, e.g. ops@example.com")
  .max(254, "an e-mail address is at most 254 characters")
  .regex(NOT_AN_OPTION, "an e-mail address may not start with '-'");

/** A datastore service name (dokku-postgres and friends: `^[A-Za-z0-9_-]+$`). */
export const serviceName = z
  .string()
  .max(63, "a service name is at most 63 characters")
  .regex(/^[A-Za-z0-9_][A-Za-z0-9_-]*$/, "a service name holds only letters, digits, '_' and '-', and does not start with '-'");

/** A Procfile process type (web, worker, …). */
export const processType = z
  .string()
  .max(63, "a process type is at most 63 characters")
  .regex(/^[a-z0-9][a-z0-9_-]*$/i, "a process type holds only letters, digits, '_' and '-', starting with a letter or digit");

export const dbPlugin = z.enum(["postgres", "redis", "mysql", "mariadb", "mongo"]);
export type DbPlugin = z.infer<typeof dbPlugin>;
