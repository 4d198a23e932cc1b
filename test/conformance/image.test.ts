import { describe, expect, it } from "vitest";
import { runOp } from "../support/ops.js";
import { recordings, replay, replayError } from "./harness.js";
import { recordedRelay } from "./recordings.js";

/** git:from-image and registry:login replayed from recordings (fixtures/image.json, each naming its source in dokku/dokku). */
describe("deploy from an image", () => {
  it("git:from-image streams the pull and the Dockerfile deploy; a refused pull is Dokku's own line", async () => {
    // a deploy records a release afterwards (its snapshot reads, recorded elsewhere): only git:from-image is replayed here
    const relay = recordedRelay([recordings.get("git-from-image/0.35")!], "0.35.20");
    const r = await runOp(relay, "git.fromImage", { app: "api", image: "nginx:1.27" });
    expect(relay.argvs[0]).toEqual(["git:from-image", "api", "nginx:1.27"]);
    expect(relay.unmatched.map((a) => a[0])).not.toContain("git:from-image");
    expect(r.output).toMatch(/^-----> Generating build context\n-----> Pulling image\n/);
    expect(r.output).toContain("-----> Building api from Dockerfile");
    const failing = recordedRelay([recordings.get("git-from-image/pull-failed")!], "0.38.27");
    await expect(runOp(failing, "git.fromImage", { app: "api", image: "ghcr.io/acme/private:2.0" })).rejects.toMatchObject({
      code: "dokku_error",
      message: "Failed to pull image: ghcr.io/acme/private:2.0",
    });
  });

  it("registry:login: 0.38's per-app success (a warning line) is the outcome; 0.35's is docker's own; a refusal is Dokku's words", async () => {
    const args = { server: "ghcr.io", username: "acme", password: "s3cret-token" };
    expect(await replay("registry.login", { app: "api", ...args }, "0.38.27", ["registry-login/app"])).toEqual({ output: "Login Succeeded for api\n" });
    expect(await replay("registry.loginGlobal", args, "0.35.20", ["registry-login/global-0.35"])).toEqual({ output: "Login Succeeded\n" });
    expect(await replayError("registry.loginGlobal", args, "0.38.27", ["registry-login/refused"])).toMatchObject({
      code: "dokku_error",
      message: 'Unable to run docker login: Error response from daemon: Get "https://ghcr.io/v2/": denied: denied',
    });
  });
});
