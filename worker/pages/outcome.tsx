import type { Child } from "hono/jsx";
import { appUrl, opUrl } from "../urls.js";
import { isActionableAppName } from "../../protocol/names.js";
import { ago } from "./ago.js";
import type { CommandOutput, OpName } from "../../protocol/ops.js";
import type { Outcome } from "../hub/outcome.js";

type Failed = Exclude<Outcome<OpName>, { kind: "ok" }>;

const titles: Record<Failed["kind"], string> = {
  error: "Failed",
  timeout: "Timed out",
  offline: "Host offline",
  unknown: "Outcome unknown",
};

/**
 * The app a failure says holds a deploy lock: acquire_app_deploy_lock in plugins/common/functions
 * of dokku/dokku fails with `APP currently has a deploy lock in place. Exiting...` (a restart, a
 * database link or unlink, a config change while a deploy runs or after one died half-way).
 */
export function deployLockedApp(message: string): string | null {
  const app = /^(\S+) currently has a deploy lock in place\b/m.exec(message)?.[1];
  return app !== undefined && isActionableAppName(app) ? app : null;
}

/**
 * An op that did not succeed, said plainly, with Dokku's own message as text. A change refused as
 * "busy" links to the page of the change that holds the app, when `host` is given and the relay
 * named it; one Dokku refused for a deploy lock points to the app's Deploy tab, where Unlock is.
 */
export function OutcomeMessage({ outcome, historyHref, host }: { outcome: Failed; historyHref: string; host?: string }) {
  const title =
    outcome.kind === "error" && outcome.code === "not_found"
      ? "Not found"
      : outcome.kind === "error" && outcome.code === "busy"
        ? "Busy: another change to this app is running"
        : outcome.kind === "error" && outcome.code === "cancelled"
          ? "Cancelled"
          : titles[outcome.kind];
  const locked = outcome.kind === "error" ? deployLockedApp(outcome.message) : null;
  return (
    <div class={`outcome outcome-${outcome.kind}`} role="alert">
      <strong>{title}</strong>
      <pre class="message">{outcome.message}</pre>
      {outcome.kind === "error" && outcome.code === "busy" && outcome.opId && host ? (
        <p>
          <a href={opUrl(host, outcome.opId)}>Follow the running change on its page</a> — this one can run once it ended.
        </p>
      ) : null}
      {locked && host ? (
        <p class="lock-hint">
          {locked} is locked by a deploy. If no deploy is running (one that died half-way leaves its lock behind),{" "}
          <a href={appUrl(host, locked, "/deploy")}>unlock it on its Deploy tab</a>, then try again.
        </p>
      ) : null}
      {outcome.kind === "unknown" ? (
        <p>
          The reply was lost, so Docklight will not retry it. <a href={historyHref}>Check the history</a> to see what ran.
        </p>
      ) : null}
      {outcome.kind === "offline" ? <p>The relay on this host is not connected. Commands cannot reach it until it reconnects.</p> : null}
    </div>
  );
}

/** HTTP status for a failed op: the page or fragment is still rendered (htmx 4 swaps errors too). */
export function outcomeStatus(outcome: Failed): 400 | 403 | 404 | 409 | 502 | 503 | 504 {
  switch (outcome.kind) {
    case "offline":
      return 503;
    case "timeout":
    case "unknown":
      return 504;
    case "error":
      if (outcome.code === "not_found") return 404;
      if (outcome.code === "bad_request") return 400;
      if (outcome.code === "busy") return 409;
      if (outcome.code === "denied" || outcome.code === "rejected") return 403;
      return 502;
  }
}

/**
 * A change that succeeded: what happened, Dokku's warning when it printed one (an exit-0 warning
 * is not a plain success), its output when it was not streamed, and whatever the page adds.
 */
export function ChangeDone({ title, result, children }: { title: string; result: CommandOutput; children?: Child }) {
  return (
    <div class={`outcome ${result.warning ? "outcome-warning" : "outcome-ok"}`} role="status">
      <strong>{title}</strong>
      {result.warning ? <pre class="message">{result.warning}</pre> : null}
      {result.output ? (
        <details>
          <summary>Output</summary>
          <pre>{result.output}</pre>
        </details>
      ) : null}
      {children}
    </div>
  );
}

/**
 * A part of the page shown from what was read a while ago (the edge's cache, past its freshness):
 * how old it is; it is being read again, so a reload shows the newest.
 */
export function StaleNote({ ageMs }: { ageMs: number }) {
  return (
    <p class="stale muted" role="status">
      As read {ago(Date.now() - ageMs)}; reading it again now — <a href="">reload</a> for the newest.
    </p>
  );
}

/**
 * A part of the page shown from the host's last known state (its relay is offline): when it was
 * read. Nothing that changes the host is offered beside it (see `offersChanges`).
 */
export function OfflineNote({ asOf }: { asOf: number }) {
  const at = new Date(asOf);
  return (
    <p class="stale offline-note" role="status">
      <span class="badge down">host offline</span> As of <time datetime={at.toISOString()}>{at.toISOString().slice(0, 19).replace("T", " ")} UTC</time> (
      {ago(asOf)}): the last state the host reported. Nothing can be changed until its relay is back.
    </p>
  );
}
