import { z } from "zod";
import { CHANGE_TITLE_MAX } from "./frames.js";
import { appsOps } from "./ops/apps.js";
import { buildsOps } from "./ops/builds.js";
import { certsOps } from "./ops/certs.js";
import { renameOps } from "./ops/rename.js";
import { cronOps } from "./ops/cron.js";
import { imageOps } from "./ops/image.js";
import { hostSettingsOps } from "./ops/host-settings.js";
import { locksOps } from "./ops/locks.js";
import { changesOps } from "./ops/changes.js";
import { configOps } from "./ops/config.js";
import { databasesOps } from "./ops/databases.js";
import { databaseBackupsOps } from "./ops/database-backups.js";
import { databasePortsOps } from "./ops/database-ports.js";
import { databaseDumpsOps } from "./ops/database-dumps.js";
import { deployOps } from "./ops/deploy.js";
import { domainsOps } from "./ops/domains.js";
import { healthOps } from "./ops/health.js";
import { historyOps } from "./ops/history.js";
import { logsOps } from "./ops/logs.js";
import { pluginsOps } from "./ops/plugins.js";
import { portsOps } from "./ops/ports.js";
import { networkOps } from "./ops/network.js";
import { storageOps } from "./ops/storage.js";
import { dockerOptionsOps } from "./ops/docker-options.js";
import { proxyOps } from "./ops/proxy.js";
import { resourcesOps } from "./ops/resources.js";
import { DRIFT_READS, releasesOps } from "./ops/releases.js";
import type { Invalidates } from "./ops/spec.js";
import { tlsOps } from "./ops/tls.js";

export { buildId, buildRecord, BUILD_STATUSES, type BuildRecord } from "./ops/builds.js";
export { appState, appSummary, scaleEntry, type AppState, type AppSummary } from "./ops/apps.js";
export { healthSample, type HealthSample } from "./ops/health.js";
export {
  EXCERPT_CHARS,
  EXPORT_MAX_ROWS,
  EXPORT_PAGE_ROWS,
  HISTORY_OUTCOMES,
  HISTORY_REPLY_BYTES,
  HISTORY_SHOW,
  historyCursor,
  historyEntry,
  historyFilter,
  historyOutcome,
  historyRow,
  historyShow,
  type HistoryCursor,
  type HistoryEntry,
  type HistoryFilter,
  type HistoryOutcome,
  type HistoryRow,
  type HistoryShow,
} from "./ops/history.js";
export { deployBranchInfo, type DeployBranchInfo } from "./ops/deploy.js";
export { pluginInfo, pluginProblem, pluginRemedy, pluginStateText, pluginStatus, type PluginInfo, type PluginState, type PluginStatus } from "./ops/plugins.js";
export { commandOutput, OP_LIMITS, type CommandOutput, type Invalidates } from "./ops/spec.js";
export {
  releaseDiff,
  releaseDrift,
  releaseSummary,
  RELEASE_OUTCOMES,
  type KeyChanges,
  type ReleaseDiff,
  type ReleaseDrift,
  type ReleaseOutcome,
  type ReleaseSource,
  type ReleaseSummary,
} from "./ops/releases.js";
export { certsInfo, LETSENCRYPT_MIN_VERSION, letsencryptRow, wildcardsWithoutDns, type CertsInfo, type LetsencryptRow } from "./ops/tls.js";
export { CERT_MAX_CHARS, KEY_MAX_CHARS, pemCertificate, pemPrivateKey } from "./ops/certs.js";

/**
 * The op contract shared by edge and relay. Each domain declares its ops in protocol/ops/<domain>.ts
 * (see ops/spec.ts for what a declaration says); the relay runs each in relay/catalog/<domain>.ts,
 * which turns it into an argv and parses what Dokku printed. The edge only ever names an op and
 * its arguments.
 */
export const ops = {
  ...appsOps,
  ...configOps,
  ...domainsOps,
  ...portsOps,
  ...proxyOps,
  ...resourcesOps,
  ...networkOps,
  ...storageOps,
  ...dockerOptionsOps,
  ...deployOps,
  ...tlsOps,
  ...certsOps,
  ...renameOps,
  ...cronOps,
  ...imageOps,
  ...hostSettingsOps,
  ...locksOps,
  ...pluginsOps,
  ...databasesOps,
  ...databaseBackupsOps,
  ...databasePortsOps,
  ...databaseDumpsOps,
  ...logsOps,
  ...healthOps,
  ...historyOps,
  ...changesOps,
  ...releasesOps,
  ...buildsOps,
} as const;

