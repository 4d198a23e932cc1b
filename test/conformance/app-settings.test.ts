import { describe, expect, it } from "vitest";
import { NetworkSection } from "../../worker/pages/app/network.js";
import { ProxySection } from "../../worker/pages/app/proxy.js";
import { ResourcesSection } from "../../worker/pages/app/resources.js";
import { StorageSection } from "../../worker/pages/app/storage.js";
import { DockerOptionsSection } from "../../worker/pages/app/docker-options.js";
import { makeSim } from "../support/sim.js";
import { runOp, simRelay } from "../support/ops.js";
import { page, recordings, replay, replayError } from "./harness.js";
import { recordedRelay } from "./recordings.js";

/**
 * An app's settings beyond the seed's (issue #22), from recorded Dokku output on 0.35 and both
 * 0.38 report forms, through the catalog's parsers and the Settings tab that shows them.
 */

const V035 = "0.35.20";
const V038 = ["0.38.16", "0.38.27"] as const;

describe("recordings of the settings' commands", () => {
  it("has each report on 0.35 and 0.38, each naming the Dokku source it follows", () => {
    for (const prefix of ["proxy-report/disabled", "nginx-report/body-size"]) {
      for (const v of [V035, ...V038]) expect(recordings.has(`${prefix}/${v}`), `${prefix}/${v}`).toBe(true);
    }
  });
});

describe("proxy and nginx", () => {
  for (const v of [V035, ...V038]) {
    it(`${v}: a disabled proxy with its own type reads as such, and the section says so`, async () => {
      const proxy = await replay("proxy.report", { app: "api" }, v, [`proxy-report/disabled/${v}`]);
      expect(proxy).toMatchObject({ enabled: false, type: "caddy", format: "json" });
      // 0.35's computed type is the global one whenever it is set (reportComputedType checks it first)
      expect(proxy.computedType).toBe(v === V035 ? "nginx" : "caddy");
      const nginx = await replay("nginx.report", { app: "api" }, v, [`nginx-report/body-size/${v}`]);
      expect(nginx.format).toBe(v === V035 ? "text" : "json");
      expect(nginx.settings["client-max-body-size"]).toEqual({ app: "50m", computed: "50m", global: "1m" });
      expect(nginx.settings.hsts).toEqual({ app: "false", computed: "false", global: "true" });
      expect(nginx.settings["error-log-path"]).toEqual({ app: "", computed: "/var/log/nginx/api-error.log", global: "/var/log/nginx/api-error.log" });
      const text = page(
        ProxySection({
          may: () => true,
          host: "demo",
          app: "api",
          proxy: { kind: "ok", result: proxy },
          nginx: { kind: "ok", result: nginx },
          historyHref: "/h",
          dokkuVersion: v,
        }),
      );
      expect(text).toContain("disabled");
      expect(text).toContain("Enable proxy");
      if (v === V035) {
        expect(text).toContain("Max request body");
        expect(text).toContain("Reloading nginx from here needs Dokku 0.38.0 or later (this host runs 0.35.20)");
      } else {
        expect(text).toContain("nginx settings apply only while nginx is the app's proxy");
        expect(text).toContain("Reload nginx");
      }
    });
  }

  it("0.35: nginx:reload is refused before it runs; with the version unknown, Dokku's own refusal says the same", async () => {
    expect(await replayError("nginx.reload", {}, V035, [])).toMatchObject({
      code: "unavailable",
      message: expect.stringContaining("arrived in Dokku 0.38.0; this host runs Dokku 0.35.20"),
    });
    const relay = recordedRelay([recordings.get("nginx-reload/old/0.35.20")!], V035);
    relay.runtime.dokkuVersion = null;
    const err = await runOp(relay, "nginx.reload", {}).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: "unavailable", message: expect.stringContaining("arrived in Dokku 0.38.0") });
    expect(relay.unmatched).toEqual([]);
  });
});

