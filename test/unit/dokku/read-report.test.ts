import { describe, expect, it } from "vitest";
import { freshSims } from "../../support/ops-matrix.js";
import { runOp, simRelay } from "../../support/ops.js";

const sim = freshSims();

describe.concurrent("reports read as JSON or text by the Dokku version", () => {
  for (const [version, format] of [
    ["0.30.11", "text"],
    ["0.38.27", "json"],
  ] as const) {
    it(`apps.detail, domains.report and tls certs on ${version} use ${format}`, async () => {
      const ctx = simRelay(sim({ version }));
      const detail = await runOp(ctx, "apps.detail", { app: "api" });
      expect(detail).toMatchObject({ name: "api", state: "running", deployed: true, running: "true", processes: 2, canScale: true, format });
      expect(detail.containers.map((c) => c.process)).toEqual(["web.1", "worker.1"]);
      expect(detail.domains.vhosts).toEqual(["api.demo.dokku.me"]);
      const domains = await runOp(ctx, "domains.report", { app: "blog.v2" });
      expect(domains).toEqual({
        appEnabled: true,
        appVhosts: ["blog.demo.dokku.me", "www.example.com"],
        globalEnabled: true,
        globalVhosts: ["demo.dokku.me"],
        format,
      });
      const tls = await runOp(ctx, "tls.status", { app: "api" });
      expect(tls.certs).toMatchObject({ enabled: true, hostnames: ["api.demo.dokku.me"] });
      const jsonArgs = ctx.argvs.filter((a) => a.includes("--format"));
      // plugin:list (the letsencrypt plugin's state) has JSON from 0.38.22; tls.status reads the
      // app's domains too (a wildcard needs DNS-01).
      if (format === "json")
        expect(jsonArgs.map((a) => a[0])).toEqual([
          "ps:report",
          "domains:report",
          "git:report",
          "domains:report",
          "certs:report",
          "plugin:list",
          "domains:report",
        ]);
      // Go ps:report has had JSON since 0.23.1; the bash reports (domains, git, certs) only from 0.38.0
      else expect(jsonArgs.map((a) => a[0])).toEqual(["ps:report"]);
    });
  }

  it("an unknown Dokku version falls back to text everywhere", async () => {
    const ctx = simRelay(sim({ version: "0.38.27" }), { dokkuVersion: null });
    expect((await runOp(ctx, "apps.detail", { app: "api" })).format).toBe("text");
    expect(ctx.argvs.every((a) => !a.includes("--format"))).toBe(true);
  });
});
