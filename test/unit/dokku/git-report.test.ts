import { describe, expect, it } from "vitest";
import { deployBranchOf, type GitReport } from "../../../relay/dokku/git-report.js";

describe("the deploy branch from git:report", () => {
  const g = (branch: string, global: string, computed?: string): GitReport => ({
    "deploy-branch": branch,
    "global-deploy-branch": global,
    ...(computed === undefined ? {} : { "computed-deploy-branch": computed }),
    sha: "",
    "last-updated-at": "",
  });

  it("0.38.4+: takes what Dokku computed; `master` set for the app is a pin, not a placeholder", () => {
    expect(deployBranchOf(g("master", "main", "master"))).toEqual({ own: "master", effective: "master", global: "main", either: [] });
    expect(deployBranchOf(g("", "main", "main"))).toEqual({ own: "", effective: "main", global: "main", either: [] });
    expect(deployBranchOf(g("", "", "master"))).toEqual({ own: "", effective: "master", global: "", either: [] });
  });

  it("before 0.38.4: an app's own branch other than master wins", () => {
    expect(deployBranchOf(g("release", "main"))).toEqual({ own: "release", effective: "release", global: "main", either: [] });
  });

  it("before 0.38.4: `master` with a global master deploys master, whether set or not", () => {
    expect(deployBranchOf(g("master", "master"))).toEqual({ own: null, effective: "master", global: "master", either: [] });
  });

  it("before 0.38.4: `master` with another global branch cannot be told apart, so it is not guessed", () => {
    expect(deployBranchOf(g("master", "main"))).toEqual({ own: null, effective: null, global: "main", either: ["master", "main"] });
  });
});