describe("resources", () => {
  const want = [
    { processType: "_default_", kind: "reserve", resource: "memory", value: "256m" },
    { processType: "web", kind: "limit", resource: "cpu", value: "0.5" },
    { processType: "web", kind: "limit", resource: "memory", value: "512m" },
  ];
  for (const v of [V035, ...V038]) {
    it(`${v}: limits and reservations per process type, and what they need to take effect`, async () => {
      const r = await replay("resources.report", { app: "api" }, v, [`resource-report/web/${v}`]);
      expect(r).toEqual({ entries: want, format: "json" });
      const text = page(ResourcesSection({ may: () => true, host: "demo", app: "api", report: { kind: "ok", result: r }, historyHref: "/h" }));
      expect(text).toContain("web limits: cpu 0.5, memory 512m");
      expect(text).toContain("all processes reservations: memory 256m");
      expect(text).toContain("Takes effect when the app's containers are next started: restart the app (or deploy).");
    });
  }
  for (const v of [V035, "0.38.27"]) {
    it(`${v}: the text report (version unknown) reads the same, with or without the plugin's prefix in its keys`, async () => {
      const relay = recordedRelay([recordings.get(`resource-report/web-text/${v}`)!], v);
      relay.runtime.dokkuVersion = null;
      expect(await runOp(relay, "resources.report", { app: "api" })).toEqual({ entries: want, format: "text" });
      expect(relay.unmatched).toEqual([]);
    });
  }
});

describe("network", () => {
  for (const v of [V035, "0.38.27"]) {
    it(`${v}: attached networks, the defaults in force and the web listener`, async () => {
      const r = await replay("network.report", { app: "api" }, v, [`network-report/attach/${v}`]);
      expect(r.settings["attach-post-deploy"]).toEqual({ app: "backend,db", computed: "backend,db" });
      expect(r.settings["bind-all-interfaces"]).toEqual({ app: "", computed: "false" });
      expect(r.webListeners).toEqual(["172.17.0.5:5000"]);
      const text = page(NetworkSection({ may: () => true, host: "demo", app: "api", report: { kind: "ok", result: r }, historyHref: "/h" }));
      expect(text).toContain("Attach after deploy backend,db");
      expect(text).toContain("Bind all interfaces false (default)");
      expect(text).toContain("Web listeners 172.17.0.5:5000");
    });
  }
});

describe("storage", () => {
  const V = [V035, "0.38.27"] as const;
  for (const v of V) {
    it(`${v}: mounts by path read from JSON and from text alike, host paths shown plainly, read-only said`, async () => {
      const r = await replay("storage.list", { app: "api" }, v, [`storage-list/two/${v}`]);
      expect(r.format).toBe("json");
      const shared = r.mounts.find((m) => m.containerPath === "/shared")!;
      expect(shared).toMatchObject({ hostPath: "/srv/shared", readonly: true, options: "" });
      const relay = recordedRelay([recordings.get(`storage-list/two-text/${v}`)!], v);
      relay.runtime.dokkuVersion = null;
      const text = await runOp(relay, "storage.list", { app: "api" });
      expect(text.format).toBe("text");
      expect(text.mounts.map((m) => ({ ...m, entry: null }))).toEqual(r.mounts.map((m) => ({ ...m, entry: null })));
      expect(relay.unmatched).toEqual([]);
      const entries = v === V035 ? null : { kind: "ok" as const, result: await replay("storage.entries", {}, v, [`storage-entries/two/${v}`]) };
      const shown = page(
        StorageSection({ may: () => true, host: "demo", app: "api", list: { kind: "ok", result: r }, entries, dokkuVersion: v, historyHref: "/h" }),
      );
      expect(shown).toContain("/srv/shared → /shared (read-only)");
      expect(shown).toContain("/var/lib/dokku/data/storage/api → /app/storage");
      if (v === V035) expect(shown).toContain("Named storage entries need Dokku 0.38.0 or later (this host runs 0.35.20)");
      else {
        expect(shown).toContain("/var/lib/dokku/data/storage/uploads → /app/uploads entry uploads");
        expect(shown).toContain("uploads /var/lib/dokku/data/storage/uploads owner heroku");
      }
    });
  }

  it("0.38.27: an entry's info, and a missing one is not_found with Dokku's words", async () => {
    expect(await replay("storage.info", { name: "uploads" }, "0.38.27", ["storage-info/uploads/0.38.27"])).toEqual({
      name: "uploads",
      scheduler: "docker-local",
      hostPath: "/var/lib/dokku/data/storage/uploads",
      chown: "heroku",
      mode: "",
      reclaimPolicy: "Retain",
    });
    expect(await replayError("storage.info", { name: "ghost" }, "0.38.27", ["storage-info/missing/0.38.27"])).toMatchObject({
      code: "not_found",
      message: 'storage entry "ghost" does not exist',
    });
  });

  it("0.35: named entries are refused before anything runs; with the version unknown, Dokku's own refusal says the same", async () => {
    expect(await replayError("storage.entries", {}, V035, [])).toMatchObject({
      code: "unavailable",
      message: expect.stringContaining("arrived in Dokku 0.38.0"),
    });
    const relay = recordedRelay([recordings.get("storage-entries/old/0.35.20")!], V035);
    relay.runtime.dokkuVersion = null;
    expect(await runOp(relay, "storage.entries", {}).catch((e: unknown) => e)).toMatchObject({ code: "unavailable" });
    expect(relay.unmatched).toEqual([]);
  });

  it("the simulator prints storage:list exactly as recorded, on 0.35 and 0.38", async () => {
    for (const v of V) {
      const sim = makeSim({ version: v });
      try {
        const ctx = simRelay(sim);
        await runOp(ctx, "storage.mount", { app: "api", hostPath: "/var/lib/dokku/data/storage/api", containerPath: "/app/storage" });
        await runOp(ctx, "storage.mount", { app: "api", hostPath: "/srv/shared", containerPath: "/shared", readonly: true });
        if (v !== V035) {
          await runOp(ctx, "storage.create", { name: "uploads", chown: "heroku" });
          await runOp(ctx, "storage.mount", { app: "api", entry: "uploads", containerPath: "/app/uploads" });
        }
        for (const [id, argv] of [
          [`storage-list/two/${v}`, ["storage:list", "api", "--format", "json"]],
          [`storage-list/two-text/${v}`, ["storage:list", "api"]],
        ] as const) {
          const res = await sim.dokku(...argv);
          expect(res.stdout, id).toBe(`${recordings.get(id)!.stdout.join("\n")}\n`);
        }
      } finally {
        sim.cleanup();
      }
    }
  });
});

