import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { resolve } from "node:path";
import { parseArgs } from "node:util";
import { z } from "zod";
import { hostId } from "../protocol/names.js";
import { newRelayToken, newSigningKey } from "./credentials.js";
import { ROOT } from "./stack.js";

/**
 * Host management for a deployed edge. Keeps, in .docklight/edge.json, only what is not secret:
 * the public half of the op-signing key and the SHA-256 of each host's relay token. Secrets are
 * printed once, as the commands that install them, and never written to disk here.
 *
 *   npm run host:add -- NAME [--url https://your-edge]   new host, or rotate its token
 *   npm run host:remove -- NAME
 *   npm run host:rotate-key                              new op-signing key for the edge
 *   npm run host:list
 */
const registryPath = resolve(process.env.DOCKLIGHT_REGISTRY ?? resolve(ROOT, ".docklight/edge.json"));
const registrySchema = z.object({
  url: z.string().optional(),
  publicKey: z.string().length(43).optional(),
  hosts: z.record(hostId, z.string().regex(/^[0-9a-f]{64}$/)),
});
type Registry = z.infer<typeof registrySchema>;

function load(): Registry {
  if (!existsSync(registryPath)) return { hosts: {} };
  return registrySchema.parse(JSON.parse(readFileSync(registryPath, "utf8")));
}
function save(reg: Registry): void {
  mkdirSync(resolve(registryPath, ".."), { recursive: true });
  writeFileSync(registryPath, `${JSON.stringify(reg, null, 2)}\n`);
}

const secretCmd = (name: string, value: string) => `printf '%s' '${value}' | npx wrangler secret put ${name}`;

function printHashes(reg: Registry): void {
  console.log(`\n# Tell the edge which relay tokens to accept (all hosts at once):\n${secretCmd("RELAY_TOKEN_HASHES", JSON.stringify(reg.hosts))}`);
}

async function rotateKey(reg: Registry): Promise<void> {
  const key = await newSigningKey();
  reg.publicKey = key.publicX;
  save(reg);
  console.log(`# New op-signing key. Install the private half on the edge (shown once, not stored):\n${secretCmd("OP_SIGNING_KEY", key.privateJwk)}`);
  const hosts = Object.keys(reg.hosts);
  if (hosts.length > 0) {
    console.log(`\n# Then, on every host (${hosts.join(", ")}), set in /etc/docklight/relay.env and restart the relay:`);
    console.log(`DOCKLIGHT_OP_PUBLIC_KEY=${key.publicX}\nsudo systemctl restart docklight-relay`);
  }
}

async function main(): Promise<void> {
  const { positionals, values } = parseArgs({ allowPositionals: true, options: { url: { type: "string" } } });
  const [command, name] = positionals;
  const reg = load();
  if (values.url) reg.url = z.url().parse(values.url);

  switch (command) {
    case "add": {
      const host = hostId.safeParse(name);
      if (!host.success) throw new Error(`usage: npm run host:add -- NAME   (${host.error.issues[0]?.message})`);
      if (!reg.publicKey) await rotateKey(reg);
      const rotating = Object.hasOwn(reg.hosts, host.data);
      const { token, sha256 } = newRelayToken();
      reg.hosts[host.data] = sha256;
      save(reg);
      printHashes(reg);
      console.log(`\n# ${rotating ? "Rotated the token of" : "Added"} host ${host.data}. On that Dokku host, /etc/docklight/relay.env:`);
      console.log(
        [
          `DOCKLIGHT_URL=${reg.url ?? "https://YOUR-EDGE.workers.dev"}`,
          `DOCKLIGHT_HOST_ID=${host.data}`,
          `DOCKLIGHT_RELAY_TOKEN=${token}`,
          `DOCKLIGHT_OP_PUBLIC_KEY=${reg.publicKey}`,
          "DOCKLIGHT_DB=/var/lib/docklight/relay.db",
        ].join("\n"),
      );
      console.log("\n# The token is shown once and not stored here. Then: sudo systemctl restart docklight-relay");
      return;
    }
    case "remove": {
      if (!name || !Object.hasOwn(reg.hosts, name)) throw new Error(`no host named ${name ?? "(none)"}`);
      delete reg.hosts[name];
      save(reg);
      printHashes(reg);
      return;
    }
    case "rotate-key":
      return rotateKey(reg);
    case "list":
      console.log(Object.keys(reg.hosts).join("\n") || "(no hosts yet: npm run host:add -- NAME)");
      return;
    default:
      throw new Error("usage: host.ts add NAME [--url URL] | remove NAME | rotate-key | list");
  }
}

main().catch((e: Error) => {
  console.error(e.message);
  process.exit(2);
});
