import { describe, expect, it } from "vitest";
import { DeployBody } from "../../worker/pages/app/deploy.js";
import { AppActions } from "../../worker/pages/app/overview.js";
import { AppSummary } from "../../worker/pages/app/app-summary.js";
import { makeSim } from "../support/sim.js";
import { FAMILIES, host, page, recordings, replay } from "./harness.js";

/**
 * An app created and never pushed to, read on every version family: each field Dokku (or git) prints
 * for it is shown for what it means. The recordings (`…/fresh/…`) name the Dokku source of each
 * placeholder: git's own `HEAD` for an unborn HEAD on the bash git:report, "" on the Go one, no last
 * update without refs/heads/BRANCH, no deploy source, no builder detected yet.
 */
const BASH_GIT = new Set(["0.33.9", "0.35.20", "0.38.16"]);

describe("4. an app that was never deployed, read for what it is", () => {
  for (const v of FAMILIES) {
    it(`${v}: the overview says never pushed and never deployed, not git's \`HEAD\` or an empty time`, async () => {
      const d = await replay("apps.detail", { app: "fresh" }, v, [`ps-report/fresh/${v}`, `domains-report/fresh/${v}`, `git-report/fresh/${v}`]);
      expect(d).toMatchObject({ state: "not-deployed", deployed: false, processes: 0 });
      expect(d.git.sha).toBe("");
      expect(d.git.lastUpdatedAt).toBeNull();
      const text = page(AppSummary({ host: "demo", detail: d }));
      expect(text).toContain("Git commit never pushed");
      expect(text).toContain("Last deploy never");
      expect(text).not.toMatch(/\bHEAD\b/);
      const actions = page(AppActions({ host: "demo", detail: d, may: () => true }));
      expect(actions).toContain("Not deployed yet");
      expect(actions).not.toContain("Restart");
    });

    it(`${v}: the Deploy tab says not deployed yet and a builder chosen at the first build`, async () => {
      const ids = [`apps-report/fresh/${v}`, `checks-report/fresh/${v}`, `git-report/fresh/${v}`, `builder-report/fresh/${v}`];
      const r = await replay("deploy.report", { app: "fresh" }, v, ids);
      expect(r).toMatchObject({ deploySource: "", deploySourceMetadata: "", builder: "", builderInEffect: "" });
      const text = page(
        DeployBody({
          host,
          app: "fresh",
          report: { kind: "ok", result: r },
          buildpacks: { kind: "ok", result: { buildpacks: [], format: "json" } },
          historyHref: "/h",
        }),
      );
      expect(text).toContain("not deployed yet");
      expect(text).toContain("auto-detect (at the first build)");
      expect(text).not.toMatch(/\bHEAD\b/);
    });
  }

  for (const v of FAMILIES) {
    it(`${v}: the simulator prints the never-pushed git:report fields as the recording (bash: git's HEAD; Go: nothing)`, async () => {
      const rec = recordings.get(`git-report/fresh/${v}`)!;
      const sim = makeSim({ seed: "empty", version: v });
      try {
        expect((await sim.dokku("apps:create", "fresh")).exitCode).toBe(0);
        const out = (await sim.dokku(...rec.argv)).stdout;
        const fields = (text: string) =>
          text.trimStart().startsWith("{")
            ? (({ sha, "last-updated-at": at }) => ({ sha, at }))(JSON.parse(text) as Record<string, string>)
            : { sha: /Git sha:( *)(.*)$/m.exec(text)?.[0], at: /Git last updated at:.*$/m.exec(text)?.[0] };
        expect(fields(out)).toEqual(fields(rec.stdout.join("\n")));
        expect(fields(out).sha).toMatch(BASH_GIT.has(v) ? /HEAD/ : /^(|Git sha: *)$/);
      } finally {
        sim.cleanup();
      }
    });
  }
});
