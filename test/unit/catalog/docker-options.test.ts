import { describe, expect, it } from "vitest";
import { vetDockerOption } from "../../../protocol/docker-options.js";
import { ops } from "../../../protocol/ops.js";
import { splitJoinedOptions } from "../../../relay/catalog/docker-options.js";
import { defineMatrix, freshSims, type Case } from "../../support/ops-matrix.js";
import { fakeRelay, relayKnowing, runOp, simRelay } from "../../support/ops.js";

const sim = freshSims();

/** Every isolation-breaking form named in issue #22, with its `=` and short spellings, and why each is refused. */
const BREAKING: Array<[option: string, why: RegExp]> = [
  ["--privileged", /root on the host/],
  ["--privileged=true", /root on the host/],
  ["--net=host", /host's network stack/],
  ["--net host", /host's network stack/],
  ["--network=host", /host's network stack/],
  ["--network host", /host's network stack/],
  ["--network=container:db", /another container's namespace/],
  ["--pid=host", /every process of the host/],
  ["--pid host", /every process of the host/],
  ["--ipc=host", /shared memory/],
  ["--ipc host", /shared memory/],
  ["--uts=host", /hostname/],
  ["--userns=host", /root in the container is root on the host/],
  ["--userns host", /root in the container is root on the host/],
  ["--cgroupns=host", /cgroups/],
  ["-v /:/host", /mounts \/: mounting \/ gives the app the whole host/],
  ["-v /etc/../:/host", /mounts \/: /],
  ["--volume=/:/host", /whole host/],
  ["--volume //etc:/e", /\/etc is a system directory/],
  ["-v /var/run/docker.sock:/var/run/docker.sock", /docker socket/],
  ["-v /run/docker.sock:/s:ro", /docker socket/],
  ["--volume=/var/lib/dokku:/d", /Dokku's own folder/],
  ["--mount type=bind,source=/,target=/host", /whole host/],
  ["--mount=type=bind,src=/var/run/docker.sock,dst=/s", /docker socket/],
  ["--cap-add=SYS_ADMIN", /capability SYS_ADMIN/],
  ["--cap-add ALL", /capability ALL/],
  ["--device=/dev/sda", /device of the host/],
  ["--device /dev/kvm", /device of the host/],
  ["--device-cgroup-rule=a", /devices of the host/],
  ["--gpus all", /GPUs/],
  ["--security-opt seccomp=unconfined", /seccomp=unconfined/],
  ["--security-opt=seccomp=unconfined", /seccomp=unconfined/],
  ["--security-opt apparmor=unconfined", /apparmor=unconfined/],
  ["--security-opt=apparmor:unconfined", /apparmor:unconfined/],
  ["--security-opt label=disable", /label=disable/],
  ["--volumes-from=db", /another app's data/],
];

/** Shapes and flags refused whatever the relay allows. */
const NEVER = [
  "--restart=$(id)",
  "--restart=`id`",
  "-e A=b;id",
  "--label a b",
  "--label 'a'",
  '--label "a"',
  "--memory 1g --privileged",
  "--env-file /etc/shadow",
  "--trace",
  "--force",
  "--quiet",
  "--app=x",
  "-it",
  "--entrypoint=-x",
  "privileged",
  "--restart",
  "--init yes",
  "--memory\n--privileged",
  "\u2212\u2212privileged",
  "",
];

describe("docker options are vetted", () => {
  it("let the safe ones through as typed", () => {
    for (const o of [
      "--restart=always",
      "--memory 512m",
      "-e FOO=bar",
      "--log-opt max-size=10m",
      "--init",
      "--cap-drop=ALL",
      "-v /srv/a:/a",
      "--network=backend",
      "--security-opt no-new-privileges",
    ]) {
      expect(vetDockerOption(o), o).toMatchObject({ ok: true, breaks: null });
    }
    expect(vetDockerOption("-v //srv/a/:/a")).toMatchObject({ ok: true, option: "-v /srv/a:/a" });
  });

  it("know every isolation-breaking form and say why", () => {
    for (const [o, why] of BREAKING) {
      const v = vetDockerOption(o);
      expect(v.ok, o).toBe(true);
      expect(v.ok && v.breaks, o).toMatch(why);
    }
  });

  it("the relay refuses each isolation-breaking form unless started to allow it, and runs nothing", async () => {
    for (const [o, why] of BREAKING) {
      const relay = fakeRelay();
      const err = await runOp(relay, "docker-options.add", { app: "api", phases: ["deploy"], option: o }).catch((e: unknown) => e);
      expect(err, o).toMatchObject({ code: "bad_request", message: expect.stringMatching(why) });
      expect((err as Error).message, o).toContain("--allow-isolation-breaking");
      expect(relay.argvs, o).toEqual([]);
      const allowed = fakeRelay(() => ({}), { allowIsolationBreaking: true });
      await runOp(allowed, "docker-options.add", { app: "api", phases: ["deploy"], option: o });
      expect(allowed.argvs[0]!.at(-1), o).toBe(vetDockerOption(o).ok ? (vetDockerOption(o) as { option: string }).option : "");
    }
  });

  it("refuse shell characters, several options at once, unknown flags and Dokku's own flags, allowed or not, at the edge's schema", async () => {
    for (const o of NEVER) {
      expect(vetDockerOption(o).ok, JSON.stringify(o)).toBe(false);
      expect(ops["docker-options.add"].args.safeParse({ app: "api", phases: ["run"], option: o }).success, JSON.stringify(o)).toBe(false);
      const allowed = fakeRelay(() => ({}), { allowIsolationBreaking: true });
      expect(await runOp(allowed, "docker-options.add", { app: "api", phases: ["run"], option: o }).catch((e: unknown) => e), o).toMatchObject({
        code: "bad_request",
      });
      expect(allowed.argvs).toEqual([]);
    }
  });

  it("a listed option of any flag can be removed (removing never widens access), shell characters never", () => {
    expect(ops["docker-options.remove"].args.safeParse({ app: "api", phases: ["deploy"], option: "--privileged" }).success).toBe(true);
    expect(ops["docker-options.remove"].args.safeParse({ app: "api", phases: ["deploy"], option: "--env-file /x" }).success).toBe(true);
    for (const o of ["--restart=$(id)", "--label a b", "--trace", "-x;y"]) {
      expect(ops["docker-options.remove"].args.safeParse({ app: "api", phases: ["deploy"], option: o }).success, o).toBe(false);
    }
    expect(ops["docker-options.add"].args.safeParse({ app: "api", phases: ["build"], option: "--init", processType: "web" }).success).toBe(false);
  });

  it("a phase's joined options split back at each flag", () => {
    expect(splitJoinedOptions("-v /a:/b --restart=always --link db ")).toEqual(["-v /a:/b", "--restart=always", "--link db"]);
    expect(splitJoinedOptions("")).toEqual([]);
  });
});

describe.concurrent("docker options across versions", () => {
  it("added options read back alike from 0.35 text, 0.38.16 JSON, 0.38.27 JSON lists and text, and clear", async () => {
    for (const [version, known] of [
      ["0.35.20", true],
      ["0.38.16", true],
      ["0.38.27", true],
      ["0.38.27", false],
    ] as const) {
      const ctx = relayKnowing(sim({ version }), known);
      await runOp(ctx, "docker-options.add", { app: "api", phases: ["deploy", "run"], option: "--restart=always" });
      await runOp(ctx, "docker-options.add", { app: "api", phases: ["build"], option: "--build-arg NODE_ENV=production" });
      const r = await runOp(ctx, "docker-options.report", { app: "api" });
      expect(r.format, version).toBe(known && version !== "0.35.20" ? "json" : "text");
      expect(r.phases, `${version} ${known}`).toEqual({ build: ["--build-arg NODE_ENV=production"], deploy: ["--restart=always"], run: ["--restart=always"] });
      expect(ctx.argvs[0]).toEqual(["docker-options:add", "api", "deploy,run", "--restart=always"]);
      const cleared = await runOp(ctx, "docker-options.clear", { app: "api" });
      expect(cleared.output).toBe("-----> Clearing docker-options for api on all phases\n");
      expect((await runOp(ctx, "docker-options.report", { app: "api" })).phases).toEqual({ build: [], deploy: [], run: [] });
    }
  });

  it("0.38: options per process type (deploy only), --process before the app; 0.35 refuses them before anything runs", async () => {
    const ctx = simRelay(sim({ version: "0.38.27" }));
    await runOp(ctx, "docker-options.add", { app: "api", phases: ["deploy"], option: "--memory 1g", processType: "worker" });
    expect(ctx.argvs[0]).toEqual(["docker-options:add", "--process", "worker", "api", "deploy", "--memory 1g"]);
    const r = await runOp(ctx, "docker-options.report", { app: "api" });
    expect(r.processes).toEqual({ worker: ["--memory 1g"] });
    expect(r.phases.deploy).toEqual([]);
    await runOp(ctx, "docker-options.remove", { app: "api", phases: ["deploy"], option: "--memory 1g", processType: "worker" });
    expect((await runOp(ctx, "docker-options.report", { app: "api" })).processes).toEqual({});

    const old = simRelay(sim({ version: "0.35.20" }));
    const err = await runOp(old, "docker-options.add", { app: "api", phases: ["deploy"], option: "--init", processType: "web" }).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: "unavailable", message: expect.stringContaining("arrived in Dokku 0.38.0; this host runs Dokku 0.35.20") });
    expect(old.argvs).toEqual([]);
  });

  it("0.35: a storage mount is a -v option of deploy and run, so the report lists it", async () => {
    const ctx = simRelay(sim({ version: "0.35.20" }));
    await runOp(ctx, "storage.mount", { app: "api", hostPath: "/srv/api", containerPath: "/data" });
    const r = await runOp(ctx, "docker-options.report", { app: "api" });
    expect(r.phases.deploy).toEqual(["-v /srv/api:/data"]);
    expect(r.phases.run).toEqual(["-v /srv/api:/data"]);
  });
});

/** docker-options ops: happy path, missing app, Dokku error, timeout. */
const cases: Case[] = [
  {
    op: "docker-options.report",
    args: { app: "api" },
    command: "docker-options:report",
    check: (r) => expect(r.phases).toEqual({ build: [], deploy: [], run: [] }),
    missing: { app: "ghost" },
  },
  {
    op: "docker-options.add",
    args: { app: "api", phases: ["deploy"], option: "--restart=always" },
    command: "docker-options:add",
    check: (r) => expect(r.output).toBe(""),
    missing: { app: "ghost", phases: ["deploy"], option: "--init" },
  },
  {
    op: "docker-options.remove",
    args: { app: "api", phases: ["deploy"], option: "--restart=always" },
    command: "docker-options:remove",
    check: (r) => expect(r.output).toBe(""),
    missing: { app: "ghost", phases: ["deploy"], option: "--init" },
  },
  {
    op: "docker-options.clear",
    args: { app: "api", phases: ["build"] },
    command: "docker-options:clear",
    check: (r) => expect(r.output).toBe("-----> Clearing docker-options for api on phase build\n"),
    missing: { app: "ghost" },
  },
];

defineMatrix(cases);
