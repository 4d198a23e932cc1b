import type { HistoryEntry } from "../../protocol/ops.js";
import { utcTime } from "./time.js";

/**
 * Pieces of one history row that several pages show (history, a row's page, a change's page).
 * Kept apart from the history page so that pages which show a row do not pull in what the
 * history page needs (sign-ins, the AuthGuard's types).
 */

const OUTCOME_BADGE: Record<HistoryEntry["outcome"], string> = {
  ok: "up",
  error: "down",
  timeout: "warn",
  killed: "warn",
  cancelled: "warn",
  running: "idle",
  interrupted: "warn",
};

/** A time (ms since epoch), as every page writes one (pages/time.ts). */
export const when = utcTime;

/** How a command ended, as a coloured badge (with its exit code when it ran to the end). */
export function OutcomeBadge({ e }: { e: HistoryEntry }) {
  return (
    <span class={`badge ${OUTCOME_BADGE[e.outcome]}`}>
      {e.outcome === "ok" || e.outcome === "error" ? `${e.outcome} ${e.exitCode ?? ""}`.trim() : e.outcome}
    </span>
  );
}
