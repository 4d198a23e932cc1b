import type { AppState } from "../../protocol/ops.js";

/** How each app state reads on a page: the badge's text and colour. */
export const STATE_BADGE: Record<AppState, { label: string; cls: string }> = {
  running: { label: "running", cls: "up" },
  stopped: { label: "stopped", cls: "down" },
  "scaled-to-zero": { label: "scaled to 0", cls: "idle" },
  mixed: { label: "mixed", cls: "warn" },
  "not-deployed": { label: "not deployed", cls: "idle" },
  unknown: { label: "status unknown", cls: "warn" },
};

export type PsAction = "start" | "stop" | "restart" | "rebuild";

/**
 * The process actions that do something in each state, on every page that offers them: Start only
 * brings back what `ps:stop` stopped (after `ps:scale … =0` it starts nothing: Scale does), so a
 * stopped app is offered Start, not Restart (which would start it too, under a name that says it
 * was running); Restart and Rebuild need a deployed app; nothing is offered while the state is
 * unknown.
 */
export const ACTIONS_FOR: Record<AppState, PsAction[]> = {
  running: ["stop", "restart", "rebuild"],
  stopped: ["start", "rebuild"],
  "scaled-to-zero": ["rebuild"],
  mixed: ["start", "stop", "restart", "rebuild"],
  "not-deployed": [],
  unknown: [],
};

/**
 * Whether a host's page may offer changes: only while its relay is connected and every read the
 * page shows came from the host now. A page shown from the host's last known state (its relay is
 * offline, the reads carry `asOf`) offers none: they could not be done, and the state they were
 * chosen for may be gone. The one rule every page that offers a change asks.
 */
export function offersChanges(host: { connected: boolean }, ...reads: ReadonlyArray<{ kind: string; asOf?: number }>): boolean {
  return host.connected && reads.every((r) => r.kind !== "ok" || r.asOf === undefined);
}

/** The process actions offered for an app in `state`: ACTIONS_FOR it while the page offers changes (`offersChanges`), else none. */
export function actionsFor(state: AppState, live: boolean): PsAction[] {
  return live ? ACTIONS_FOR[state] : [];
}

export function StateBadge({ state, reason }: { state: AppState; reason?: string | null }) {
  const b = STATE_BADGE[state];
  return (
    <span class={`badge ${b.cls}`} data-state={state} title={reason ?? undefined}>
      {b.label}
    </span>
  );
}
