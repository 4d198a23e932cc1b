import { describe, expect, it } from "vitest";
import { ops } from "../../../protocol/ops.js";
import { defineMatrix, freshSims, type Case } from "../../support/ops-matrix.js";
import { runOp, simRelay } from "../../support/ops.js";

const sim = freshSims();

/** A marker password: it must reach the host on stdin and appear in no argv, history row, live line or answer. */
const MARK = "pw-MARKER-7f3a9c";

const cases: Case[] = [
  {
    op: "git.fromImage",
    args: { app: "staging", image: "nginx:1.27" },
    command: "git:from-image",
    missing: { app: "ghost", image: "nginx:1.27" },
    happyTimeoutMs: 30_000,
    check: (r) => {
      expect(r.output).toMatch(/^-----> Generating build context\n-----> Pulling image\n1\.27: Pulling from nginx\n/);
      expect(r.output).toContain("-----> Building staging from Dockerfile");
    },
  },
  {
    op: "registry.login",
    args: { app: "api", server: "ghcr.io", username: "acme", password: MARK },
    command: "registry:login",
    version: "0.38.27",
    missing: { app: "ghost", server: "ghcr.io", username: "acme", password: MARK },
    check: (r) => expect(r).toEqual({ output: "Login Succeeded for api\n" }),
  },
  {
    op: "registry.loginGlobal",
    args: { server: "ghcr.io", username: "acme", password: MARK },
    command: "registry:login",
    missing: null,
    check: (r) => expect(r).toEqual({ output: "Login Succeeded\n" }),
  },
];

defineMatrix(cases);

describe.concurrent("deploy from an image", () => {
  it("the password goes on stdin after --password-stdin: never in argv, history, live lines or the answer", async () => {
    const s = sim({ version: "0.38.27" });
    const ctx = simRelay(s);
    await runOp(ctx, "registry.login", { app: "api", server: "private.example.com", username: "acme", password: MARK });
    await runOp(ctx, "registry.loginGlobal", { server: "ghcr.io", username: "acme", password: MARK });
    expect(ctx.argvs).toEqual([
      ["registry:login", "--password-stdin", "api", "private.example.com", "acme"],
      ["registry:login", "--global", "--password-stdin", "ghcr.io", "acme"],
    ]);
    expect(ctx.stdins).toEqual([`${MARK}\n`, `${MARK}\n`]);
    const failed = await runOp(ctx, "registry.login", { app: "api", server: "ghcr.io", username: "acme", password: "wrong" }).catch((e: unknown) => e);
    expect(failed).toMatchObject({ code: "dokku_error", message: expect.stringContaining("unauthorized: incorrect username or password") });
    const rows = JSON.stringify(ctx.history.list(50, 0));
    expect(rows).toContain("registry:login");
    expect(rows).not.toContain(MARK);
    expect(ctx.chunks.join("")).not.toContain(MARK);
    // the host kept a login the pull then uses: a private image deploys only after it
    const r = await runOp(ctx, "git.fromImage", { app: "api", image: "private.example.com/acme/api:2.0" });
    expect(r.output).toContain("Status: Downloaded newer image for private.example.com/acme/api:2.0");
    expect(await runOp(simRelay(s), "deploy.report", { app: "api" })).toMatchObject({
      deploySource: "docker-image",
      deploySourceMetadata: "private.example.com/acme/api:2.0",
    });
  });

  it("a private image without a login fails with Dokku's words; a missing app is not_found", async () => {
    const s = sim();
    await expect(runOp(simRelay(s), "git.fromImage", { app: "api", image: "private.example.com/acme/api:2.0" })).rejects.toMatchObject({
      code: "dokku_error",
      message: "Failed to pull image: private.example.com/acme/api:2.0",
    });
  });

  it("a per-app login on 0.35 is refused before anything runs, naming the version; the host's login works there", async () => {
    const ctx = simRelay(sim());
    await expect(runOp(ctx, "registry.login", { app: "api", server: "ghcr.io", username: "acme", password: MARK })).rejects.toMatchObject({
      code: "unavailable",
      message: expect.stringContaining("arrived in Dokku 0.38.0; this host runs Dokku 0.35.20"),
    });
    expect(ctx.argvs).toEqual([]);
    expect(await runOp(ctx, "registry.loginGlobal", { server: "ghcr.io", username: "acme", password: MARK })).toEqual({
      output: "Login Succeeded\n",
    });
    expect(ctx.argvs).toEqual([["registry:login", "--password-stdin", "ghcr.io", "acme"]]);
  });

  it("refuses images a Dockerfile would read as more, and passwords of more than one line", () => {
    const image = (v: string) => ops["git.fromImage"].args.safeParse({ app: "api", image: v }).success;
    for (const ok of ["nginx", "nginx:1.27", "ghcr.io/acme/api:v2", "registry.example.com:5000/a/b", `alpine@sha256:${"a".repeat(64)}`])
      expect(image(ok), ok).toBe(true);
    for (const bad of ["nginx\nRUN id", "--pull", "-x", "Nginx", "a b", "a;b", "ghcr.io/acme/api:v2 AS x", ""]) expect(image(bad), bad).toBe(false);
    const pw = (v: string) => ops["registry.loginGlobal"].args.safeParse({ server: "ghcr.io", username: "acme", password: v }).success;
    expect(pw("a\nb")).toBe(false);
    expect(pw(" padded ")).toBe(false);
    expect(pw("--force")).toBe(true); // it never reaches argv
    expect(ops["registry.loginGlobal"].args.safeParse({ server: "-evil", username: "acme", password: "x" }).success).toBe(false);
    expect(ops["registry.loginGlobal"].args.safeParse({ server: "ghcr.io", username: "--force", password: "x" }).success).toBe(false);
  });
});

describe("registry credentials are printable text", () => {
  // fast-check found a NUL user name the schema let through to Dokku's argv
  it.each(["\u0000", "ci\u0007bot", "ci\u001bbot"])("refuses the user name %j, and a password holding it", (bad) => {
    const login = ops["registry.loginGlobal"].args;
    expect(login.safeParse({ server: "ghcr.io", username: bad, password: "token" }).success).toBe(false);
    expect(login.safeParse({ server: "ghcr.io", username: "ci", password: `to${bad}ken` }).success).toBe(false);
    expect(login.safeParse({ server: "ghcr.io", username: "ci", password: "token" }).success).toBe(true);
  });
});
