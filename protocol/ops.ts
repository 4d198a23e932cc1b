import { z } from "zod";
import { BUILDERS, appName, buildDir, buildpackUrl, dbPlugin, domainName, envKey, gitRef, gitRemote, listedAppName, portMapping, processType, serviceName } from "./names.js";

/**
 * The op contract shared by edge and relay: for each op, its arguments, its result, whether it
 * changes the host and how long it may run. The relay's catalog (relay/catalog) turns each op into
 * an argv and parses what Dokku printed; the edge only ever names an op and its arguments.
 */

const runningState = z.enum(["true", "false", "mixed"]);

export const appSummary = z.object({
  name: listedAppName,
  deployed: z.boolean(),
  running: runningState,
  processes: z.number().int().min(0),
});
export type AppSummary = z.infer<typeof appSummary>;

/** What a command that changes something printed, for the page to show as text. */
export const commandOutput = z.object({
  output: z.string(),
  /** Dokku warned on stderr while exiting 0, e.g. "App x has not been deployed". */
  warning: z.string().optional(),
});
export type CommandOutput = z.infer<typeof commandOutput>;

export const historyEntry = z.object({
  id: z.number().int(),
  opId: z.string(),
  op: z.string(),
  app: z.string().nullable(),
  argv: z.array(z.string()),
  exitCode: z.number().int().nullable(),
  /** "running" while the command runs; "interrupted" if the relay died before it finished. */
  outcome: z.enum(["ok", "error", "timeout", "killed", "running", "interrupted"]),
  durationMs: z.number().int().min(0),
  requestedBy: z.string(),
  startedAt: z.number().int(),
  finishedAt: z.number().int(),
  stdout: z.string(),
  stderr: z.string(),
});
export type HistoryEntry = z.infer<typeof historyEntry>;

/** Filters shared by history.list and history.export. All optional; combined with AND. */
export const historyFilter = z
  .object({
    app: appName.optional(),
    op: z.string().max(64).regex(/^[a-z][a-zA-Z0-9.]*$/, "op is an op name such as apps.restart").optional(),
    outcome: z.enum(["ok", "error", "timeout", "killed", "running", "interrupted"]).optional(),
    /** Started at or after (ms since epoch). */
    from: z.number().int().min(0).optional(),
    /** Started before (ms since epoch). */
    to: z.number().int().min(0).optional(),
    /** Substring of argv, stdout or stderr (case-insensitive). */
    text: z.string().min(1).max(200).optional(),
  })
  .strict();
export type HistoryFilter = z.infer<typeof historyFilter>;

const appOnly = z.object({ app: appName }).strict();
/** Bounds the op schemas below enforce, exported for the edge's forms that restate them (config value length in UTF-16 code units). */
export const OP_LIMITS = { scaleCount: 100, scaleTypes: 20, configValueLength: 32 * 1024, configVars: 100, buildpackIndex: 100 } as const;
/** A Procfile scale: how many of each process type. */
const count = z.number().int().min(0).max(OP_LIMITS.scaleCount);
/** One config value: any text (spaces, quotes, $, newlines, NUL, unicode); sent base64-encoded as ONE argv element. */
const configValue = z.string().max(OP_LIMITS.configValueLength, "a config value is at most 32 KiB");

export const scaleEntry = z.object({ processType, quantity: z.number().int().min(0) });

export const healthSample = z.object({
  at: z.number().int(),
  /** Percent of CPU time busy since the previous sample (null on the very first sample). */
  cpuPercent: z.number().min(0).max(100).nullable(),
  memory: z.object({ totalBytes: z.number(), availableBytes: z.number(), usedPercent: z.number().min(0).max(100) }),
  disks: z.array(z.object({ path: z.string(), totalBytes: z.number(), freeBytes: z.number(), usedPercent: z.number().min(0).max(100) })),
  load: z.tuple([z.number(), z.number(), z.number()]),
  uptimeSeconds: z.number(),
});
export type HealthSample = z.infer<typeof healthSample>;

