import { describe, expect, it } from "vitest";
import { loggedInCookie, sessionCookie } from "./helpers.js";
import { getWith, inviteAndJoin, inviteToken, postForm, teamStub } from "./team-support.js";
import { INVITE_TTL_MS } from "../../worker/team/users.js";
import { sha256Hex } from "../../worker/auth/totp.js";

describe("invitations", () => {
  it("a link works once: the invitee sets a password and is signed in; the same link again is refused", async () => {
    const owner = await loggedInCookie();
    const page = await postForm("/users/invite", owner, { email: "Ann@Example.com", role: "viewer" });
    expect(page.status).toBe(200);
    expect(page.headers.get("cache-control")).toBe("no-store");
    const token = inviteToken(await page.text());
    const open = await getWith(`/invite/${token}`, null);
    expect(open.status).toBe(200);
    expect(await open.text()).toContain("ann@example.com");
    const joined = await postForm(`/invite/${token}`, null, { password: "a long enough password", confirm: "a long enough password" });
    expect(joined.status).toBe(303);
    const account = await getWith("/account", sessionCookie(joined));
    expect(account.status).toBe(200);
    expect(await account.text()).toContain("Signed in as ann@example.com (viewer)");
    const again = await postForm(`/invite/${token}`, null, { password: "another long password", confirm: "another long password" });
    expect(again.status).toBe(410);
    expect(await again.text()).toContain("already used");
    // and the password chosen signs in by e-mail
    const login = await postForm("/login", null, { email: "ann@example.com", password: "a long enough password" });
    expect(login.status).toBe(303);
  });

  it("an expired link is refused and sets nothing", async () => {
    const token = "x".repeat(43);
    const made = await teamStub().invite("late@example.com", "viewer", await sha256Hex(token), Date.now() - INVITE_TTL_MS - 1000);
    expect(made).toHaveProperty("expiresAt");
    const res = await postForm(`/invite/${token}`, null, { password: "a long enough password", confirm: "a long enough password" });
    expect(res.status).toBe(410);
    expect(await res.text()).toContain("expired");
    expect(((await teamStub().list()) as Array<{ email: string; status: string }>).find((u) => u.email === "late@example.com")?.status).toBe("invited");
  });

  it("a link the edge never made is refused; only its hash is stored", async () => {
    const res = await getWith(`/invite/${"y".repeat(43)}`, null);
    expect(res.status).toBe(410);
  });
});

describe("the last owner", () => {
  it("cannot demote, suspend or remove themselves; with a second owner they can", async () => {
    const owner = await loggedInCookie();
    for (const [path, fields] of [
      ["/users/admin/role", { role: "admin" }],
      ["/users/admin/suspend", {}],
      ["/users/admin/remove", {}],
    ] as const) {
      const res = await postForm(path, owner, fields);
      expect(res.status, path).toBe(409);
      expect(await res.text(), path).toContain("This is the last owner");
    }
    expect(((await teamStub().get("admin")) as { role: string; status: string }).role).toBe("owner");
    const second = await inviteAndJoin(owner, "co-owner@example.com", "owner");
    const demoted = await postForm("/users/admin/role", second.cookie, { role: "admin" });
    expect(demoted.status).toBe(200);
    expect(((await teamStub().get("admin")) as { role: string }).role).toBe("admin");
    // and now the co-owner is the last one
    expect((await postForm(`/users/${second.id}/remove`, second.cookie)).status).toBe(409);
    // the other tests' owner again
    expect((await postForm("/users/admin/role", second.cookie, { role: "owner" })).status).toBe(200);
  });
});

describe("suspending and removing a user", () => {
  it("ends their open sessions at once, and a suspended user cannot sign in", async () => {
    const owner = await loggedInCookie();
    const bob = await inviteAndJoin(owner, "bob@example.com", "deployer");
    expect((await getWith("/account", bob.cookie)).status).toBe(200);
    expect((await postForm(`/users/${bob.id}/suspend`, owner)).status).toBe(200);
    const after = await getWith("/account", bob.cookie);
    expect(after.status).toBe(302);
    expect(after.headers.get("location")).toBe("/login");
    expect((await postForm("/login", null, { email: "bob@example.com", password: bob.password })).status).toBe(401);
    // reinstated: signing in works again, but the session suspended stays ended
    expect((await postForm(`/users/${bob.id}/reinstate`, owner)).status).toBe(200);
    expect((await getWith("/account", bob.cookie)).status).toBe(302);
    const fresh = sessionCookie(await postForm("/login", null, { email: "bob@example.com", password: bob.password }));
    expect((await getWith("/account", fresh)).status).toBe(200);
    expect((await postForm(`/users/${bob.id}/remove`, owner)).status).toBe(200);
    expect((await getWith("/account", fresh)).status).toBe(302);
  });

  it("a user sees and ends their own sessions, not anyone else's", async () => {
    const owner = await loggedInCookie();
    const cy = await inviteAndJoin(owner, "cy@example.com", "viewer");
    const second = sessionCookie(await postForm("/login", null, { email: "cy@example.com", password: cy.password }));
    const html = await (await getWith("/account", cy.cookie)).text();
    const jtis = [...html.matchAll(/\/account\/sessions\/([0-9a-f-]{36})\/end/g)].map((m) => m[1]!);
    expect(jtis).toHaveLength(2);
    // The owner's page lists only the owner's: cy's session ids are not there to end.
    const ownerHtml = await (await getWith("/account", owner)).text();
    for (const j of jtis) expect(ownerHtml).not.toContain(j);
    const ownerTry = await postForm(`/account/sessions/${jtis[0]}/end`, owner);
    expect(await ownerTry.text()).toContain("already ended");
    expect((await getWith("/account", cy.cookie)).status).toBe(200);
    for (const j of jtis) await postForm(`/account/sessions/${j}/end`, cy.cookie);
    expect((await getWith("/account", cy.cookie)).status).toBe(302);
    expect((await getWith("/account", second)).status).toBe(302);
  });

  it("only the owner manages users", async () => {
    const owner = await loggedInCookie();
    const dee = await inviteAndJoin(owner, "dee@example.com", "admin");
    expect((await getWith("/users", dee.cookie)).status).toBe(403);
    expect((await postForm("/users/invite", dee.cookie, { email: "eve@example.com", role: "owner" })).status).toBe(403);
    expect((await postForm("/users/admin/remove", dee.cookie)).status).toBe(403);
    expect(((await teamStub().list()) as Array<{ email: string }>).some((u) => u.email === "eve@example.com")).toBe(false);
  });
});
