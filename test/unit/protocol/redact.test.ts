import { describe, expect, it } from "vitest";
import { maskDsn } from "../../../protocol/redact.js";

describe("maskDsn", () => {
  it("masks the password of every plugin's DSN", () => {
    expect(maskDsn("postgres://postgres:8d3f@dokku-postgres-x:5432/x")).toBe("postgres://postgres:***@dokku-postgres-x:5432/x");
    expect(maskDsn("redis://:pw123@dokku-redis-x:6379")).toBe("redis://:***@dokku-redis-x:6379");
    expect(maskDsn("mysql://mariadb:p@ss@h:3306/db")).not.toContain("p@ss");
    expect(maskDsn("       DATABASE_URL:  mongodb://x:secretpw@dokku-mongo-x:27017/x")).toBe("       DATABASE_URL:  mongodb://x:***@dokku-mongo-x:27017/x");
  });
});
