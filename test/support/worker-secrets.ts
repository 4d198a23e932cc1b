import { newLocalVars } from "../../scripts/credentials.js";

/** Known credentials for tests that run the real edge; the password is fixed so tests can log in. */
export const TEST_PASSWORD = "correct horse battery staple";

export async function testVars(hosts: string[] = ["demo"]) {
  const base = await newLocalVars(hosts[0], TEST_PASSWORD);
  const extra = await Promise.all(hosts.slice(1).map(async (h) => ({ host: h, vars: await newLocalVars(h, TEST_PASSWORD) })));
  // One edge, one signing key, one token per host.
  const hashes: Record<string, string> = JSON.parse(base.RELAY_TOKEN_HASHES);
  const tokens: Record<string, string> = { [hosts[0]!]: base.DOCKLIGHT_RELAY_TOKEN };
  for (const { host, vars } of extra) {
    Object.assign(hashes, JSON.parse(vars.RELAY_TOKEN_HASHES));
    tokens[host] = vars.DOCKLIGHT_RELAY_TOKEN;
  }
  return { ...base, RELAY_TOKEN_HASHES: JSON.stringify(hashes), tokens };
}
