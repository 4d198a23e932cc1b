import { describe, expect, it } from "vitest";
import { hashPassword, MAX_PBKDF2_ITERATIONS, PASSWORD_HASH_PATTERN, verifyPassword } from "../../worker/auth/password.js";
import { base32Decode, base32Encode, hotp, matchTotp, newRecoveryCodes, otpauthUri, totp } from "../../worker/auth/totp.js";

describe("PBKDF2 password hashes (Workers cap: 100,000 iterations)", () => {
  it("stores iterations and salt in the hash, and verifies the right password only", async () => {
    const stored = await hashPassword("a long enough password");
    const m = PASSWORD_HASH_PATTERN.exec(stored);
    expect(m).not.toBeNull();
    expect(Number(m![1])).toBe(MAX_PBKDF2_ITERATIONS);
    expect(m![2]!.length).toBeGreaterThanOrEqual(22); // 16-byte salt, base64url
    expect(await verifyPassword("a long enough password", stored)).toBe(true);
    expect(await verifyPassword("a long enough passwore", stored)).toBe(false);
    // A fresh salt each time.
    expect(await hashPassword("a long enough password")).not.toBe(stored);
  });

  it("refuses to hash above the cap (local workerd would allow it; production would not)", async () => {
    expect(MAX_PBKDF2_ITERATIONS).toBe(100_000);
    await expect(hashPassword("x", 100_001)).rejects.toThrow(/100000/);
    await expect(hashPassword("x", 600_000)).rejects.toThrow(/rejected by Workers/);
  });

  it("refuses to verify against a stored hash above the cap", async () => {
    const stored = await hashPassword("pw", 1_000);
    const tooMany = stored.replace(/^pbkdf2-sha256\$1000\$/, "pbkdf2-sha256$600000$");
    await expect(verifyPassword("pw", tooMany)).rejects.toThrow(/rejected by Workers/);
  });
});

describe("TOTP (RFC 6238, HMAC-SHA1)", () => {
  const secret = new TextEncoder().encode("12345678901234567890");

  it("matches the RFC 6238 SHA1 test vectors (8 digits, and their 6-digit truncation)", async () => {
    const vectors: Array<[number, string]> = [
      [59, "94287082"],
      [1111111109, "07081804"],
      [1111111111, "14050471"],
      [1234567890, "89005924"],
      [2000000000, "69279037"],
      [20000000000, "65353130"],
    ];
    for (const [t, code] of vectors) {
      expect(await totp(secret, t, 8), `T=${t}`).toBe(code);
      expect(await totp(secret, t), `T=${t}`).toBe(code.slice(-6));
    }
    expect(await totp(secret, 59)).toBe("287082");
  });

  it("matches RFC 4226 HOTP values", async () => {
    expect(await hotp(secret, 0)).toBe("755224");
    expect(await hotp(secret, 9)).toBe("520489");
  });

  it("accepts one step either side of now, and nothing further", async () => {
    const b32 = base32Encode(secret);
    expect(b32).toBe("GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ");
    const now = 1_700_000_000;
    const step = Math.floor(now / 30);
    expect(await matchTotp(b32, await totp(secret, now), now)).toBe(step);
    expect(await matchTotp(b32, await totp(secret, now - 30), now)).toBe(step - 1);
    expect(await matchTotp(b32, await totp(secret, now + 30), now)).toBe(step + 1);
    expect(await matchTotp(b32, await totp(secret, now + 60), now)).toBeNull();
    expect(await matchTotp(b32, await totp(secret, now - 60), now)).toBeNull();
    expect(await matchTotp(b32, "12345", now)).toBeNull();
    expect(await matchTotp(b32, "abcdef", now)).toBeNull();
  });

  it("round-trips base32 and builds an otpauth URI", () => {
    const bytes = crypto.getRandomValues(new Uint8Array(20));
    expect(base32Decode(base32Encode(bytes))).toEqual(bytes);
    const uri = otpauthUri("GEZDGNBV", "admin");
    // Google Authenticator's Key Uri Format: "issuer:account" label (the colon may be literal or %3A).
    expect(uri).toMatch(/^otpauth:\/\/totp\/Docklight:admin\?/);
    expect(uri).toContain("secret=GEZDGNBV");
    expect(uri).toContain("period=30");
    expect(uri).toContain("digits=6");
  });

  it("makes ten distinct recovery codes", () => {
    const codes = newRecoveryCodes();
    expect(codes).toHaveLength(10);
    expect(new Set(codes).size).toBe(10);
    for (const c of codes) expect(c).toMatch(/^[a-z2-7]{5}-[a-z2-7]{5}$/);
  });
});
