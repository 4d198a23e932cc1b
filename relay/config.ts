import { accessSync, constants } from "node:fs";
import { delimiter, join, resolve } from "node:path";
import { parseArgs } from "node:util";
import { z } from "zod";
import { hostId } from "../protocol/names.js";
import { opNames } from "../protocol/ops.js";

const SIMULATOR = resolve(import.meta.dirname, "../test/simulator/dokku");

const configSchema = z.object({
  url: z.url({ protocol: /^(https?|wss?)$/, error: "DOCKLIGHT_URL must be an http(s) or ws(s) URL of the edge" }),
  host: hostId,
  token: z.string().min(32, "DOCKLIGHT_RELAY_TOKEN is missing or too short"),
  opPublicKey: z.string().regex(/^[A-Za-z0-9_-]{43}$/, "DOCKLIGHT_OP_PUBLIC_KEY must be the edge's Ed25519 public key (43 base64url characters)"),
  dokkuBin: z.string().min(1).nullable(),
  db: z.string().min(1),
  readOnly: z.boolean(),
  deny: z.array(z.enum(opNames as [string, ...string[]])),
  historyMaxRows: z.coerce.number().int().min(100),
  historyMaxDays: z.coerce.number().int().min(1),
  heartbeatMs: z.coerce.number().int().min(500).max(60_000),
});
export type RelayConfig = z.infer<typeof configSchema> & { dokku: string; simulated: boolean; edgeUrl: string };

function onPath(name: string): string | null {
  for (const dir of (process.env.PATH ?? "").split(delimiter)) {
    if (!dir) continue;
    const candidate = join(dir, name);
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not here
    }
  }
  return null;
}

/** The relay's configuration from flags (first) and environment variables, checked with zod. */
export function loadConfig(argv = process.argv.slice(2), env = process.env): RelayConfig {
  const { values } = parseArgs({
    args: argv,
    options: {
      url: { type: "string" },
      host: { type: "string" },
      "dokku-bin": { type: "string" },
      db: { type: "string" },
      "read-only": { type: "boolean" },
      deny: { type: "string" },
    },
    strict: true,
  });
  const parsed = configSchema.safeParse({
    url: values.url ?? env.DOCKLIGHT_URL,
    host: values.host ?? env.DOCKLIGHT_HOST_ID,
    token: env.DOCKLIGHT_RELAY_TOKEN ?? "",
    opPublicKey: env.DOCKLIGHT_OP_PUBLIC_KEY ?? "",
    dokkuBin: values["dokku-bin"] ?? env.DOKKU_BIN ?? null,
    db: values.db ?? env.DOCKLIGHT_DB ?? "./data/relay.db",
    readOnly: values["read-only"] ?? ["1", "true", "yes"].includes((env.DOCKLIGHT_READ_ONLY ?? "").toLowerCase()),
    deny: (values.deny ?? env.DOCKLIGHT_DENY ?? "").split(",").map((s) => s.trim()).filter(Boolean),
    historyMaxRows: env.DOCKLIGHT_HISTORY_MAX_ROWS ?? 100_000,
    historyMaxDays: env.DOCKLIGHT_HISTORY_MAX_DAYS ?? 90,
    heartbeatMs: env.DOCKLIGHT_HEARTBEAT_MS ?? 15_000,
  });
  if (!parsed.success) throw new Error(`relay configuration is invalid:\n${z.prettifyError(parsed.error)}`);
  const c = parsed.data;
  const real = c.dokkuBin ?? onPath("dokku");
  const edge = new URL(c.url);
  edge.protocol = edge.protocol === "https:" || edge.protocol === "wss:" ? "wss:" : "ws:";
  edge.pathname = "/relay/connect";
  edge.search = `?host=${encodeURIComponent(c.host)}`;
  return { ...c, dokku: real ?? SIMULATOR, simulated: real === null || real === SIMULATOR, edgeUrl: edge.toString() };
}
