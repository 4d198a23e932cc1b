import { afterEach, describe, expect, it } from "vitest";
import { appsList, appsRestart } from "../../relay/catalog/apps.js";
import { domainsAll } from "../../relay/catalog/domains.js";
import { OpFailure } from "../../relay/catalog/types.js";
import { makeSim, simContext, type Sim } from "../support/sim.js";

let sim: Sim;
afterEach(() => sim?.cleanup());

describe("apps.list", () => {
  it("lists every app with its status using exactly two processes", async () => {
    sim = makeSim();
    const ctx = simContext(sim);
    const { apps } = await appsList.run(ctx, {});
    expect(apps).toEqual([
      { name: "api", deployed: true, running: "true", processes: 2 },
      { name: "blog.v2", deployed: true, running: "true", processes: 2 },
      { name: "queue-worker", deployed: true, running: "false", processes: 1 },
      { name: "staging", deployed: false, running: "false", processes: 0 },
    ]);
    expect(ctx.argvs).toEqual([["--quiet", "apps:list"], ["ps:report"]]);
  });

  it("spawns one process and returns nothing when the host has no apps", async () => {
    sim = makeSim({ seed: "empty" });
    const ctx = simContext(sim);
    expect(await appsList.run(ctx, {})).toEqual({ apps: [] });
    expect(ctx.argvs).toHaveLength(1);
  });

  it("parses the 0.30 and 0.38 ps:report layouts alike", async () => {
    for (const version of ["0.30.11", "0.38.27"]) {
      sim = makeSim({ version });
      const { apps } = await appsList.run(simContext(sim), {});
      expect(apps.map((a) => a.name), version).toEqual(["api", "blog.v2", "queue-worker", "staging"]);
      sim.cleanup();
    }
  });

  it("turns a Dokku failure into its message", async () => {
    sim = makeSim();
    sim.faults({ "apps:list": { exitCode: 1, stderr: " !     Unable to read /home/dokku/dokkurc for sourcing" } });
    await expect(appsList.run(simContext(sim), {})).rejects.toMatchObject({
      code: "dokku_error",
      message: "Unable to read /home/dokku/dokkurc for sourcing",
    });
  });
});

describe("apps.restart", () => {
  it("restarts a stopped app and reports its deploy output", async () => {
    sim = makeSim();
    const ctx = simContext(sim);
    const res = await appsRestart.run(ctx, { app: "queue-worker" });
    expect(res.warning).toBeUndefined();
    expect(res.output).toContain("-----> Deploying worker (count=1)");
    const { apps } = await appsList.run(ctx, {});
    expect(apps.find((a) => a.name === "queue-worker")?.running).toBe("true");
    expect(ctx.history.list(10, 0).entries[2]?.argv).toEqual(["dokku", "ps:restart", "queue-worker"]);
  });

  it("reports exit 20 as not found", async () => {
    sim = makeSim();
    const err = await appsRestart.run(simContext(sim), { app: "ghost" }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(OpFailure);
    expect(err).toMatchObject({ code: "not_found", message: "App ghost does not exist" });
  });

  it("reports an undeployed app's exit-0 warning as a warning, not a success", async () => {
    sim = makeSim();
    const res = await appsRestart.run(simContext(sim), { app: "staging" });
    expect(res.warning).toBe("App staging has not been deployed");
  });

  it("stops a command that runs past its timeout", async () => {
    sim = makeSim();
    sim.faults({ "ps:restart": { hang: true } });
    await expect(appsRestart.run(simContext(sim, { timeoutMs: 800 }), { app: "api" })).rejects.toMatchObject({ code: "timeout" });
  });
});

describe("domains.all", () => {
  it("reads every app's domains from one all-apps report, and nothing on an empty host", async () => {
    sim = makeSim();
    const ctx = simContext(sim);
    const { domains } = await domainsAll.run(ctx, {});
    expect(domains["blog.v2"]).toEqual(["blog.demo.dokku.me", "www.example.com"]);
    expect(ctx.argvs).toEqual([["domains:report"]]);
    sim.cleanup();
    sim = makeSim({ seed: "empty" });
    expect(await domainsAll.run(simContext(sim), {})).toEqual({ domains: {} });
  });
});