export const letsencryptRow = z.object({
  app: z.string(),
  /** As Dokku prints it: `YYYY-MM-DD HH:MM:SS` in the server's local time. */
  expiry: z.string(),
  timeBeforeExpiry: z.string(),
  timeBeforeRenewal: z.string(),
});

export const certsInfo = z.object({
  enabled: z.boolean(),
  dir: z.string(),
  hostnames: z.array(z.string()),
  expiresAt: z.string(),
  startsAt: z.string(),
  issuer: z.string(),
  subject: z.string(),
  verified: z.string(),
});

export const pluginInfo = z.object({ name: z.string(), version: z.string(), enabled: z.boolean(), description: z.string() });

export const ops = {
  "apps.list": {
    args: z.object({}).strict(),
    result: z.object({ apps: z.array(appSummary) }),
    mutates: false,
    timeoutMs: 30_000,
  },
  "apps.restart": {
    args: appOnly,
    result: commandOutput,
    mutates: true,
    timeoutMs: 300_000,
  },
  "apps.detail": {
    args: appOnly,
    result: z.object({
      name: appName,
      deployed: z.boolean(),
      running: runningState,
      processes: z.number().int().min(0),
      canScale: z.boolean(),
      restartPolicy: z.string(),
      containers: z.array(z.object({ process: z.string(), state: z.string(), cid: z.string().nullable() })),
      domains: z.object({ enabled: z.boolean(), vhosts: z.array(z.string()) }),
      git: z.object({ deployBranch: z.string(), sha: z.string(), lastUpdatedAt: z.number().int().nullable() }),
      /** Whether the reports were read as JSON (the Dokku version supports it) or text. */
      format: z.enum(["json", "text"]),
    }),
    mutates: false,
    timeoutMs: 30_000,
  },
  "apps.create": { args: appOnly, result: commandOutput, mutates: true, timeoutMs: 60_000 },
  "apps.destroy": {
    args: z
      .object({ app: appName, confirm: z.string().max(63) })
      .strict()
      .refine((a) => a.app === a.confirm, { message: "confirm must repeat the app name exactly", path: ["confirm"] }),
    result: commandOutput,
    mutates: true,
    timeoutMs: 180_000,
  },
  "apps.start": { args: appOnly, result: commandOutput, mutates: true, timeoutMs: 300_000 },
  "apps.stop": { args: appOnly, result: commandOutput, mutates: true, timeoutMs: 120_000 },
  "apps.rebuild": { args: appOnly, result: commandOutput, mutates: true, timeoutMs: 1_800_000 },
  "apps.scale.show": {
    args: appOnly,
    result: z.object({ scale: z.array(scaleEntry), format: z.enum(["json", "text"]) }),
    mutates: false,
    timeoutMs: 30_000,
  },
  "apps.scale.set": {
    args: z
      .object({
        app: appName,
        scale: z.record(processType, count).refine((r) => Object.keys(r).length >= 1 && Object.keys(r).length <= OP_LIMITS.scaleTypes, `give 1 to ${OP_LIMITS.scaleTypes} process types`),
        skipDeploy: z.boolean().default(false),
      })
      .strict(),
    result: commandOutput,
    mutates: true,
    timeoutMs: 600_000,
  },
  "config.get": {
    args: appOnly,
    /** Values go to the edge (to reveal one); they are never written to history. */
    result: z.object({ vars: z.record(z.string(), z.string()) }),
    mutates: false,
    timeoutMs: 30_000,
  },
  "config.set": {
    args: z
      .object({
        app: appName,
        vars: z.record(envKey, configValue).refine((r) => Object.keys(r).length >= 1 && Object.keys(r).length <= OP_LIMITS.configVars, `give 1 to ${OP_LIMITS.configVars} variables`),
        noRestart: z.boolean().default(false),
      })
      .strict(),
    result: commandOutput,
    mutates: true,
    timeoutMs: 600_000,
  },
  "config.unset": {
    args: z.object({ app: appName, keys: z.array(envKey).min(1).max(OP_LIMITS.configVars), noRestart: z.boolean().default(false) }).strict(),
    result: commandOutput,
    mutates: true,
    timeoutMs: 600_000,
  },
  "domains.report": {
    args: appOnly,
    result: z.object({
      appEnabled: z.boolean(),
      appVhosts: z.array(z.string()),
      globalEnabled: z.boolean(),
      globalVhosts: z.array(z.string()),
      format: z.enum(["json", "text"]),
    }),
    mutates: false,
    timeoutMs: 30_000,
  },
  /** Every app's domains in one process: the all-apps text report (its JSON form names no apps). */
  "domains.all": {
    args: z.object({}).strict(),
    result: z.object({ domains: z.record(listedAppName, z.array(z.string())) }),
    mutates: false,
    timeoutMs: 30_000,
  },
  "domains.add": {
    args: z.object({ app: appName, domains: z.array(domainName).min(1).max(50) }).strict(),
    result: commandOutput,
    mutates: true,
    timeoutMs: 120_000,
  },
  "domains.remove": {
    args: z.object({ app: appName, domains: z.array(domainName).min(1).max(50) }).strict(),
    result: commandOutput,
    mutates: true,
    timeoutMs: 120_000,
  },
  /** `ports:report` (Dokku 0.31+): the mappings set for the app, and those Dokku detected. */
  "ports.report": {
    args: appOnly,
    result: z.object({
      map: z.array(z.string()),
      detected: z.array(z.string()),
      format: z.enum(["json", "text"]),
    }),
    mutates: false,
    timeoutMs: 30_000,
  },
  "ports.add": {
    args: z.object({ app: appName, mappings: z.array(portMapping).min(1).max(20) }).strict(),
    result: commandOutput,
    mutates: true,
    timeoutMs: 120_000,
  },
  "ports.remove": {
    args: z.object({ app: appName, mappings: z.array(portMapping).min(1).max(20) }).strict(),
    result: commandOutput,
    mutates: true,
    timeoutMs: 120_000,
  },
  /** How the app deploys: the deploy lock, where its code came from, and its zero-downtime checks. */
  "deploy.report": {
    args: appOnly,
    result: z.object({
      locked: z.boolean(),
      deploySource: z.string(),
      deploySourceMetadata: z.string(),
      /** Process types whose checks are disabled / skipped; `_all_` means every one. */
      checksDisabled: z.array(z.string()),
      checksSkipped: z.array(z.string()),
      /** The app's own deploy branch ("" when it follows the global one) and the one in effect. */
      deployBranch: z.string(),
      effectiveDeployBranch: z.string(),
      /** The builder set for the app ("" = auto-detect), and the one Dokku detected or will use. */
      builder: z.string(),
      builderInEffect: z.string(),
      buildDir: z.string(),
      format: z.enum(["json", "text"]),
    }),
    mutates: false,
    timeoutMs: 30_000,
  },
  /** `checks:enable|disable|skip APP`: zero-downtime checks on, off (downtime on deploy) or skipped. */
  "checks.set": {
    args: z.object({ app: appName, state: z.enum(["enabled", "disabled", "skipped"]) }).strict(),
    result: commandOutput,
    mutates: true,
    timeoutMs: 120_000,
  },
  /** `git:set APP deploy-branch BRANCH`, or without a branch to follow the global one again. */
  "git.setDeployBranch": {
    args: z.object({ app: appName, branch: gitRef.optional() }).strict(),
    result: commandOutput,
    mutates: true,
    timeoutMs: 30_000,
  },
  /** `builder:set APP selected|build-dir [VALUE]`: an empty value unsets the property. */
  "builder.set": {
    args: z.discriminatedUnion("property", [
      z.object({ app: appName, property: z.literal("selected"), value: z.enum(BUILDERS).optional() }).strict(),
      z.object({ app: appName, property: z.literal("build-dir"), value: buildDir.optional() }).strict(),
    ]),
    result: commandOutput,
    mutates: true,
    timeoutMs: 30_000,
  },
  /** `buildpacks:report APP`: the buildpacks set for the app, in order (none: Dokku detects one). */
  "buildpacks.report": {
    args: appOnly,
    result: z.object({ buildpacks: z.array(z.string()), format: z.enum(["json", "text"]) }),
    mutates: false,
    timeoutMs: 30_000,
  },
  /** `buildpacks:add [--index N] APP URL` (N counts from 1). */
  "buildpacks.add": {
    args: z.object({ app: appName, url: buildpackUrl, index: z.number().int().min(1).max(OP_LIMITS.buildpackIndex).optional() }).strict(),
    result: commandOutput,
    mutates: true,
    timeoutMs: 30_000,
  },
  "buildpacks.remove": {
    args: z.object({ app: appName, url: buildpackUrl }).strict(),
    result: commandOutput,
    mutates: true,
    timeoutMs: 30_000,
  },
  "buildpacks.clear": { args: appOnly, result: commandOutput, mutates: true, timeoutMs: 30_000 },
  /** `git:sync --build APP REMOTE [REF]`: fetch the code from a repository and deploy it. */
  "git.sync": {
    args: z.object({ app: appName, remote: gitRemote, ref: gitRef.optional() }).strict(),
    result: commandOutput,
    mutates: true,
    timeoutMs: 1_800_000,
  },
  /** `apps:unlock APP`: remove a deploy lock left behind by an interrupted deploy. */
  "apps.unlock": { args: appOnly, result: commandOutput, mutates: true, timeoutMs: 30_000 },
  "tls.status": {
    args: appOnly,
    result: z.object({
      /** False when the letsencrypt plugin is not installed. */
      letsencryptInstalled: z.boolean(),
      /** This app's row of `letsencrypt:list`, or null when it has no active Let's Encrypt certificate. */
      letsencrypt: letsencryptRow.nullable(),
      certs: certsInfo,
      /** The e-mail Let's Encrypt registers with for this app, when set (null without the plugin). */
      email: z.string().nullable(),
    }),
    mutates: false,
    timeoutMs: 60_000,
  },
  "tls.list": {
    args: z.object({}).strict(),
    result: z.object({ rows: z.array(letsencryptRow) }),
    mutates: false,
    timeoutMs: 60_000,
  },
  "tls.setEmail": {
    args: z.object({ app: appName, email: z.email("email must be an e-mail address").max(254) }).strict(),
    result: commandOutput,
    mutates: true,
    timeoutMs: 60_000,
  },
  "tls.enable": { args: appOnly, result: commandOutput, mutates: true, timeoutMs: 600_000 },
  "tls.autoRenew": { args: appOnly, result: commandOutput, mutates: true, timeoutMs: 600_000 },
  "plugins.list": {
    args: z.object({}).strict(),
    result: z.object({ plugins: z.array(pluginInfo) }),
    mutates: false,
    timeoutMs: 30_000,
  },
  "databases.overview": {
    args: z.object({}).strict(),
    result: z.object({
      plugins: z.array(
        z.object({
          plugin: dbPlugin,
          installed: z.boolean(),
          services: z.array(z.string()),
          /** How to install it, when it is not installed. */
          install: z.string().nullable(),
        }),
      ),
    }),
    mutates: false,
    timeoutMs: 60_000,
  },
  "databases.list": {
    args: z.object({ plugin: dbPlugin }).strict(),
    result: z.object({ services: z.array(z.string()) }),
    mutates: false,
    timeoutMs: 30_000,
  },
  "databases.info": {
    args: z.object({ plugin: dbPlugin, service: serviceName }).strict(),
    result: z.object({
      /** The info fields as slugs ("config-dir", "dsn", "links", …); the DSN's password is masked. */
      fields: z.record(z.string(), z.string()),
      links: z.array(z.string()),
      status: z.string(),
      version: z.string(),
      dsn: z.string(),
    }),
    mutates: false,
    timeoutMs: 30_000,
  },
  "databases.create": {
    args: z.object({ plugin: dbPlugin, service: serviceName }).strict(),
    result: commandOutput,
    mutates: true,
    timeoutMs: 600_000,
  },
  "databases.link": {
    args: z.object({ plugin: dbPlugin, service: serviceName, app: appName, noRestart: z.boolean().default(false) }).strict(),
    result: commandOutput,
    mutates: true,
    timeoutMs: 600_000,
  },
  "databases.unlink": {
    args: z.object({ plugin: dbPlugin, service: serviceName, app: appName, noRestart: z.boolean().default(false) }).strict(),
    result: commandOutput,
    mutates: true,
    timeoutMs: 600_000,
  },
  "databases.destroy": {
    args: z
      .object({ plugin: dbPlugin, service: serviceName, confirm: z.string().max(63) })
      .strict()
      .refine((a) => a.service === a.confirm, { message: "confirm must repeat the service name exactly", path: ["confirm"] }),
    result: commandOutput,
    mutates: true,
    timeoutMs: 300_000,
  },
  "logs.tail": {
    args: z
      .object({
        app: appName,
        lines: z.number().int().min(1).max(10_000).default(100),
        process: processType.optional(),
        follow: z.boolean().default(true),
      })
      .strict(),
    /** The live lines go out as chunks; the result holds only the last lines (ANSI stripped). */
    result: z.object({ lines: z.array(z.string()), truncated: z.boolean() }),
    mutates: false,
    timeoutMs: 3_600_000,
  },
  "logs.failed": { args: appOnly, result: commandOutput, mutates: false, timeoutMs: 60_000 },
  "server.health": {
    args: z.object({}).strict(),
    result: z.object({ now: healthSample, series: z.array(healthSample) }),
    mutates: false,
    timeoutMs: 10_000,
  },
  /** Round trip through edge and relay without running anything: the link's latency. */
  "relay.ping": {
    args: z.object({}).strict(),
    result: z.object({ relayTime: z.number().int() }),
    mutates: false,
    timeoutMs: 5_000,
  },
  "history.list": {
    args: z
      .object({
        limit: z.number().int().min(1).max(200).default(50),
        offset: z.number().int().min(0).max(10_000_000).default(0),
        filter: historyFilter.default({}),
      })
      .strict(),
    result: z.object({ entries: z.array(historyEntry), total: z.number().int() }),
    mutates: false,
    timeoutMs: 10_000,
  },
  "history.export": {
    args: z
      .object({
        format: z.enum(["csv", "json"]),
        filter: historyFilter.default({}),
        limit: z.number().int().min(1).max(10_000).default(1000),
      })
      .strict(),
    result: z.object({ format: z.enum(["csv", "json"]), content: z.string(), rows: z.number().int() }),
    mutates: false,
    timeoutMs: 30_000,
  },
} as const;

export type OpName = keyof typeof ops;
export const opNames = Object.keys(ops) as OpName[];
export const opName = z.enum(opNames as [OpName, ...OpName[]]);

export type OpArgs<N extends OpName> = z.input<(typeof ops)[N]["args"]>;
export type OpParsedArgs<N extends OpName> = z.output<(typeof ops)[N]["args"]>;
export type OpResult<N extends OpName> = z.infer<(typeof ops)[N]["result"]>;

/**
 * A readable, bounded message for arguments that did not parse. Paths can hold attacker-chosen
 * record keys (env keys, process types) of any size, so each line is cut short.
 */
export function argsErrorMessage(error: z.ZodError): string {
  return z
    .prettifyError(error)
    .split("\n")
    .slice(0, 20)
    .map((l) => (l.length > 200 ? `${l.slice(0, 200)}…` : l))
    .join("\n");
}
