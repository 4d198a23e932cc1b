import { describe, expect, it } from "vitest";
import { buildpackUrl, gitRef, gitRemote, portMapping } from "../../../protocol/names.js";

const ok = (schema: { safeParse(v: unknown): { success: boolean } }, v: string) => schema.safeParse(v).success;

describe("git remotes for git:sync", () => {
  it("takes https, http and ssh URLs and scp-like user@host:path", () => {
    for (const r of [
      "https://github.com/dokku/smoke-test-app.git",
      "http://git.internal:8080/team/app",
      "ssh://git@github.com/acme/app.git",
      "ssh://git@git.example.com:2222/acme/app.git",
      "git@github.com:acme/app.git",
    ]) {
      expect(ok(gitRemote, r), r).toBe(true);
    }
  });

  it("refuses credentials in the URL, other schemes, option look-alikes and whitespace", () => {
    for (const r of [
      "https://user:ghp_token@github.com/acme/app.git",
      "https://ghp_token@github.com/acme/app.git",
      "ssh://git:hunter2@github.com/acme/app.git",
      "file:///etc/passwd",
      "ext::sh -c touch% /tmp/pwned",
      "--upload-pack=touch /tmp/x",
      "-u",
      "https://github.com/acme/app.git\nmain",
      "https://github.com",
      "",
    ]) {
      expect(ok(gitRemote, r), r).toBe(false);
    }
  });
});

describe("git refs and port mappings", () => {
  it("takes branches, tags and shas; refuses options, `..` and odd endings", () => {
    for (const r of ["main", "release/2.0", "v1.2.3", "cd7b8afccb202f222e7dc7b427553e71ba5ddafd", "_wip"]) expect(ok(gitRef, r), r).toBe(true);
    for (const r of ["--force", "-b", "a..b", "feature/", "x.lock", "a//b", "a b", ""]) expect(ok(gitRef, r), r).toBe(false);
  });

  it("takes scheme:host:container with ports from 1 to 65535", () => {
    for (const m of ["http:80:5000", "https:443:5000", "tcp:2222:22", "udp:53:53", "http:65535:1"]) expect(ok(portMapping, m), m).toBe(true);
    for (const m of ["http:0:5000", "http:80:65536", "ftp:21:21", "http:80", "http:80:5000 tcp:1:1", "HTTP:80:5000"]) expect(ok(portMapping, m), m).toBe(false);
  });
});

describe("buildpacks", () => {
  it("takes owner/name and http(s) or git@ URLs with an optional #ref; refuses credentials and the rest", () => {
    for (const b of [
      "heroku/nodejs",
      "https://github.com/heroku/heroku-buildpack-nodejs.git",
      "https://github.com/heroku/heroku-buildpack-ruby.git#v250",
      "git@github.com:acme/buildpack.git",
    ]) {
      expect(ok(buildpackUrl, b), b).toBe(true);
    }
    for (const b of ["https://user:tok@github.com/a/b.git", "https://tok@github.com/a/b.git", "nodejs", "--index", "file:///tmp/bp", "heroku/node js", ""]) {
      expect(ok(buildpackUrl, b), b).toBe(false);
    }
  });
});
