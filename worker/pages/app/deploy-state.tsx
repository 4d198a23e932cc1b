import type { OpArgs, OpResult } from "../../../protocol/ops.js";
import { appUrl } from "../../urls.js";
import { IfMay, type May } from "../may.js";
import { PostForm } from "../post-form.js";
import { ReadPart, type AppRead } from "../read-part.js";

type Report = OpResult<"deploy.report">;
type ChecksState = OpArgs<"checks.set">["state"];

const CHECKS: Record<ChecksState, { label: string; says: string; button: string; confirm?: string }> = {
  enabled: {
    label: "on",
    says: "Each deploy starts the new containers and checks them before the old ones stop: no downtime.",
    button: "Turn checks on",
  },
  skipped: {
    label: "skipped",
    says: "New containers replace the old ones without being checked first: still no downtime, but a broken release goes live.",
    button: "Skip checks",
    confirm: "Skip zero-downtime checks? A release that does not start will still replace the running one.",
  },
  disabled: {
    label: "off",
    says: "The old containers stop before the new ones start: each deploy has downtime.",
    button: "Turn checks off",
    confirm: "Turn zero-downtime checks off? Every deploy will then have downtime.",
  },
};

function checksState(r: Report): ChecksState | "mixed" {
  if (r.checksDisabled.includes("_all_")) return "disabled";
  if (r.checksSkipped.includes("_all_")) return "skipped";
  if (r.checksDisabled.length === 0 && r.checksSkipped.length === 0) return "enabled";
  return "mixed";
}

/** The deploy lock as it stands, with Unlock (held) or Lock deploys (free). */
function DeployLock({ base, app, locked, may }: { base: string; app: string; locked: boolean; may: May }) {
  const [op, url, confirm, button] = locked
    ? (["apps.unlock", "unlock", `Remove the deploy lock of ${app}?`, "Unlock"] as const)
    : (["apps.lock", "lock", `Lock deploys of ${app}? No deploy starts until it is unlocked.`, "Lock deploys"] as const);
  return (
    <IfMay may={may} op={op} args={{ app }}>
      <div class="lock">
        {locked ? (
          <p>
            A deploy holds the lock, or an interrupted one left it behind. While it is held, no new deploy can start. Unlock only if no deploy is running:
            removing the lock does not stop one.
          </p>
        ) : null}
        <button type="button" hx-post={`${base}/deploy/${url}`} hx-target="#deploy-result" hx-disable="this" hx-confirm={confirm}>
          {button}
        </button>
      </div>
    </IfMay>
  );
}

/** Where the code came from, the deploy lock and the checks: reloaded in place after a change. */
export function DeployState({ host, app, report, historyHref, may }: AppRead<"deploy.report">) {
  const base = appUrl(host, app);
  return (
    <ReadPart
      id="deploy-state"
      href={appUrl(host, app, "/deploy/state")}
      reads={["deploy.report"]}
      outcome={report}
      historyHref={historyHref}
      show={(r) => {
        const state = checksState(r);
        return (
          <>
            <dl class="facts">
              <dt>Deployed from</dt>
              <dd>
                {r.deploySource ? <code>{r.deploySourceMetadata ? `${r.deploySource}: ${r.deploySourceMetadata}` : r.deploySource}</code> : "not deployed yet"}
              </dd>
              <dt>Deploy lock</dt>
              <dd>{r.locked ? <strong class="badge warn">held</strong> : "free"}</dd>
              <dt>Zero-downtime checks</dt>
              <dd data-checks={state}>
                {state === "mixed"
                  ? `per process type (disabled: ${r.checksDisabled.join(", ") || "none"}; skipped: ${r.checksSkipped.join(", ") || "none"})`
                  : CHECKS[state].label}
              </dd>
            </dl>
            <DeployLock base={base} app={app} locked={r.locked} may={may} />
            {state === "mixed" ? null : <p class="muted">{CHECKS[state].says}</p>}
            <IfMay may={may} op="checks.set" args={{ app }}>
              <div class="buttons">
                {(Object.keys(CHECKS) as ChecksState[])
                  .filter((s) => s !== state)
                  .map((s) => (
                    <PostForm action={`${base}/deploy/checks`} target="#deploy-result" confirm={CHECKS[s].confirm}>
                      <input type="hidden" name="state" value={s} />
                      <button type="submit">{CHECKS[s].button}</button>
                    </PostForm>
                  ))}
              </div>
            </IfMay>
          </>
        );
      }}
    />
  );
}
