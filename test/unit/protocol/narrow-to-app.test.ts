import { describe, expect, it } from "vitest";
import { opNames } from "../../../protocol/ops.js";
import { ALL_GRANTS, decide, NO_GRANTS, type HostGrants, type Principal, type Role } from "../../../protocol/policy.js";
import { narrowToApp } from "../../../protocol/principal.js";

const who = (role: Role, grants: Partial<HostGrants> = {}): Principal => ({ user: `${role}@example.com`, role, grants: { ...NO_GRANTS, ...grants } });

/** An API token scoped to one app: its user's principal narrowed to that app (protocol/principal.ts). */
describe("narrowToApp", () => {
  const users = [
    who("owner", ALL_GRANTS),
    who("admin"),
    who("deployer", { host: true, reveal: true, hostRoot: true }),
    who("deployer", { apps: ["web"] }),
    who("viewer", { host: true }),
  ];

  it.each(opNames)("%s: never allowed narrowed when the user was refused it, and never on another app or host-wide", (op) => {
    for (const p of users) {
      const narrowed = narrowToApp(p, "web");
      if (decide(narrowed, op, { app: "web" }).allowed) expect(decide(p, op, { app: "web" }).allowed, `${p.role} ${op}`).toBe(true);
      expect(decide(narrowed, op, { app: "api" }).allowed, `${p.role} ${op} on api`).toBe(false);
      expect(decide(narrowed, op, {}).allowed, `${p.role} ${op} host-wide`).toBe(false);
    }
  });

  it("an owner's app token deploys and restarts its app; a user without the app gets nothing", () => {
    const owner = narrowToApp(who("owner", ALL_GRANTS), "web");
    expect(decide(owner, "apps.rebuild", { app: "web" }).allowed).toBe(true);
    expect(decide(owner, "apps.restart", { app: "web" }).allowed).toBe(true);
    const stranger = narrowToApp(who("deployer", { apps: ["api"] }), "web");
    expect(stranger.grants.apps).toEqual([]);
    expect(decide(stranger, "apps.rebuild", { app: "web" }).allowed).toBe(false);
  });
});
