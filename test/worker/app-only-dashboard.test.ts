import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { decide } from "../../protocol/policy.js";
import { loggedInCookie } from "./helpers.js";
import { standInRelay, type SeenOp } from "./stand-in-relay.js";
import { getWith, inviteAndJoin } from "./team-support.js";

/**
 * A user granted only some apps: the dashboard lists those apps, read one by one (no host-wide
 * read they would be refused is attempted or shown as an error), and the pages show only the
 * actions the one policy would let them take.
 */

const detail = (app: string) => ({
  name: app,
  state: "running",
  deployed: true,
  running: "true",
  processes: 1,
  unknownReason: null,
  canScale: true,
  restartPolicy: "on-failure:10",
  containers: [{ process: "web", state: "running", cid: "abc123" }],
  domains: { enabled: true, vhosts: [`${app}.example.com`] },
  git: { deployBranch: { own: "", effective: "main", global: "main", either: [] }, sha: "0123456789abcdef", lastUpdatedAt: 1_700_000_000 },
  format: "json",
});

/** What the stand-in host answers: the reads these pages make. */
function answer(op: SeenOp): unknown {
  switch (op.op) {
    case "apps.detail":
      return detail(op.args.app as string);
    case "apps.list":
      return { apps: ["web", "api"].map((name) => ({ name, state: "running", processes: 1, unknownReason: null })) };
    case "domains.all":
      return { domains: { web: ["web.example.com"], api: ["api.example.com"] } };
    case "apps.scale.show":
      return { scale: [{ processType: "web", quantity: 1 }], format: "json" };
    case "changes.running":
      return { changes: [] };
    default:
      return undefined;
  }
}

let relay: Awaited<ReturnType<typeof standInRelay>>;
let owner = "";
const grantWeb = [{ host: "demo", app: "web" }];
beforeAll(async () => {
  relay = await standInRelay(answer);
  owner = await loggedInCookie();
});
afterAll(() => relay.close());

/** The ops the relay was sent for `user` since `from`. */
const sentFor = (user: string, from: number) => relay.seen.slice(from).filter((s) => s.sub === user);

describe("the dashboard of a user granted one app", () => {
  it("lists only that app, read alone: no host-wide read is attempted, no error shown", async () => {
    const dee = await inviteAndJoin(owner, "app-only-deployer@example.com", "deployer", grantWeb);
    const from = relay.seen.length;
    const res = await getWith("/hosts/demo", dee.cookie);
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain('data-app="web"');
    expect(html).toContain("web.example.com");
    expect(html).not.toContain('data-app="api"');
    expect(html).not.toMatch(/Not allowed|no grant/);
    // Host-wide sections are not shown; creating an app needs the host.
    expect(html).not.toContain("Server health");
    expect(html).not.toContain("Recent changes");
    expect(html).not.toContain("Create an app");
    // Each op sent for her is one the policy lets her run: here, the one app's detail.
    const sent = sentFor("app-only-deployer@example.com", from);
    expect(sent.map((s) => [s.op, s.args.app])).toEqual([["apps.detail", "web"]]);
    for (const s of sent) expect(decide({ user: s.sub, role: "deployer", grants: s.grants as never }, s.op, s.args).allowed).toBe(true);
    // the row offers Restart (a deployer may restart web)
    expect(html).toMatch(/hx-post="\/hosts\/demo\/apps\/web\/restart"/);
    // the list fragment a change reloads reads the same way
    const list = await (await getWith("/hosts/demo/apps-list", dee.cookie)).text();
    expect(list).toContain('data-app="web"');
    expect(list).not.toContain('data-app="api"');
  });

  it("a viewer's row and overview offer no action; a deployer's overview offers Restart and Scale, not Destroy, Rename or Clone", async () => {
    const vic = await inviteAndJoin(owner, "app-only-viewer@example.com", "viewer", grantWeb);
    const dash = await (await getWith("/hosts/demo", vic.cookie)).text();
    expect(dash).toContain('data-app="web"');
    expect(dash).not.toContain("/apps/web/restart");
    const viewerOverview = await (await getWith("/hosts/demo/apps/web", vic.cookie)).text();
    expect(viewerOverview).toContain("web.example.com");
    for (const action of ["/ps/restart", "/ps/rebuild", "/ps/stop", "/scale", "/destroy", "/apps/rename", "/apps/clone"]) {
      expect(viewerOverview, action).not.toContain(action);
    }

    const dan = await inviteAndJoin(owner, "app-only-deployer2@example.com", "deployer", grantWeb);
    const overview = await (await getWith("/hosts/demo/apps/web", dan.cookie)).text();
    expect(overview).toContain("/apps/web/ps/restart");
    expect(overview).toContain("/apps/web/scale");
    expect(overview).not.toContain("/apps/web/destroy");
    expect(overview).not.toContain("/apps/rename");
    expect(overview).not.toContain("/apps/clone");
  });

  it("the owner's dashboard is the host's whole list, with Create, health and recent changes", async () => {
    const from = relay.seen.length;
    const html = await (await getWith("/hosts/demo", owner)).text();
    expect(html).toContain('data-app="api"');
    expect(html).toContain("Create an app");
    expect(html).toContain("Server health");
    expect(html).toContain("/apps/api/restart");
    expect(sentFor("admin", from).map((s) => s.op)).toContain("apps.list");
  });
});
