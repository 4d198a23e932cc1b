import { describe, expect, it } from "vitest";
import { maskUrlCredentials } from "../../../protocol/redact.js";

describe("maskUrlCredentials", () => {
  it("masks the password of every plugin's DSN", () => {
    expect(maskUrlCredentials("postgres://postgres:8d3f@dokku-postgres-x:5432/x")).toBe("postgres://postgres:***@dokku-postgres-x:5432/x");
    expect(maskUrlCredentials("redis://:pw123@dokku-redis-x:6379")).toBe("redis://:***@dokku-redis-x:6379");
    expect(maskUrlCredentials("mysql://mariadb:p@ss@h:3306/db")).not.toContain("p@ss");
    expect(maskUrlCredentials("       DATABASE_URL:  mongodb://x:secretpw@dokku-mongo-x:27017/x")).toBe(
      "       DATABASE_URL:  mongodb://x:***@dokku-mongo-x:27017/x",
    );
  });

  it("masks an http(s) URL's token user and keeps an ssh user, which is a name", () => {
    expect(maskUrlCredentials("fatal: unable to access 'https://ghp_abc123@github.com/acme/app.git/'")).toBe(
      "fatal: unable to access 'https://***@github.com/acme/app.git/'",
    );
    expect(maskUrlCredentials("git-sync https://x-access-token:ghs_zz9@github.com/a/b.git#main")).toBe(
      "git-sync https://x-access-token:***@github.com/a/b.git#main",
    );
    expect(maskUrlCredentials("ssh://git@github.com/acme/app.git and git@github.com:acme/app.git")).toBe(
      "ssh://git@github.com/acme/app.git and git@github.com:acme/app.git",
    );
    expect(maskUrlCredentials("plain https://github.com/acme/app.git")).toBe("plain https://github.com/acme/app.git");
  });
});
