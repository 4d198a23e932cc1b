import type { LoginRecord } from "../guard/auth-guard.js";
import { isStartScriptAgent } from "../guard/script-agent.js";
import { utcTime } from "./time.js";
import { Table } from "./table.js";

const OUTCOME_TEXT: Record<LoginRecord["outcome"], string> = {
  success: "signed in",
  bad_password: "wrong password",
  bad_code: "wrong second-factor code",
  bad_passkey: "passkey refused",
  sso_refused: "single sign-on refused",
  locked: "refused: too many attempts",
  second_factor: "password right, code asked",
};

const when = utcTime;

/** Sign-ins to the dashboard, newest first: when, the result, the client's IP and browser (as text). */
export function SignInsTable({
  logins,
  users = false,
}: {
  logins: LoginRecord[];
  /** Show whose sign-in each was (the owner's view of everyone's). */ users?: boolean;
}) {
  return (
    <>
      {logins.length === 0 ? (
        <p>No sign-ins recorded yet.</p>
      ) : (
        <Table class="logins" columns={["When", users ? "User" : null, "Result", "IP", "Browser"]} wrap>
          {logins.map((l) => (
            <tr class={l.outcome === "success" ? "ok" : "failed"}>
              <td data-label="When">{when(l.at)}</td>
              {users ? <td data-label="User">{l.user ?? "—"}</td> : null}
              <td data-label="Result">
                {OUTCOME_TEXT[l.outcome] ?? l.outcome}
                {l.detail ? ` (${l.detail})` : ""}
              </td>
              <td data-label="IP">
                <code>{l.ip}</code>
              </td>
              <td data-label="Browser">
                {isStartScriptAgent(l.userAgent) ? (
                  <span class="start-script" title={l.userAgent}>
                    <span class="badge idle">npm start</span> Docklight's local start script, enrolling its demo host (as its user agent says)
                  </span>
                ) : (
                  l.userAgent || "unknown"
                )}
              </td>
            </tr>
          ))}
        </Table>
      )}
    </>
  );
}
