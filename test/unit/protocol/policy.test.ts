import { describe, expect, it } from "vitest";
import { opNames, ops, type OpName } from "../../../protocol/ops.js";
import { DEPLOYER_AREAS } from "../../../protocol/ops/spec.js";
import { ALL_GRANTS, decide, mayAct, NO_GRANTS, ROLES, seesApp, seesHost, type HostGrants, type Principal, type Role } from "../../../protocol/policy.js";

const who = (role: Role, grants: Partial<HostGrants> = {}): Principal => ({ user: `${role}@example.com`, role, grants: { ...NO_GRANTS, ...grants } });
const ok = (p: Principal, op: string, args: unknown) => decide(p, op, args).allowed;
const read = (n: OpName) => !ops[n].mutates;
const plainRead = (n: OpName) => read(n) && !ops[n].access.reveals && !ops[n].access.hostRoot;

/** The one policy, op by op from the catalog: what each role may do, granted and not. */
describe("decide", () => {
  it.each(opNames)("%s: owner and admin may run it on any app, whatever their grants", (op) => {
    for (const role of ["owner", "admin"] as const) {
      expect(ok(who(role), op, { app: "anything" })).toBe(true);
      expect(ok(who(role, ALL_GRANTS), op, {})).toBe(true);
    }
  });

  it.each(opNames)("%s: nobody without a grant", (op) => {
    for (const role of ["deployer", "viewer"] as const) expect(ok(who(role), op, { app: "a" })).toBe(false);
  });

  it.each(opNames)("%s: a viewer granted the host may run it only if it reads, shows no secret and stays in one app", (op) => {
    expect(ok(who("viewer", { host: true, reveal: true, hostRoot: true }), op, { app: "a" })).toBe(plainRead(op));
  });

  it.each(opNames)("%s: a deployer granted the host (no host-root, no reveal)", (op) => {
    const spec = ops[op];
    const expected = spec.mutates ? DEPLOYER_AREAS.includes(spec.access.area) && !spec.access.hostRoot : plainRead(op);
    expect(ok(who("deployer", { host: true }), op, { app: "a" })).toBe(expected);
  });

  it.each(opNames)("%s: a deployer granted app a only: on a as on the host for app ops, never on b, never host-wide", (op) => {
    const spec = ops[op];
    const p = who("deployer", { apps: ["a"], hostRoot: true, reveal: true });
    const onA = spec.access.scope === "app" && !spec.access.hostRoot && (spec.mutates ? DEPLOYER_AREAS.includes(spec.access.area) : true);
    expect(ok(p, op, { app: "a" })).toBe(onA);
    expect(ok(p, op, { app: "b" })).toBe(false);
  });

  it("host-root ops need the host-root grant on the whole host, and then a deployer may run them", () => {
    const hostRoot = opNames.filter((n) => ops[n].access.hostRoot);
    expect(hostRoot.length).toBeGreaterThan(0);
    for (const op of hostRoot) {
      expect(ok(who("deployer", { host: true }), op, { app: "a" })).toBe(false);
      expect(ok(who("deployer", { host: true, hostRoot: true }), op, { app: "a" })).toBe(true);
      expect(decide(who("deployer", { host: true }), op, { app: "a" })).toEqual({ allowed: false, reason: expect.stringContaining("host-root") });
    }
  });

  it("secrets: a deployer with the reveal grant sees config values, a viewer never does", () => {
    expect(ops["config.get"].access.reveals).toBe(true);
    expect(ok(who("deployer", { apps: ["a"] }), "config.get", { app: "a" })).toBe(false);
    expect(ok(who("deployer", { apps: ["a"], reveal: true }), "config.get", { app: "a" })).toBe(true);
    expect(ok(who("viewer", { host: true, reveal: true }), "config.get", { app: "a" })).toBe(false);
  });

  it("the examples of the issue: deploy on the granted app, refused on another, no reach into the host", () => {
    const dep = who("deployer", { apps: ["web"] });
    expect(ok(dep, "apps.rebuild", { app: "web" })).toBe(true);
    expect(ok(dep, "config.set", { app: "web", vars: {} })).toBe(true);
    expect(decide(dep, "apps.rebuild", { app: "api" })).toEqual({ allowed: false, reason: "you have no grant on app api on this host" });
    expect(ok(dep, "apps.destroy", { app: "web" })).toBe(false);
    expect(ok(dep, "apps.list", {})).toBe(false);
    expect(ok(dep, "ports.add", { app: "web" })).toBe(false);
  });

  it("an app's own history: a read declaring appFilter, narrowed to a granted app, needs no host grant", () => {
    const filtered = opNames.filter((n) => ops[n].access.appFilter).sort();
    expect(filtered).toEqual(["history.export", "history.list"]);
    const viewer = who("viewer", { apps: ["web"] });
    expect(ok(viewer, "history.list", { filter: { app: "web" } })).toBe(true);
    expect(ok(viewer, "history.export", { format: "csv", filter: { app: "web" } })).toBe(true);
    expect(decide(viewer, "history.list", { filter: { app: "api" } })).toEqual({ allowed: false, reason: "you have no grant on app api on this host" });
    expect(ok(viewer, "history.list", { filter: {} })).toBe(false);
    expect(ok(viewer, "history.list", {})).toBe(false);
    // Only ops that declare it: an app named in another host-wide read's filter-shaped args counts for nothing.
    expect(ok(viewer, "history.entry", { id: 1, filter: { app: "web" } })).toBe(false);
    expect(ok(viewer, "apps.list", { filter: { app: "web" } })).toBe(false);
  });

  it("refuses what it cannot place: an unknown op, an app op naming no app", () => {
    expect(decide(who("owner"), "shell.exec", {})).toEqual({ allowed: false, reason: "shell.exec is not an op this dashboard knows" });
    expect(ok(who("deployer", { host: true }), "apps.restart", {})).toBe(false);
    expect(ok(who("deployer", { host: true }), "apps.restart", { app: 7 })).toBe(false);
  });

  it("what is listed: hosts and apps a principal has a grant on", () => {
    expect(seesHost(who("viewer"))).toBe(false);
    expect(seesHost(who("viewer", { apps: ["a"] }))).toBe(true);
    expect(seesApp(who("viewer", { apps: ["a"] }), "b")).toBe(false);
    expect(seesApp(who("admin"), "b")).toBe(true);
  });
});

describe("mayAct", () => {
  it("only the owner manages users, hosts, keys and sign-on; admins also see all activity", () => {
    for (const r of ROLES) {
      expect(mayAct(r, "users.manage").allowed).toBe(r === "owner");
      expect(mayAct(r, "hosts.manage").allowed).toBe(r === "owner");
      expect(mayAct(r, "keys.rotate").allowed).toBe(r === "owner");
      expect(mayAct(r, "activity.all").allowed).toBe(r === "owner" || r === "admin");
    }
  });
});
