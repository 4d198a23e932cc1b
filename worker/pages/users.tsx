import { ROLES, type Role } from "../../protocol/policy.js";
import type { LoginRecord } from "../guard/auth-guard.js";
import type { HostRef } from "../hub/outcome.js";
import type { TeamUser } from "../team/users.js";
import { activityUrl, inviteUrl, userUrl } from "../urls.js";
import { Layout } from "./layout.js";
import { SignInsTable } from "./sign-ins.js";
import { utcTime } from "./time.js";
import { Notices } from "./notice.js";
import { Table } from "./table.js";

const ROLE_TEXT: Record<Role, string> = {
  owner: "owner: users, hosts, everything",
  admin: "admin: every op on every host",
  deployer: "deployer: deploy, restart, scale, config, domains, logs, releases where granted",
  viewer: "viewer: reads where granted, no secrets",
};

function RoleSelect({ value }: { value: Role }) {
  return (
    <select name="role" aria-label="Role">
      {ROLES.map((r) => (
        <option value={r} selected={r === value}>
          {ROLE_TEXT[r]}
        </option>
      ))}
    </select>
  );
}

/** One user's grants, each with a button that takes it back, and a form that adds one. */
function Grants({ user, hosts }: { user: TeamUser; hosts: HostRef[] }) {
  if (user.role === "owner" || user.role === "admin") return <p>Every host (by role).</p>;
  return (
    <>
      {user.grants.length === 0 ? <p>No grants: sees nothing.</p> : null}
      <ul class="grants">
        {user.grants.map((g) => (
          <li>
            {g.app === null ? `host ${g.host}` : `app ${g.app} on ${g.host}`}
            {g.hostRoot ? ", host-root" : ""}
            {g.reveal ? ", reveal secrets" : ""}{" "}
            <form method="post" action={userUrl(user.id, "/grants/remove")} class="inline">
              <input type="hidden" name="host" value={g.host} />
              <input type="hidden" name="app" value={g.app ?? ""} />
              <button type="submit">Take back</button>
            </form>
          </li>
        ))}
      </ul>
      <form method="post" action={userUrl(user.id, "/grants")} class="grant-form">
        <select name="host" aria-label="Host">
          {hosts.map((h) => (
            <option value={h.id}>{h.name}</option>
          ))}
        </select>
        <input name="app" aria-label="App (empty: the whole host)" placeholder="app (empty: whole host)" />
        <label>
          <input type="checkbox" name="hostRoot" /> host-root
        </label>
        <label>
          <input type="checkbox" name="reveal" /> reveal secrets
        </label>
        <button type="submit">Grant</button>
      </form>
    </>
  );
}

/**
 * The owner's Users page: invite (the link shown once), each user's role, grants (host, app on a
 * host, host-root, reveal), suspend or reinstate, remove; and everyone's recent sign-ins.
 */
export function UsersPage({
  users,
  hosts,
  logins,
  notice,
  error,
  invite,
}: {
  users: TeamUser[];
  hosts: HostRef[];
  logins: LoginRecord[];
  notice?: string;
  error?: string;
  invite?: { origin: string; token: string; email: string; expiresAt: number };
}) {
  return (
    <Layout title="Users">
      <h1>Users</h1>
      <Notices notice={notice} error={error} />
      {invite ? (
        <section class="outcome outcome-ok invite-link" role="status">
          <p>
            Send this link to {invite.email}. It works once, until {utcTime(invite.expiresAt)}, and is shown only now:
          </p>
          <input readonly aria-label="Invitation link" value={`${invite.origin}${inviteUrl(invite.token)}`} />
        </section>
      ) : null}
      <section>
        <h2>Invite</h2>
        <form method="post" action={userUrl(undefined, "/invite")}>
          <label for="invite-email">E-mail</label>
          <input id="invite-email" name="email" type="email" required />
          <RoleSelect value="viewer" />
          <button type="submit">Invite</button>
        </form>
      </section>
      <section>
        <h2>Team</h2>
        <Table class="users" columns={["User", "Role", "Grants", "State"]} wrap>
          {users.map((u) => (
            <tr id={`user-${u.id}`}>
              <td data-label="User">{u.email}</td>
              <td data-label="Role">
                <form method="post" action={userUrl(u.id, "/role")} class="inline">
                  <RoleSelect value={u.role} />
                  <button type="submit">Set role</button>
                </form>
              </td>
              <td data-label="Grants">
                <Grants user={u} hosts={hosts} />
              </td>
              <td data-label="State">
                <span class={`badge ${u.status === "active" ? "ok" : "warn"}`}>{u.status}</span>{" "}
                {u.status === "invited" ? null : (
                  <form method="post" action={userUrl(u.id, u.status === "suspended" ? "/reinstate" : "/suspend")} class="inline">
                    <button type="submit">{u.status === "suspended" ? "Reinstate" : "Suspend"}</button>
                  </form>
                )}{" "}
                <form method="post" action={userUrl(u.id, "/remove")} class="inline">
                  <button type="submit" class="danger">
                    Remove
                  </button>
                </form>
              </td>
            </tr>
          ))}
        </Table>
      </section>
      <section>
        <h2>Everyone's recent sign-ins</h2>
        <SignInsTable logins={logins} users />
        <p>
          <a href={activityUrl()}>Activity</a>: every sign-in, invitation, change to users and hosts, and op across hosts, with exports and each host's history
          verified.
        </p>
      </section>
    </Layout>
  );
}

/** The invitation's page: who it is for and the password they choose (or why the link does not work). */
export function InvitePage({ token, email, error, refused }: { token: string; email?: string; error?: string; refused?: string }) {
  return (
    <Layout title="Join Docklight" signedIn={false}>
      <section class="login">
        <h1>Join Docklight</h1>
        {refused ? (
          <p class="outcome outcome-error" role="alert">
            {refused}
          </p>
        ) : (
          <>
            <Notices error={error} />
            <p>You were invited as {email}. Choose your password (at least 12 characters).</p>
            <form method="post" action={inviteUrl(token)}>
              <label for="password">New password</label>
              <input id="password" name="password" type="password" autocomplete="new-password" minlength={12} required autofocus />
              <label for="confirm">The same again</label>
              <input id="confirm" name="confirm" type="password" autocomplete="new-password" required />
              <button type="submit">Join</button>
            </form>
          </>
        )}
      </section>
    </Layout>
  );
}
