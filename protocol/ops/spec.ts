import { z } from "zod";
import { appName } from "../names.js";
import { RESULT_OUTPUT_CHARS, RESULT_WARNING_CHARS } from "../output-bound.js";

/**
 * How an op declares itself: its arguments and result, how long it may run, whether its output
 * streams to the viewer while it runs, and what it means for the edge's read cache (how long a read
 * stays fresh, what a change makes stale). Every list the two halves need (the changes a page may
 * run, the reads the edge may cache, the commands the relay streams) is derived from these.
 */

/**
 * What a command that changes something printed, for the page to show as text: its newest
 * RESULT_OUTPUT_CHARS at most (protocol/output-bound.ts; its page and history keep more).
 */
export const commandOutput = z.object({
  output: z.string().max(RESULT_OUTPUT_CHARS + 100),
  /** Dokku warned on stderr while exiting 0, e.g. "App x has not been deployed". */
  warning: z
    .string()
    .max(RESULT_WARNING_CHARS + 100)
    .optional(),
});
export type CommandOutput = z.infer<typeof commandOutput>;

/** Arguments naming one app and nothing else. */
export const appOnly = z.object({ app: appName }).strict();
/** No arguments. */
export const noArgs = z.object({}).strict();
/** Whether a report was read as JSON (the Dokku version supports it) or as text. */
export const reportFormat = z.enum(["json", "text"]);
/**
 * Bounds the op schemas enforce and the edge's forms restate (imported, never retyped): processes
 * per type and process types per scale, a config value's length (characters) and variables per
 * change, and a buildpack's position.
 */
export const OP_LIMITS = { scaleCount: 100, scaleTypes: 20, configValueLength: 32 * 1024, configVars: 100, buildpackIndex: 100 } as const;

/** ps:report's running state: `mixed` when some containers run and some do not. */
export const runningState = z.enum(["true", "false", "mixed"]);

/**
 * How long the edge may answer a read again without asking the host (ms): long enough to serve a
 * page and the fragments it loads, short enough that a change made outside Docklight shows soon.
 */
export const FRESH_MS = 10_000;

/**
 * How long past its freshness a read's result may still be shown, with its age, while it is read
 * again in the background (ms). A page never waits on the host for something it read recently.
 */
export const SERVE_STALE_MS = 300_000;

/**
 * Which cached reads a successful change makes stale: "host" (every read on the host), or the read
 * ops whose results it can change. Of those, a read that names an app is dropped for the app the
 * change names (for every app when the change names none); a read that names no app (a list such
 * as apps.list, a database's info) is dropped whatever the change names.
 */
export type Invalidates = "host" | readonly string[];

/** Reads that show whether an app's processes run: a restart, a stop or a deploy changes them. */
export const PROCESS_STATE = ["apps.list", "apps.detail"] as const;
/** Reads a deploy changes: the process state and types, where the code came from, the ports Dokku detected, the releases it records. */
export const DEPLOYED = [...PROCESS_STATE, "apps.scale.show", "deploy.report", "ports.report", "releases.list", "releases.recent"] as const;

/**
 * The areas ops belong to, for the roles: a deployer may change only what is in DEPLOYER_AREAS (on
 * the apps granted to them); every area can be read by anyone granted the app or host.
 */
export const OP_AREAS = [
  "apps",
  "processes",
  "deploy",
  "config",
  "domains",
  "logs",
  "releases",
  "ports",
  "tls",
  "certs",
  "databases",
  "plugins",
  "proxy",
  "storage",
  "resources",
  "docker-options",
  "network",
  "cron",
  "health",
  "history",
  "host",
] as const;
export type OpArea = (typeof OP_AREAS)[number];

/** What the deployer role may change (on the apps or hosts granted to it). */
export const DEPLOYER_AREAS: readonly OpArea[] = ["processes", "deploy", "config", "domains", "logs", "releases"];

/**
 * What an op needs to be allowed. The ONE policy (protocol/policy.ts) reads it where the edge signs
 * the op and again on the relay; routes and pages only ask that policy.
 */
