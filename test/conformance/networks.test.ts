import { describe, expect, it } from "vitest";
import { NetworkList } from "../../worker/pages/networks.js";
import { runOp, simRelay } from "../support/ops.js";
import { makeSim } from "../support/sim.js";
import { page, recordings, replay, replayError } from "./harness.js";

/**
 * The host's docker networks (network:list/create/destroy, plugins/network of dokku/dokku), replayed
 * from recordings (fixtures/network-list.json, each naming its source) through the catalog's
 * parser and the Networks page's table; the simulator prints each recording exactly.
 */
const everyone = () => true;

describe("network:list", () => {
  for (const v of ["0.35.20", "0.38.27"]) {
    it(`${v}: JSON with driver, scope, id and who made each (the label on 0.35, DokkuManaged on 0.38.22+)`, async () => {
      const r = await replay("network.list", {}, v, [`network-list/json/${v}`]);
      expect(r.format).toBe("json");
      expect(r.networks[0]).toEqual({
        name: "backend",
        id: "a4b6791bc987",
        driver: "bridge",
        scope: "local",
        internal: false,
        ipv6: false,
        dokkuManaged: true,
      });
      expect(r.networks.map((n) => [n.name, n.dokkuManaged])).toEqual([
        ["backend", true],
        ["bridge", false],
        ["host", false],
        ["none", false],
      ]);
      const text = page(NetworkList({ host: "demo", list: { kind: "ok", result: r }, may: everyone, historyHref: "/h" }));
      expect(text).toMatch(/backend\s+bridge\s+local\s+Dokku\s+a4b6791bc987\s+Destroy/);
      expect(text).toMatch(/host\s+host\s+local\s+docker\s+1c98ceffa4d4\s+docker's own/);
    });
  }

  it("0.35.2: names only (no --format before 0.35.3), said on the page", async () => {
    const r = await replay("network.list", {}, "0.35.2", ["network-list/text/0.35.2"]);
    expect(r).toEqual({
      format: "text",
      networks: ["backend", "bridge", "host", "none"].map((name) => ({
        name,
        id: null,
        driver: null,
        scope: null,
        internal: null,
        ipv6: null,
        dokkuManaged: null,
      })),
    });
    expect(page(NetworkList({ host: "demo", list: { kind: "ok", result: r }, may: everyone, historyHref: "/h" }))).toContain(
      "This Dokku (before 0.35.3) lists names only",
    );
  });

  it("a user the policy refuses a destroy is offered none", async () => {
    const r = await replay("network.list", {}, "0.38.27", ["network-list/json/0.38.27"]);
    const text = page(NetworkList({ host: "demo", list: { kind: "ok", result: r }, may: () => false, historyHref: "/h" }));
    expect(text).toContain("backend");
    expect(text).not.toContain("Destroy");
  });
});

describe("network:create and network:destroy", () => {
  it("create and destroy print Dokku's one line; --force only as the catalog writes it", async () => {
    expect((await replay("network.create", { name: "backend" }, "0.35.20", ["network-create/ok/0.35.20"])).output).toBe("-----> Creating network backend\n");
    expect((await replay("network.destroy", { name: "backend", confirm: "backend" }, "0.38.27", ["network-destroy/ok/0.38.27"])).output).toBe(
      "-----> Destroying network backend\n",
    );
  });

  it("docker's refusals: a name taken, a network missing (not found), one in use", async () => {
    expect(await replayError("network.create", { name: "backend" }, "0.38.27", ["network-create/exists/0.38.27"])).toMatchObject({
      code: "dokku_error",
      message: "Unable to create network: Error response from daemon: network with name backend already exists",
    });
    expect(await replayError("network.destroy", { name: "ghost", confirm: "ghost" }, "0.38.27", ["network-destroy/missing/0.38.27"])).toMatchObject({
      code: "not_found",
      message: "Unable to destroy network: Error response from daemon: network ghost not found",
    });
    expect(await replayError("network.destroy", { name: "backend", confirm: "backend" }, "0.35.20", ["network-destroy/in-use/0.35.20"])).toMatchObject({
      code: "dokku_error",
      message: expect.stringContaining("has active endpoints"),
    });
  });
});

describe("the simulator prints each recording exactly", () => {
  const ids = [...recordings.keys()].filter((id) => /^network-(list|create|destroy)\//.test(id));

  it("has list, create and destroy on 0.35 and 0.38", () => {
    for (const id of ["network-list/json/0.35.20", "network-list/json/0.38.27", "network-create/ok/0.35.20", "network-destroy/ok/0.38.27"]) {
      expect(ids, id).toContain(id);
    }
  });

  for (const id of ids) {
    it(id, async () => {
      const rec = recordings.get(id)!;
      const sim = makeSim({ version: rec.version });
      try {
        const ctx = simRelay(sim);
        // the state each recording was made in: backend created (not for a create that makes it), attached to a running app when in use
        if (!id.startsWith("network-create/ok")) await runOp(ctx, "network.create", { name: "backend" });
        if (id.includes("in-use")) await runOp(ctx, "network.set", { app: "api", property: "attach-post-deploy", value: ["backend"] });
        const res = await sim.dokku(...rec.argv);
        const lines = (s: string) => (s === "" ? [] : s.replace(/\n$/, "").split("\n"));
        expect({ exitCode: res.exitCode, stdout: lines(res.stdout), stderr: lines(res.stderr) }).toEqual({
          exitCode: rec.exitCode,
          stdout: rec.stdout,
          stderr: rec.stderr,
        });
      } finally {
        sim.cleanup();
      }
    });
  }
});
