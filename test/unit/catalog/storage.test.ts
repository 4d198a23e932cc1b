import { mkdtempSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { hostPathRefusal, normaliseHostPath } from "../../../protocol/host-paths.js";
import { argsErrorMessage, ops } from "../../../protocol/ops.js";
import { defineMatrix, freshSims, type Case } from "../../support/ops-matrix.js";
import { fakeRelay, FAMILIES_KNOWN_OR_NOT, relayKnowing, runOp, simRelay } from "../../support/ops.js";

const sim = freshSims();

/** Every spelling of a mount that would hand the app the host, and why each is refused. */
const REFUSED: Array<[path: string, why: RegExp]> = [
  ["/", /whole host/],
  ["//", /whole host/],
  ["/etc", /\/etc is a system directory/],
  ["/etc/", /\/etc is a system directory/],
  ["//etc", /\/etc is a system directory/],
  ["/etc/../etc", /\/etc is a system directory/],
  ["/srv/../etc/ssh", /\/etc is a system directory/],
  ["/./etc/./", /\/etc is a system directory/],
  ["/root", /system directory/],
  ["/proc/1", /system directory/],
  ["/var/run/docker.sock", /docker socket/],
  ["/run/docker.sock", /docker socket/],
  ["/srv/docker.sock", /docker socket/],
  ["/var/lib/docker/volumes", /system directory/],
  ["/home/dokku", /Dokku's own folder/],
  ["/home/dokku/api/ENV", /Dokku's own folder/],
  ["/var/lib/dokku", /Dokku's own folder/],
  ["/var/lib/dokku/data/storage", /Dokku's own folder/],
  ["/var/lib/dokku/data/storage/..", /Dokku's own folder/],
  ["/var", /holds \/var\/run/],
  ["/home", /holds \/home\/dokku/],
  ["/var/lib/dokku/data", /Dokku's own folder/],
];

describe("host paths", () => {
  it("are normalised before they are checked", () => {
    expect(normaliseHostPath("/etc/../etc")).toBe("/etc");
    expect(normaliseHostPath("//srv///data/")).toBe("/srv/data");
    expect(normaliseHostPath("/../../etc")).toBe("/etc");
    expect(normaliseHostPath("/")).toBe("/");
  });

  it("refuse /, system directories, the docker socket and Dokku's folders (and what holds them), saying why", () => {
    for (const [path, why] of REFUSED) {
      const r = ops["storage.mount"].args.safeParse({ app: "api", hostPath: path, containerPath: "/data" });
      expect(r.success, path).toBe(false);
      expect(argsErrorMessage(r.error!), path).toMatch(why);
      expect(ops["storage.create"].args.safeParse({ name: "x1", hostPath: path }).success, path).toBe(false);
    }
  });

  it("let through an app's own directories and docker volumes, normalised", () => {
    for (const ok of ["/srv/api-data", "/var/lib/dokku/data/storage/api", "/var/lib/dokku/data/storage/api/uploads", "/mnt/nfs/api", "uploads_vol"]) {
      expect(hostPathRefusal(normaliseHostPath(ok)) === null || !ok.startsWith("/"), ok).toBe(true);
      expect(ops["storage.mount"].args.safeParse({ app: "api", hostPath: ok, containerPath: "/data" }).success, ok).toBe(true);
    }
    const r = ops["storage.mount"].args.parse({ app: "api", hostPath: "//srv//data/", containerPath: "/app//storage/" });
    expect(r).toMatchObject({ hostPath: "/srv/data", containerPath: "/app/storage" });
  });

  it("refuse option-like, shell-like and colon-holding values before anything runs", () => {
    for (const evil of ["-v", "--privileged", "/srv/a:/b", "/srv/$(id)", "/srv/a b", "/srv/a;id", "x", "\u2212x"]) {
      expect(ops["storage.mount"].args.safeParse({ app: "api", hostPath: evil, containerPath: "/data" }).success, evil).toBe(false);
      expect(ops["storage.mount"].args.safeParse({ app: "api", hostPath: "/srv/a", containerPath: evil }).success, evil).toBe(false);
    }
    expect(ops["storage.mount"].args.safeParse({ app: "api", hostPath: "/srv/a", containerPath: "/" }).success).toBe(false);
    expect(ops["storage.mount"].args.safeParse({ app: "api", hostPath: "/srv/a", entry: "x1", containerPath: "/d" }).success).toBe(false);
    expect(ops["storage.ensureDirectory"].args.safeParse({ name: "-x", chown: "root" }).success).toBe(false);
    expect(ops["storage.ensureDirectory"].args.safeParse({ name: "a/b", chown: "root" }).success).toBe(false);
    expect(ops["storage.ensureDirectory"].args.safeParse({ name: "api", chown: "1000" }).success).toBe(false);
    expect(ops["storage.create"].args.safeParse({ name: "legacy-abc" }).success).toBe(false);
    expect(ops["storage.destroy"].args.safeParse({ name: "--force", destroyHostDir: true }).success).toBe(false);
  });

  it("the relay refuses a path that is a link to a refused one on its host, and runs nothing", async () => {
    const dir = mkdtempSync(join(tmpdir(), "dl-link-"));
    symlinkSync("/etc", join(dir, "conf"));
    const relay = fakeRelay();
    const err = await runOp(relay, "storage.mount", { app: "api", hostPath: join(dir, "conf"), containerPath: "/data" }).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: "bad_request", message: expect.stringContaining("is /etc on this host and may not be mounted") });
    expect(relay.argvs).toEqual([]);
  });
});

describe.concurrent("storage across versions", () => {
  it("a mount by path lists alike on 0.35 (jq JSON), 0.38 (Go JSON) and as text, and unmounts", async () => {
    for (const [version, known] of FAMILIES_KNOWN_OR_NOT) {
      const ctx = relayKnowing(sim({ version }), known);
      await runOp(ctx, "storage.mount", { app: "api", hostPath: "/var/lib/dokku/data/storage/api", containerPath: "/app/storage" });
      await runOp(ctx, "storage.mount", { app: "api", hostPath: "/srv/shared", containerPath: "/shared", readonly: true });
      const r = await runOp(ctx, "storage.list", { app: "api" });
      expect(r.format, version).toBe(known ? "json" : "text");
      expect(
        r.mounts.map((m) => [m.hostPath, m.containerPath, m.readonly]),
        `${version} ${known}`,
      ).toEqual(
        expect.arrayContaining([
          ["/var/lib/dokku/data/storage/api", "/app/storage", false],
          ["/srv/shared", "/shared", true],
        ]),
      );
      if (version === "0.38.27" && known) expect(r.mounts[0]!.entry).toMatch(/^legacy-[0-9a-f]{10}$/);
      const ro = r.mounts.find((m) => m.readonly)!;
      await runOp(ctx, "storage.unmount", { app: "api", hostPath: ro.hostPath, containerPath: ro.containerPath, options: "ro" });
      expect((await runOp(ctx, "storage.list", { app: "api" })).mounts).toHaveLength(1);
    }
  });

  it("a mount that exists already is Dokku's error, word for word", async () => {
    const ctx = simRelay(sim());
    await runOp(ctx, "storage.mount", { app: "api", hostPath: "/srv/a", containerPath: "/a" });
    const err = await runOp(ctx, "storage.mount", { app: "api", hostPath: "/srv/a", containerPath: "/a" }).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: "dokku_error", message: "Mount path already exists." });
    expect(ctx.argvs.at(-1)).toEqual(["storage:mount", "api", "/srv/a:/a"]);
  });

  it("0.38 named entries: create, mount by name, list, info, refuse destroy while mounted, unmount, destroy", async () => {
    const ctx = simRelay(sim({ version: "0.38.27" }));
    await runOp(ctx, "storage.create", { name: "uploads", chown: "heroku" });
    expect((await runOp(ctx, "storage.entries", {})).entries).toEqual([
      { name: "uploads", scheduler: "docker-local", hostPath: "/var/lib/dokku/data/storage/uploads", chown: "heroku", mode: "", reclaimPolicy: "" },
    ]);
    expect(await runOp(ctx, "storage.info", { name: "uploads" })).toMatchObject({ hostPath: "/var/lib/dokku/data/storage/uploads" });
    await runOp(ctx, "storage.mount", { app: "api", entry: "uploads", containerPath: "/app/uploads", readonly: true });
    expect((await runOp(ctx, "storage.list", { app: "api" })).mounts).toEqual([
      { hostPath: "/var/lib/dokku/data/storage/uploads", containerPath: "/app/uploads", readonly: true, options: "", entry: "uploads" },
    ]);
    const busy = await runOp(ctx, "storage.destroy", { name: "uploads", destroyHostDir: true }).catch((e: unknown) => e);
    expect(busy).toMatchObject({ code: "dokku_error", message: 'storage entry "uploads" is still mounted by app(s): api' });
    await runOp(ctx, "storage.unmount", { app: "api", entry: "uploads", containerPath: "/app/uploads" });
    const done = await runOp(ctx, "storage.destroy", { name: "uploads", destroyHostDir: true });
    expect(done.output).toContain("Storage entry uploads destroyed");
    expect(ctx.argvs.at(-1)).toEqual(["storage:destroy", "uploads", "--force", "--destroy-host-dir"]);
    expect((await runOp(ctx, "storage.entries", {})).entries).toEqual([]);
  });

  it("on 0.35 the named-entry ops say which Dokku they need, before anything runs", async () => {
    const ctx = simRelay(sim({ version: "0.35.20" }));
    for (const [op, args] of [
      ["storage.entries", {}],
      ["storage.info", { name: "uploads" }],
      ["storage.create", { name: "uploads" }],
      ["storage.destroy", { name: "uploads", destroyHostDir: false }],
      ["storage.mount", { app: "api", entry: "uploads", containerPath: "/d" }],
    ] as const) {
      const err = await runOp(ctx, op, args).catch((e: unknown) => e);
      expect(err, op).toMatchObject({ code: "unavailable", message: expect.stringMatching(/arrived in Dokku 0\.38\.0; this host runs Dokku 0\.35\.20/) });
    }
    expect(ctx.argvs).toEqual([]);
    // with an unknown version, Dokku's own "not a dokku command" becomes the same message
    const err = await runOp(simRelay(sim({ version: "0.35.20" }), { dokkuVersion: null }), "storage.entries", {}).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: "unavailable", message: expect.stringContaining("arrived in Dokku 0.38.0") });
  });

  it("ensure-directory passes the owner as Dokku's --chown, and 0.38's deprecation shows as a warning", async () => {
    const ctx = simRelay(sim({ version: "0.38.27" }));
    const r = await runOp(ctx, "storage.ensureDirectory", { name: "api", chown: "heroku" });
    expect(ctx.argvs).toEqual([["storage:ensure-directory", "--chown", "heroku", "api"]]);
    expect(r.output).toBe(
      "-----> Ensuring /var/lib/dokku/data/storage/api exists\n       Setting directory ownership to 1000:1000\n       Directory ready for mounting\n",
    );
    expect(r.warning).toBe("Deprecated: please use 'storage:create' instead of 'storage:ensure-directory'");
  });
});

/** storage ops: happy path, missing app (or entry), Dokku error, timeout. */
const entryMissing = /^storage entry "ghost" does not exist/;
const cases: Case[] = [
  { op: "storage.list", args: { app: "api" }, command: "storage:list", check: (r) => expect(r.mounts).toEqual([]), missing: { app: "ghost" } },
  {
    op: "storage.mount",
    args: { app: "api", hostPath: "/srv/api", containerPath: "/data" },
    command: "storage:mount",
    check: (r) => expect(r.output).toBe(""),
    missing: { app: "ghost", hostPath: "/srv/api", containerPath: "/data" },
  },
  {
    op: "storage.unmount",
    args: { app: "api", hostPath: "/srv/api", containerPath: "/data" },
    command: "storage:unmount",
    happy: async (ctx) => {
      await runOp(ctx, "storage.mount", { app: "api", hostPath: "/srv/api", containerPath: "/data" });
      expect((await runOp(ctx, "storage.unmount", { app: "api", hostPath: "/srv/api", containerPath: "/data" })).output).toBe("");
    },
    missing: { app: "ghost", hostPath: "/srv/api", containerPath: "/data" },
  },
  {
    op: "storage.ensureDirectory",
    args: { name: "api", chown: "herokuish" },
    command: "storage:ensure-directory",
    check: (r) => expect(r.output).toContain("Setting directory ownership to 32767:32767"),
    missing: null,
  },
  { op: "storage.entries", args: {}, command: "storage:list-entries", version: "0.38.27", check: (r) => expect(r.entries).toEqual([]), missing: null },
  {
    op: "storage.info",
    args: { name: "uploads" },
    command: "storage:info",
    version: "0.38.27",
    happy: async (ctx) => {
      await runOp(ctx, "storage.create", { name: "uploads", hostPath: "/srv/uploads" });
      expect(await runOp(ctx, "storage.info", { name: "uploads" })).toMatchObject({ name: "uploads", hostPath: "/srv/uploads" });
    },
    missing: { name: "ghost" },
    missingMessage: entryMissing,
  },
  {
    op: "storage.create",
    args: { name: "uploads" },
    command: "storage:create",
    version: "0.38.27",
    check: (r) => expect(r.output).toBe("-----> Storage entry uploads created\n"),
    missing: null,
  },
  {
    op: "storage.destroy",
    args: { name: "uploads", destroyHostDir: false },
    command: "storage:destroy",
    version: "0.38.27",
    happy: async (ctx) => {
      await runOp(ctx, "storage.create", { name: "uploads" });
      expect((await runOp(ctx, "storage.destroy", { name: "uploads", destroyHostDir: false })).output).toBe("-----> Storage entry uploads destroyed\n");
    },
    missing: { name: "ghost", destroyHostDir: false },
    missingMessage: entryMissing,
  },
];

defineMatrix(cases);
