import { describe, expect, it } from "vitest";
import {
  appName,
  buildDir,
  buildpackUrl,
  domainName,
  emailAddress,
  envKey,
  gitRef,
  gitRemote,
  listedAppName,
  portMapping,
  processType,
  serviceName,
} from "../../../protocol/names.js";

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

describe("no value that reaches argv may start with '-' (the red-team cases and their kin)", () => {
  it("refuses option look-alikes where each schema used to let them through", () => {
    // git reads `-u…` as --upload-pack; ssh reads a user or host starting with '-' as an option
    for (const r of ["-utouch@x:y", "--upload-pack=x@h:p", "git@-oProxyCommand=x:p", "git@h:-p", "ssh://-oProxyCommand=x@h/p", "https://-x/y/z"]) {
      expect(ok(gitRemote, r), r).toBe(false);
    }
    for (const b of ["--index/2", "-x/y", "https://-x/a/b", "git@-x:a/b"]) expect(ok(buildpackUrl, b), b).toBe(false);
    for (const e of ["--force@example.com", "-x@example.com"]) expect(ok(emailAddress, e), e).toBe(false);
    expect(ok(emailAddress, "ops-team@example.com")).toBe(true);
    expect(ok(gitRemote, "deploy_bot@gitlab.example.com:group/app.git")).toBe(true);
  });

  it("every name schema that builds argv refuses a leading '-'", () => {
    const schemas = { appName, envKey, domainName, portMapping, gitRef, gitRemote, buildDir, buildpackUrl, serviceName, processType, emailAddress };
    for (const [name, schema] of Object.entries(schemas)) {
      for (const v of ["-", "--", "-x", "--force", "--x=y", "-a/b", "-a@b.co"]) expect(ok(schema, v), `${name} ${v}`).toBe(false);
    }
  });
});

describe("names Dokku may list", () => {
  // fast-check found apps.rename taking {"app":"a\u0000b"}: a NUL reached argv (argv-guard.test.ts)
  it("take an old Dokku's looser names but never whitespace, '/' or NUL", () => {
    for (const ok of ["api", "shop;v1", "a$b", "a<b"]) expect(listedAppName.safeParse(ok).success, ok).toBe(true);
    for (const bad of ["a\u0000b", "\u0000", "a b", "a\tb", "a/b", ""]) expect(listedAppName.safeParse(bad).success, JSON.stringify(bad)).toBe(false);
  });
});