export type OpName = keyof typeof ops;
export const opNames = Object.keys(ops) as OpName[];
export const opName = z.enum(opNames as [OpName, ...OpName[]]);

export type OpArgs<N extends OpName> = z.input<(typeof ops)[N]["args"]>;
export type OpParsedArgs<N extends OpName> = z.output<(typeof ops)[N]["args"]>;
export type OpResult<N extends OpName> = z.infer<(typeof ops)[N]["result"]>;

/** The ops that change the host (each answers with the command's output). */
export type ChangeOp = { [N in OpName]: (typeof ops)[N]["mutates"] extends true ? N : never }[OpName];
/** The ops that only read. */
export type ReadOp = Exclude<OpName, ChangeOp>;

export function isChangeOp(op: OpName): op is ChangeOp {
  return ops[op].mutates;
}

/** The ops that change the host, in declaration order (history's "changes"). */
export const changeOpNames: readonly ChangeOp[] = opNames.filter(isChangeOp);

/** How long a read's result stays fresh in the edge's read cache (ms); 0 for live reads and changes. */
export function freshMsOf(op: OpName): number {
  const spec = ops[op];
  return spec.mutates ? 0 : spec.freshMs;
}

/** Whether a read's result holds secrets (kept out of the edge's storage). */
export function isSecretRead(op: OpName): boolean {
  const spec = ops[op];
  return !spec.mutates && spec.secret;
}

/**
 * What a successful change makes stale in the edge's read cache: what it declares, and
 * releases.drift whenever one of the reads drift is made of is among them (DRIFT_READS).
 */
export function invalidatesOf(op: ChangeOp): Invalidates {
  const declared = ops[op].invalidates;
  if (declared === "host" || declared.includes("releases.drift") || !declared.some((r) => DRIFT_READS.includes(r))) return declared;
  return [...declared, "releases.drift"];
}

/**
 * What a read's answer made stale in the edge's read cache: what its declaration's `stales` says of
 * that answer (releases.list that recorded deploys made outside Docklight: the app's drift and the
 * host's recent releases), none for a read that declares nothing or a change.
 */
export function invalidatedByRead(op: OpName, result: unknown): readonly string[] {
  const spec = ops[op];
  if (spec.mutates || !("stales" in spec) || spec.stales === undefined) return [];
  return (spec.stales as (r: unknown) => readonly string[])(result);
}

/** The app an op's arguments name (`args.app`), or null for a host-wide op or args of another shape. */
export function appOf(args: unknown): string | null {
  return args !== null && typeof args === "object" && "app" in args && typeof args.app === "string" ? args.app : null;
}

/**
 * A change's human title, from its declaration (`title` in protocol/ops/<domain>.ts): `{app}` filled
 * with the app it names, or its title function given its parsed `args`. Without a title, or
 * without the args a title function needs (history keeps only the app), the op name, "on APP".
 * At most CHANGE_TITLE_MAX characters.
 */
export function changeTitle(op: string, app: string | null, args?: unknown): string {
  const spec = Object.hasOwn(ops, op) ? ops[op as OpName] : undefined;
  const title = spec?.mutates ? (spec.title as string | ((a: unknown) => string) | undefined) : undefined;
  const text =
    typeof title === "string" && (app !== null || !title.includes("{app}"))
      ? title.replaceAll("{app}", app ?? "")
      : typeof title === "function" && args !== undefined
        ? title(args)
        : `${op}${app ? ` on ${app}` : ""}`;
  return text.length > CHANGE_TITLE_MAX ? `${text.slice(0, CHANGE_TITLE_MAX - 1)}…` : text;
}

/** Every argument of a change, as an op's label shows it: "…" whatever its name. */
const anyArgs: unknown = new Proxy({}, { get: () => "…" });

/**
 * An op as a list of ops shows it (history's op filter): a change's title with each thing it names
 * as "…" ("Restart …", "Create … database …"), then its name in brackets; a read, or a change
 * without a title, as its name alone.
 */
export function opLabel(op: OpName): string {
  const spec = ops[op];
  const title = spec.mutates ? (spec.title as string | ((a: unknown) => string) | undefined) : undefined;
  if (title === undefined) return op;
  return `${typeof title === "string" ? title.replaceAll("{app}", "…") : title(anyArgs)} (${op})`;
}

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
