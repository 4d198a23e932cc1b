import type { OpResult, ReleaseDiff } from "../../protocol/ops.js";
import { appsScaleSet } from "../catalog/apps.js";
import { configSet, configUnset } from "../catalog/config.js";
import type { OpContext } from "../catalog/types.js";
import { domainsAdd, domainsRemove } from "../catalog/domains.js";
import { OpFailure } from "../dokku/failure.js";
import { diffSnapshots, isEmptyDiff, userConfig } from "./diff.js";
import { quiet } from "./record.js";
import { sourceOf, type Snapshot } from "./snapshot.js";
import { takeSnapshot } from "./take-snapshot.js";

/** What Docklight itself changed on an app, read from the argv its history keeps (values masked, names kept). */
interface Touched {
  config: Set<string>;
  scale: Set<string>;
  domains: Set<string>;
  ports: boolean;
  build: boolean;
}

/** The operands after `--` (or after the app, for commands that take none), of a recorded `dokku CMD …` argv. */
function operands(argv: string[], app: string): string[] {
  const end = argv.indexOf("--");
  if (end >= 0) return argv.slice(end + 1);
  const at = argv.indexOf(app);
  return at >= 0 ? argv.slice(at + 1) : [];
}

/** The names Docklight's own changes to `app` touched since `since` (ms): config keys, process types, domains. */
function touchedSince(ctx: OpContext, app: string, since: number): Touched {
  const t: Touched = { config: new Set(), scale: new Set(), domains: new Set(), ports: false, build: false };
  for (const e of ctx.history.scan({ app, show: "changes" })) {
    if (e.startedAt < since) break;
    if (e.outcome !== "ok") continue;
    const [, command] = e.argv;
    const names = operands(e.argv, app);
    if (command === "config:set") for (const kv of names) t.config.add(kv.split("=")[0]!);
    else if (command === "config:unset") for (const k of names) t.config.add(k);
    else if (command === "ps:scale") for (const tuple of names) t.scale.add(tuple.split("=")[0]!);
    else if (command?.startsWith("domains:")) for (const d of names) t.domains.add(d);
    else if (command?.startsWith("ports:")) t.ports = true;
    else if (command?.startsWith("builder:") || command?.startsWith("buildpacks:") || command === "git:set") t.build = true;
  }
  return t;
}

/** Split a diff in two by a test per name: [the names it holds, the rest]. */
function split(d: ReleaseDiff, t: Touched): [ReleaseDiff, ReleaseDiff] {
  const part = (mine: boolean): ReleaseDiff => {
    const pick = (xs: string[], set: Set<string>) => xs.filter((x) => set.has(x) === mine);
    const keys = (k: ReleaseDiff["config"], set: Set<string>) => ({ added: pick(k.added, set), removed: pick(k.removed, set), changed: pick(k.changed, set) });
    const none = { added: [], removed: [], changed: [] };
    return {
      // the code changes only by a deploy, which records a release: a commit differing from the live one was deployed outside
      code: mine ? null : d.code,
      config: keys(d.config, t.config),
      scale: d.scale.filter((s) => t.scale.has(s.type) === mine),
      domains: keys(d.domains, t.domains),
      ports: t.ports === mine ? d.ports : none,
      build: t.build === mine ? d.build : [],
    };
  };
  return [part(true), part(false)];
}

/** releases.drift: the app now against its live release, Docklight's own changes told from the rest. */
export async function driftOf(ctx: OpContext, app: string): Promise<OpResult<"releases.drift"> & { now: Snapshot | null; liveSnapshot: Snapshot | null }> {
  const live = ctx.history.releases.live(app);
  if (!live?.snapshot) return { live: null, pending: null, outside: null, now: null, liveSnapshot: null };
  const now = await takeSnapshot(ctx, app);
  const [pending, outside] = split(diffSnapshots(live.snapshot, now), touchedSince(ctx, app, live.finishedAt ?? live.startedAt));
  return {
    live: live.number,
    pending: isEmptyDiff(pending) ? null : pending,
    outside: isEmptyDiff(outside) ? null : outside,
    now,
    liveSnapshot: live.snapshot,
  };
}

/** releases.keep: the app's state now, recorded as a release (what was changed outside becomes what the live release says). */
export async function keepDrift(ctx: OpContext, app: string): Promise<{ output: string }> {
  const now = await takeSnapshot(quiet(ctx), app);
  const number = ctx.history.releases.record({
    app,
    opId: ctx.run.opId,
    startedWith: ctx.run.op,
    title: `Kept the changes made to ${app} outside Docklight`,
    by: ctx.run.requestedBy,
    outside: false,
    startedAt: Date.now(),
    finishedAt: Date.now(),
    outcome: "ok",
    source: sourceOf(now),
    buildId: null,
    rollbackTo: null,
    snapshot: now,
  });
  return { output: `Recorded ${app} as it is now as release ${number}.\n` };
}

/**
 * releases.revert: what was changed outside Docklight back to the live release's values. Config:
 * keys added outside unset (without a restart when a set follows), keys changed or removed outside
 * set to the recorded values in one `config:set` that restarts; scale back with one `ps:scale`;
 * domains added outside removed, removed ones added back.
 */
export async function revertDrift(ctx: OpContext, app: string): Promise<{ output: string }> {
  const d = await driftOf(quiet(ctx), app);
  if (!d.outside || !d.liveSnapshot || !d.now)
    throw new OpFailure("bad_request", `Nothing of ${app} was changed outside Docklight since its live release: nothing to revert.`);
  const recorded = userConfig(d.liveSnapshot.config);
  const out: string[] = [];
  const toSet = Object.fromEntries([...d.outside.config.changed, ...d.outside.config.removed].map((k) => [k, recorded[k]!]));
  const hasSet = Object.keys(toSet).length > 0;
  if (d.outside.config.added.length > 0) out.push((await configUnset.run(ctx, { app, keys: d.outside.config.added, noRestart: hasSet })).output);
  if (hasSet) out.push((await configSet.run(ctx, { app, vars: toSet, noRestart: false })).output);
  if (d.outside.scale.length > 0) {
    const scale = Object.fromEntries(d.outside.scale.map((s) => [s.type, d.liveSnapshot!.scale[s.type] ?? 0]));
    out.push((await appsScaleSet.run(ctx, { app, scale, skipDeploy: false })).output);
  }
  if (d.outside.domains.added.length > 0) out.push((await domainsRemove.run(ctx, { app, domains: d.outside.domains.added })).output);
  if (d.outside.domains.removed.length > 0) out.push((await domainsAdd.run(ctx, { app, domains: d.outside.domains.removed })).output);
  return { output: out.join("") };
}
