import { describe, expect, it } from "vitest";
import { DeployBody } from "../../worker/pages/app/deploy.js";
import { FAMILIES, host, page, replay } from "./harness.js";

/**
 * The Deploy tab's reads and the other per-app reports, one recording per version family: apps,
 * checks, git and builder reports (deploy.report), buildpacks, ps:scale and config:export.
 */
const NEW_GIT = new Set(["0.38.16", "0.38.27"]);

describe("deploy.report across the version families, rendered through the Deploy tab", () => {
  for (const v of FAMILIES) {
    it(`${v}: the deploy branch as Dokku computed it (or said it cannot tell), checks per process type, the builder in effect`, async () => {
      const ids = [`apps-report/api/${v}`, `checks-report/api/${v}`, `git-report/api/${v}`, `builder-report/api/${v}`];
      const r = await replay("deploy.report", { app: "api" }, v, ids);
      expect(r).toMatchObject({
        locked: false,
        deploySource: "git-push",
        deploySourceMetadata: "5c1a2b3d4e5f60718293a4b5c6d7e8f901234567",
        checksDisabled: [],
        checksSkipped: ["web"],
        builder: "",
        builderInEffect: v === "0.33.9" || v === "0.35.20" ? "" : "herokuish",
        format: v === "0.33.9" || v === "0.35.20" ? "text" : "json",
      });
      const html = String(
        DeployBody({
          may: () => true,
          host,
          app: "api",
          report: { kind: "ok", result: r },
          buildpacks: { kind: "ok", result: { buildpacks: [], format: "json" } },
          historyHref: "/h",
        }),
      );
      const text = page(html);
      expect(text).toContain("per process type (disabled: none; skipped: web)");
      if (NEW_GIT.has(v)) {
        expect(r.branch).toEqual({ own: "master", effective: "master", global: "main", either: [] });
        expect(text).toContain("A push deploys: master Deploy branch");
        expect(html).toMatch(/<input id="deploy-branch" name="branch" value="master"/);
      } else {
        expect(r.branch).toEqual({ own: null, effective: null, global: "main", either: ["master", "main"] });
        expect(text).toContain("A push deploys: master or main");
        expect(html).toMatch(/<input id="deploy-branch" name="branch" placeholder="unknown: see above"/);
      }
    });
  }
});

describe("the other per-app reads across the version families", () => {
  for (const v of FAMILIES) {
    it(`${v}: buildpacks in order, a scale of zeros, the environment with newlines and quotes`, async () => {
      expect(await replay("buildpacks.report", { app: "api" }, v, [`buildpacks-report/api/${v}`])).toMatchObject({
        buildpacks: ["https://github.com/heroku/heroku-buildpack-nodejs.git", "heroku/procfile"],
      });
      expect((await replay("apps.scale.show", { app: "worker" }, v, [`ps-scale/worker/${v}`])).scale).toEqual([
        { processType: "web", quantity: 0 },
        { processType: "worker", quantity: 0 },
      ]);
      expect((await replay("config.get", { app: "api" }, v, [`config-export/api/${v}`])).vars).toMatchObject({
        MULTI: "line one\nline two",
        QUOTED: 'a "b" c',
      });
    });
  }
});
