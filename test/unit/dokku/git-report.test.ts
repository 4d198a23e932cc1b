import { describe, expect, it } from "vitest";
import { deployBranchOf } from "../../../relay/dokku/git-report.js";

describe("the deploy branch from git:report", () => {
  const g = (branch: string, global: string) => ({ "deploy-branch": branch, "global-deploy-branch": global, sha: "", "last-updated-at": "" });
  it("reads `master` as following the global branch, and an app's own branch as winning", () => {
    expect(deployBranchOf(g("master", "main"))).toEqual({ own: "", effective: "main" });
    expect(deployBranchOf(g("master", ""))).toEqual({ own: "", effective: "master" });
    expect(deployBranchOf(g("release", "main"))).toEqual({ own: "release", effective: "release" });
  });
});