export interface OpAccess {
  /**
   * "app": acts on the one app its arguments name (`args.app`): a grant on that app, or on its
   * host, covers it. "host": names no one app (a list, a plugin, a database): only a grant on the
   * host covers it.
   */
  scope: "app" | "host";
  /**
   * A host-scoped read that its `args.filter.app` narrows to one app's rows (history): narrowed so,
   * a grant on that app covers it as it covers an app-scoped read; unnarrowed, it needs the host.
   */
  appFilter: boolean;
  /** What it belongs to, for the deployer role (DEPLOYER_AREAS). */
  area: OpArea;
  /**
   * Reaches beyond one app into the host (plugins, docker options, storage mounts, destroying an
   * app): only the owner, an admin, or a user with an explicit host-root grant on the host.
   */
  hostRoot: boolean;
  /** Reveals a secret (a config value, a database URL): needs the reveal permission (never a viewer). */
  reveals: boolean;
}

/** How an op declares its access: scope and area always, appFilter, hostRoot and reveals when true. */
export type OpAccessInput = Pick<OpAccess, "scope" | "area"> & Partial<Pick<OpAccess, "appFilter" | "hostRoot" | "reveals">>;

function access(input: OpAccessInput): OpAccess {
  return { appFilter: false, hostRoot: false, reveals: false, ...input };
}

interface Declared<A extends z.ZodType, R extends z.ZodType> {
  /** What it needs to be allowed (read by the one policy). */
  access: OpAccess;
  args: A;
  result: R;
  /** How long the relay lets the op's command run (ms) before it kills it. */
  timeoutMs: number;
  /** Whether the command's output goes to the viewer line by line while it runs. */
  streams: boolean;
}

/** A read: changes nothing on the host. */
export interface ReadSpec<A extends z.ZodType, R extends z.ZodType> extends Declared<A, R> {
  mutates: false;
  /** How long its result stays fresh in the edge's read cache (ms); 0 = never cached (live data). */
  freshMs: number;
  /** Its result holds secrets (config values): the edge caches it in memory only, never in storage. */
  secret: boolean;
  /**
   * What its answer says it made stale in the edge's read cache, for a read that records something
   * on the relay as it reads (releases.list records the deploys made outside Docklight it notices).
   */
  stales?: (result: z.output<R>) => readonly string[];
}

/**
 * A change's human title, as the running bar and its own page show it ("Rebuild api", "Create
 * postgres database db"): a text in which `{app}` stands for the app the change names (history
 * keeps the app, so a change that ended is titled too), or a function of its parsed arguments for a
 * change whose subject is not an app. Never put a config value in it: titles are listed to anyone
 * signed in.
 */
export type ChangeTitle<A extends z.ZodType> = string | ((args: z.output<A>) => string);

/** A change: runs a command that changes the host, and answers with what it printed. */
export interface ChangeSpec<A extends z.ZodType> extends Declared<A, typeof commandOutput> {
  mutates: true;
  invalidates: Invalidates;
  /** Its human title; without one, pages show the op name. */
  title?: ChangeTitle<A>;
  /**
   * It deploys the app its arguments name: when it ends, whatever its outcome, the relay records a
   * release of that app (relay/releases/record.ts, called where every change ends).
   */
  deploys: boolean;
}

/** Declare a read (streams and secret: false unless it says so). */
export function read<A extends z.ZodType, R extends z.ZodType>(spec: {
  access: OpAccessInput;
  args: A;
  result: R;
  timeoutMs: number;
  freshMs: number;
  streams?: boolean;
  secret?: boolean;
  stales?: (result: z.output<R>) => readonly string[];
}): ReadSpec<A, R> {
  return { mutates: false, streams: false, secret: false, ...spec, access: access(spec.access) };
}

/** Declare a change: its result is always the command's output (`deploys` false unless it says so). */
export function change<A extends z.ZodType>(spec: {
  access: OpAccessInput;
  args: A;
  timeoutMs: number;
  streams: boolean;
  invalidates: Invalidates;
  title?: ChangeTitle<A>;
  deploys?: boolean;
}): ChangeSpec<A> {
  return { mutates: true, result: commandOutput, deploys: false, ...spec, access: access(spec.access) };
}
