import { readConfig, type Env } from "../env.js";
import type { Meta } from "../guard/meta.js";

/**
 * Deployments from before the host registry set OP_SIGNING_KEY and RELAY_TOKEN_HASHES. Takes them
 * into the registry's SQLite when they differ from what was last imported: the key replaces the
 * stored one; each named host is added (named after its id) or gets that token hash. Hosts added
 * or removed since are left alone unless the secret itself changes them.
 */
export function importLegacy(env: Env, sql: SqlStorage, meta: Meta): void {
  const cfg = readConfig(env);
  if (!cfg.ok) return;
  const { opSigningKey, relayTokenHashes } = cfg.config.legacy;
  if (opSigningKey && meta.get("legacy_key_x") !== opSigningKey.x) {
    meta.set("op_key", JSON.stringify(opSigningKey));
    meta.set("legacy_key_x", opSigningKey.x);
  }
  if (relayTokenHashes) {
    const before = JSON.parse(meta.get("legacy_hashes") ?? "{}") as Record<string, string>;
    for (const [id, hash] of Object.entries(relayTokenHashes)) {
      if (before[id] === hash) continue;
      sql.exec(
        "INSERT INTO hosts (id, name, token_hash, created_at) VALUES (?, ?, ?, ?) ON CONFLICT(id) DO UPDATE SET token_hash = excluded.token_hash",
        id,
        id,
        hash,
        Date.now(),
      );
    }
    meta.set("legacy_hashes", JSON.stringify(relayTokenHashes));
  }
}
