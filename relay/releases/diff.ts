import type { KeyChanges, ReleaseDiff } from "../../protocol/ops.js";
import { isDokkuKey, type Snapshot } from "./snapshot.js";

/** Names in `to` only, in `from` only, and (for records) in both with another value; sorted. */
function changesOf(from: Record<string, string> | string[], to: Record<string, string> | string[]): KeyChanges {
  const a = Array.isArray(from) ? Object.fromEntries(from.map((k) => [k, ""])) : from;
  const b = Array.isArray(to) ? Object.fromEntries(to.map((k) => [k, ""])) : to;
  const sort = (xs: string[]) => xs.sort();
  return {
    added: sort(Object.keys(b).filter((k) => !Object.hasOwn(a, k))),
    removed: sort(Object.keys(a).filter((k) => !Object.hasOwn(b, k))),
    changed: sort(Object.keys(b).filter((k) => Object.hasOwn(a, k) && a[k] !== b[k])),
  };
}

/** The user's config: without the keys Dokku writes itself (isDokkuKey). */
export function userConfig(config: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(config).filter(([k]) => !isDokkuKey(k)));
}

/**
 * What differs from `from` to `to`, as pages may show it: config KEYS (never values), scale counts,
 * domains, port mappings, build settings and the commit. Keys Dokku writes itself are left out.
 */
export function diffSnapshots(from: Snapshot, to: Snapshot): ReleaseDiff {
  const types = [...new Set([...Object.keys(from.scale), ...Object.keys(to.scale)])].sort();
  const build: ReleaseDiff["build"] = [];
  const setting = (name: string, a: string, b: string) => {
    if (a !== b) build.push({ setting: name, from: a, to: b });
  };
  setting("builder", from.build.builder, to.build.builder);
  setting("build directory", from.build.buildDir, to.build.buildDir);
  setting("buildpacks", from.build.buildpacks.join(", "), to.build.buildpacks.join(", "));
  setting("deploy branch", from.build.deployBranch, to.build.deployBranch);
  return {
    code: from.sha === to.sha ? null : { from: from.sha, to: to.sha },
    config: changesOf(userConfig(from.config), userConfig(to.config)),
    scale: types.map((type) => ({ type, from: from.scale[type] ?? null, to: to.scale[type] ?? null })).filter((s) => s.from !== s.to),
    domains: changesOf(from.domains, to.domains),
    ports: changesOf(from.ports, to.ports),
    build,
  };
}

/** Whether a diff says nothing changed. */
export function isEmptyDiff(d: ReleaseDiff): boolean {
  const none = (k: KeyChanges) => k.added.length + k.removed.length + k.changed.length === 0;
  return d.code === null && none(d.config) && d.scale.length === 0 && none(d.domains) && none(d.ports) && d.build.length === 0;
}
