import { describe, expect, it } from "vitest";
import { Renamed } from "../../worker/pages/app/rename.js";
import { page, replay, replayError } from "./harness.js";

/** apps:rename and apps:clone replayed from recordings (fixtures/apps-rename.json, each naming its source). */
describe("rename and clone", () => {
  it("a rename with --skip-deploy: Go's flag before the names, the three lines it prints", async () => {
    const r = await replay("apps.rename", { app: "api", newName: "api-v2", skipDeploy: true }, "0.35.20", ["apps-rename/skip-deploy"]);
    expect(r.output).toBe("-----> Renaming api to api-v2\n-----> Creating api-v2...\n-----> Destroying api (including all add-ons)\n");
    expect(page(Renamed({ host: "demo", title: "Renamed api to api-v2", app: "api-v2", result: r }))).toContain("Open api-v2");
  });

  it("a taken name is Dokku's error; a clone told to ignore it is a warning; a missing source is not_found", async () => {
    expect(await replayError("apps.rename", { app: "api", newName: "worker" }, "0.35.20", ["apps-rename/taken"])).toMatchObject({
      code: "dokku_error",
      message: "Name is already taken",
    });
    expect(await replay("apps.clone", { app: "api", newName: "worker", ignoreExisting: true }, "0.35.20", ["apps-clone/ignore-existing"])).toEqual({
      output: "",
      warning: "Name is already taken",
    });
    expect(await replayError("apps.clone", { app: "ghost", newName: "ghost-copy" }, "0.35.20", ["apps-clone/legacy-source"])).toMatchObject({
      code: "not_found",
      message: "App ghost does not exist",
    });
  });
});
