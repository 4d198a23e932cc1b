import type { KeyChanges, ReleaseDiff, ReleaseSummary } from "../../../protocol/ops.js";

/**
 * A release's facts as pages show them: its outcome badge, where its code came from, and what it
 * changed (config KEYS and whether each was added, removed or changed, never a value: the relay
 * sends none).
 */

const short = (sha: string) => (sha ? sha.slice(0, 7) : "?");

/** A release's outcome as its badge: the badge's class and its word. */
export const OUTCOME: Record<ReleaseSummary["outcome"], [string, string]> = {
  ok: ["up", "deployed"],
  error: ["down", "failed"],
  timeout: ["down", "timed out"],
  killed: ["down", "stopped"],
  cancelled: ["warn", "cancelled"],
  running: ["idle", "running"],
};

/** Where a release's code came from, in a few words. */
export function SourceText({ r }: { r: ReleaseSummary }) {
  const s = r.source;
  if (s.kind === "git-sync")
    return (
      <span>
        commit <code>{short(s.sha)}</code> from <code>{s.repo}</code>
      </span>
    );
  if (s.kind === "git-push")
    return (
      <span>
        commit <code>{short(s.sha)}</code> (git push)
      </span>
    );
  if (s.kind === "image")
    return (
      <span>
        image <code>{s.image}</code>
      </span>
    );
  return (
    <span class="muted">
      {s.sha ? (
        <>
          commit <code>{short(s.sha)}</code>
        </>
      ) : (
        "not known"
      )}
    </span>
  );
}

const names = (xs: string[]) =>
  xs.map((x, i) => (
    <>
      {i > 0 ? ", " : ""}
      <code>{x}</code>
    </>
  ));

function Changes({ label, k }: { label: string; k: KeyChanges }) {
  const parts: Array<[string, string[]]> = [
    ["added", k.added],
    ["removed", k.removed],
    ["changed", k.changed],
  ];
  const shown = parts.filter(([, xs]) => xs.length > 0);
  if (shown.length === 0) return null;
  return (
    <li>
      {label}:{" "}
      {shown.map(([what, xs], i) => (
        <>
          {i > 0 ? "; " : ""}
          {what} {names(xs)}
        </>
      ))}
    </li>
  );
}

/** A diff as a list: code, config keys, scale, domains, ports, build settings; "nothing" when empty. */
export function DiffList({ diff }: { diff: ReleaseDiff }) {
  const items = [
    diff.code ? (
      <li>
        code: <code>{short(diff.code.from)}</code> → <code>{short(diff.code.to)}</code>
      </li>
    ) : null,
    <Changes label="config keys" k={diff.config} />,
    ...diff.scale.map((s) => (
      <li>
        scale <code>{s.type}</code>: {s.from ?? "none"} → {s.to ?? "none"}
      </li>
    )),
    <Changes label="domains" k={diff.domains} />,
    <Changes label="ports" k={diff.ports} />,
    ...diff.build.map((b) => (
      <li>
        {b.setting}: <code>{b.from || "(default)"}</code> → <code>{b.to || "(default)"}</code>
      </li>
    )),
  ];
  const none =
    diff.code === null &&
    diff.scale.length === 0 &&
    diff.build.length === 0 &&
    [diff.config, diff.domains, diff.ports].every((k) => k.added.length + k.removed.length + k.changed.length === 0);
  return none ? <p class="muted">No change to code, config, scale, domains, ports or build settings.</p> : <ul class="diff">{items}</ul>;
}
