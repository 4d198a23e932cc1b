import { randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { historyOf } from "../support/history.js";
import { useStack } from "../support/use-stack.js";

/**
 * Releases end to end, the real edge and relay over the simulator: deploy, change two config values
 * and the scale, deploy again, roll back to the first — config, scale and code of the first are
 * live again, in one change under the user's name, and the list shows three releases. A marker
 * value set before the first deploy is then swept for in every answer, history row, export and log.
 */

// 0.38: Dokku records builds, so deploys made outside Docklight can be listed
const stack = useStack({ versions: { demo: "0.38.27" } });

const MARK = `rel${randomBytes(6).toString("hex")}`;
const base = "/hosts/demo/apps/api";
const REPO = "https://github.com/dokku/smoke-test-app.git";
const FIRST = "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa1";
const SECOND = "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb2";
const answers: Array<{ what: string; body: string }> = [];

async function request(path: string, form?: Record<string, string>) {
  const res = await fetch(`${stack.url}${path}`, {
    method: form ? "POST" : "GET",
    headers: { cookie: stack.cookie, "hx-request": "true", ...(form ? { origin: stack.url, "content-type": "application/x-www-form-urlencoded" } : {}) },
    ...(form ? { body: new URLSearchParams(form) } : {}),
  });
  const body = await res.text();
  answers.push({ what: path, body });
  expect(res.status, `${path}: ${body.slice(0, 400)}`).toBe(200);
  return body;
}

const simState = () =>
  (
    JSON.parse(readFileSync(join(stack.relays.demo!.sim.dir, "state.json"), "utf8")) as {
      apps: Record<string, { config: Record<string, string>; scale: Record<string, number>; domains: string[]; ports?: string[] }>;
    }
  ).apps.api!;

describe("releases and rollback", () => {
  it("rolls back code, config, scale, domains and ports in one change, and lists three releases", async () => {
    await request(`${base}/config/bulk`, { lines: `FIRST_A=${MARK}-a\nFIRST_B=${MARK}-b`, no_restart: "on" });
    expect(await request(`${base}/deploy/sync`, { remote: REPO, ref: FIRST })).toContain("Deployed api");
    await request(`${base}/config/bulk`, { lines: `FIRST_A=${MARK}-changed\nFIRST_B=${MARK}-changed-too`, no_restart: "on" });
    await request(`${base}/scale`, { "scale.web": "3", "scale.worker": "2" });
    await request(`${base}/domains/add`, { domain: "rel.example.com" });
    await request(`${base}/ports/add`, { scheme: "http", host_port: "8080", container_port: "5000" });
    await request(`${base}/deploy/sync`, { remote: REPO, ref: SECOND });

    const list = await request(`${base}/releases`);
    expect(list).toMatch(/data-release="2" class="live"/);
    expect(list).toContain("changed <code>FIRST_A</code>, <code>FIRST_B</code>");

    const preview = await request(`${base}/releases/1/rollback`);
    expect(preview).toContain("Roll back to release #1");
    expect(preview).toContain("fetch commit aaaaaaa from https://github.com/dokku/smoke-test-app.git again and build it");
    expect(preview).toMatch(/scale <code>web<\/code>: 3 → 1/);
    expect(preview).toContain("removed <code>rel.example.com</code>");
    expect(preview).toContain("removed <code>http:8080:5000</code>");

    expect(await request(`${base}/releases/1/rollback`, {})).toContain("Rolled back api to release #1");
    const api = simState();
    expect(api.config).toMatchObject({ FIRST_A: `${MARK}-a`, FIRST_B: `${MARK}-b`, GIT_REV: FIRST });
    expect(api.scale).toEqual({ web: 1, worker: 1 });
    expect(api.domains).toEqual(["api.demo.dokku.me"]);
    expect(api.ports ?? []).toEqual([]);

    const rows = historyOf(stack.relays.demo!.db).filter((r) => r.op === "releases.rollback");
    expect(new Set(rows.map((r) => r.opId)).size).toBe(1);
    expect(new Set(rows.map((r) => r.requestedBy))).toEqual(new Set(["admin"]));
    expect(rows.filter((r) => r.argv[1] === "ps:rebuild")).toHaveLength(1);

    // values only on demand, to a user who may reveal them (kept out of `answers`: the sweep below looks for them)
    const detail1 = await request(`${base}/releases/1`);
    expect(detail1).toContain(`hx-get="${base}/releases/1/values"`);
    const revealed = await fetch(`${stack.url}${base}/releases/1/values`, { headers: { cookie: stack.cookie, "hx-request": "true", origin: stack.url } });
    expect(revealed.status).toBe(200);
    expect(revealed.headers.get("cache-control")).toContain("no-store");
    expect(await revealed.text()).toContain(`${MARK}-a`);
    const crossSite = await fetch(`${stack.url}${base}/releases/1/values`, { headers: { cookie: stack.cookie, origin: "https://evil.example" } });
    expect(crossSite.status).toBe(403);

    const after = await request(`${base}/releases`);
    expect(after.match(/<tr data-release="\d+"/g)).toEqual(['<tr data-release="3"', '<tr data-release="2"', '<tr data-release="1"']);
    expect(after).toMatch(/data-release="3" class="live"/);
    expect(await request(`${base}/releases/3`)).toContain("release #1");
    expect(await request("/hosts/demo/releases")).toContain("Roll back api to release 1");
  });

  it("a value set outside Docklight shows as drift (its key only), and Revert restores the recorded one", async () => {
    await stack.relays.demo!.sim.dokku("config:set", "--no-restart", "api", `FIRST_A=${MARK}-outside`);
    const drift = await request(`${base}/releases/drift`);
    expect(drift).toContain("Changed outside Docklight");
    expect(drift).toContain("changed <code>FIRST_A</code>");
    expect(await request(`${base}/releases/revert`, {})).toContain("Reverted the changes made to api outside Docklight");
    expect(simState().config.FIRST_A).toBe(`${MARK}-a`);
    expect(await request(`${base}/releases/drift`)).toContain("Nothing has changed since release #3");
    expect(await request(`${base}/deploy`)).toContain(`hx-get="${base}/releases/drift"`);
  });

  it("a ps:rebuild over SSH is listed as a release made outside Docklight, its build output on its page", async () => {
    await stack.relays.demo!.sim.dokku("ps:rebuild", "api");
    const list = await request(`${base}/releases`);
    expect(list).toContain("Deploy of api outside Docklight (git-hook)");
    expect(list).toMatch(/data-release="4" class="live"/);
    expect(list).toContain("are read from Dokku");
    const detail = await request(`${base}/releases/4`);
    const output = /hx-get="([^"]+\/releases\/builds\/[a-z0-9]+\/output)"/.exec(detail)?.[1];
    expect(output, detail).toBeDefined();
    expect(await request(output!)).toContain("-----&gt; Building api from herokuish");
  });

  it("an image release comes back from the image the relay kept: image A and A's config are live again, in one change", async () => {
    const app = "/hosts/demo/apps/staging";
    const [A, B] = ["registry.example.com/shop/web:1.0", "registry.example.com/shop/web:2.0"];
    await request(`${app}/config/bulk`, { lines: `MODE=${MARK}-img-a`, no_restart: "on" });
    expect(await request(`${app}/image/deploy`, { image: A })).toContain(`Deployed staging from ${A}`);
    await request(`${app}/config/bulk`, { lines: `MODE=${MARK}-img-b\nADDED=1`, no_restart: "on" });
    await request(`${app}/image/deploy`, { image: B });

    const preview = await request(`${app}/releases/1/rollback`);
    expect(preview).toContain(`deploy the image ${A} again, as the relay kept it at release 1 (docklight-release:staging-1)`);
    expect(await request(`${app}/releases/1/rollback`, {})).toContain("Rolled back staging to release #1");
    const st = JSON.parse(readFileSync(join(stack.relays.demo!.sim.dir, "state.json"), "utf8")) as {
      apps: Record<string, { config: Record<string, string>; deploySourceMetadata: string }>;
      images: Record<string, string>;
    };
    const staging = st.apps.staging!;
    expect(st.images[staging.deploySourceMetadata]).toBe(st.images[A]);
    expect(staging.config.MODE).toBe(`${MARK}-img-a`);
    expect(staging.config.ADDED).toBeUndefined();

    const rows = historyOf(stack.relays.demo!.db).filter((r) => r.op === "releases.rollback" && r.app === "staging");
    expect(new Set(rows.map((r) => r.opId)).size).toBe(1);
    expect(rows.filter((r) => r.argv[1] === "git:from-image" || r.argv[1] === "ps:rebuild").map((r) => r.argv)).toEqual([
      ["dokku", "git:from-image", "staging", "docklight-release:staging-1"],
    ]);
    const list = await request(`${app}/releases`);
    expect(list.match(/<tr data-release="\d+"/g)).toEqual(['<tr data-release="3"', '<tr data-release="2"', '<tr data-release="1"']);
    expect(list).toMatch(/data-release="3" class="live"/);
  });

  it("no value of a snapshot reaches an answer, a history row, an export or a log", async () => {
    for (const file of ["export.csv", "export.json"]) await request(`/hosts/demo/history/${file}?limit=10000`);
    await request("/hosts/demo/history");
    await request(`${base}/releases/1`);
    answers.push({ what: "history rows", body: JSON.stringify(historyOf(stack.relays.demo!.db)) });
    answers.push({ what: "relay log", body: stack.relays.demo!.proc.output() });
    answers.push({ what: "edge log", body: stack.edge.output() });
    const needles = [
      MARK,
      ...[`${MARK}-a`, `${MARK}-b`, `${MARK}-changed`, `${MARK}-outside`, `${MARK}-img-a`, `${MARK}-img-b`].map((v) => Buffer.from(v).toString("base64")),
    ];
    for (const { what, body } of answers) for (const n of needles) expect(body.includes(n), `${what} holds ${n}`).toBe(false);
    expect(answers.length).toBeGreaterThan(10);
  });
});