describe("docker options", () => {
  for (const v of [V035, ...V038]) {
    it(`${v}: each phase's options read whole, and (0.38) a process type's; the section lists them with Remove`, async () => {
      const r = await replay("docker-options.report", { app: "api" }, v, [`docker-options-report/three/${v}`]);
      expect(r.format).toBe(v === V035 ? "text" : "json");
      expect(r.phases.build).toEqual(["--build-arg NODE_ENV=production"]);
      // 0.35 keeps each phase's file sorted (sort -u); 0.38 keeps the order they were added in
      expect([...r.phases.deploy].sort()).toEqual(["--log-opt max-size=10m", "--restart=always"]);
      expect(r.phases.run).toEqual(r.phases.deploy);
      expect(r.processes).toEqual(v === V035 ? {} : { worker: ["--memory 1g"] });
      const text = page(
        DockerOptionsSection({ may: () => true, host: "demo", app: "api", report: { kind: "ok", result: r }, dokkuVersion: v, historyHref: "/h" }),
      );
      expect(text).toContain("--log-opt max-size=10m");
      expect(text).toContain("--allow-isolation-breaking");
      if (v !== V035) expect(text).toContain("deploy, worker only --memory 1g");
    });
  }

  it("the simulator prints docker-options:report exactly as recorded, on 0.35 and both 0.38 forms", async () => {
    for (const v of [V035, ...V038]) {
      const sim = makeSim({ version: v });
      try {
        const ctx = simRelay(sim);
        await runOp(ctx, "docker-options.add", { app: "api", phases: ["build"], option: "--build-arg NODE_ENV=production" });
        await runOp(ctx, "docker-options.add", { app: "api", phases: ["deploy", "run"], option: "--restart=always" });
        await runOp(ctx, "docker-options.add", { app: "api", phases: ["deploy", "run"], option: "--log-opt max-size=10m" });
        if (v !== V035) await runOp(ctx, "docker-options.add", { app: "api", phases: ["deploy"], option: "--memory 1g", processType: "worker" });
        const rec = recordings.get(`docker-options-report/three/${v}`)!;
        expect((await sim.dokku(...rec.argv)).stdout, v).toBe(`${rec.stdout.join("\n")}\n`);
      } finally {
        sim.cleanup();
      }
    }
  });
});
