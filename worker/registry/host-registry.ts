import { DurableObject } from "cloudflare:workers";
import { timingSafeEqual } from "hono/utils/buffer";
import { b64url } from "../auth/password.js";
import { sha256Hex } from "../auth/totp.js";
import { readConfig, type Env, type OpSigningJwk } from "../env.js";
import { Meta } from "../guard/meta.js";
import { hubFor } from "../hub/client.js";
import { hostIdFor, nameKey } from "./names.js";
import { newOpSigningKey, signKeyStatement } from "./op-key.js";

/** One host the edge serves. Its relay token is kept only as a SHA-256, which never leaves this object. */
export interface HostRecord {
  /** The host id (URLs, the relay's DOCKLIGHT_HOST_ID); fixed when the host is added. */
  id: string;
  /** Display name; can be changed. */
  name: string;
  /** ms since the epoch. */
  createdAt: number;
  /** When the edge last refused a relay for this host (ms since the epoch), and why ("bad token"). */
  lastRefusedAt: number | null;
  lastRefusedReason: string | null;
}

/** A host's relay credentials, returned once (on add and on token rotation) and never again. */
export interface Enrollment {
  host: HostRecord;
  token: string;
  /** The op-signing public key (JWK `x`) the relay pins. */
  publicKey: string;
}

/** Which legacy secrets are still set (they were imported and can be deleted). */
export interface LegacySecrets {
  opSigningKey: boolean;
  relayTokenHashes: boolean;
}

/** Close reasons the revoked relay logs (each ≤ 123 bytes, a WebSocket close reason). */
export const REVOKED_ROTATED = "this host's relay token was rotated on the edge: run the new install command from the Hosts page";
export const REVOKED_REMOVED = "this host was removed from the edge";

interface HostRow extends Record<string, SqlStorageValue> {
  id: string;
  name: string;
  created_at: number;
  last_refused_at: number | null;
  last_refused_reason: string | null;
}

const toRecord = (r: HostRow): HostRecord => ({
  id: r.id,
  name: r.name,
  createdAt: r.created_at,
  lastRefusedAt: r.last_refused_at,
  lastRefusedReason: r.last_refused_reason,
});

/** 32 random bytes, base64url: a relay token. */
const newToken = () => b64url.encode(crypto.getRandomValues(new Uint8Array(32)));

/**
 * The one global registry of hosts (`getByName("global")`), SQLite-backed: each host's id, name,
 * token hash and last refusal, and the edge's Ed25519 op-signing key, made here on first use. The
 * private key leaves this object only for the HostHubs, which sign ops with it.
 *
 * Deployments from before the registry set OP_SIGNING_KEY and RELAY_TOKEN_HASHES: when this object
 * starts (each deploy restarts it) it imports them if they changed since the last import, so those
 * deployments keep working unchanged until the secrets are deleted.
 */
export class HostRegistry extends DurableObject<Env> {
  private readonly sql: SqlStorage;
  private readonly meta: Meta;
  private keyMaking: Promise<OpSigningJwk> | null = null;

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    this.sql = ctx.storage.sql;
    this.meta = new Meta(this.sql);
    this.sql.exec(`
      CREATE TABLE IF NOT EXISTS hosts (
        id TEXT PRIMARY KEY, name TEXT NOT NULL, token_hash TEXT NOT NULL, created_at INTEGER NOT NULL,
        last_refused_at INTEGER, last_refused_reason TEXT
      );
    `);
    this.importLegacy();
  }

  /** Every host, in the order they were added. */
  list(): HostRecord[] {
    return this.sql.exec<HostRow>("SELECT * FROM hosts ORDER BY rowid").toArray().map(toRecord);
  }

  get(id: string): HostRecord | null {
    const row = this.sql.exec<HostRow>("SELECT * FROM hosts WHERE id = ?", id).toArray()[0];
    return row ? toRecord(row) : null;
  }

  /**
   * The host already named `name` (as `nameKey` compares names: case, compatibility forms and invisible characters aside), other than `except`: two hosts of one name
   * could not be told apart on any page, and a form posted twice (a reload) would add the host twice.
   */
  namedLike(name: string, except?: string): HostRecord | null {
    const wanted = nameKey(name);
    return this.list().find((h) => h.id !== except && nameKey(h.name) === wanted) ?? null;
  }

  /** A new host named `name` (already validated as a `hostName`), its id made from the name; `taken` when a host has that name. */
  async add(name: string): Promise<Enrollment | { taken: HostRecord }> {
    const taken = this.namedLike(name);
    if (taken) return { taken };
    const publicKey = (await this.opSigningKey()).x;
    const token = newToken();
    const hash = await sha256Hex(token);
    // No await between choosing the id and inserting it.
    const id = hostIdFor(name, (candidate) => this.get(candidate) !== null);
    this.sql.exec("INSERT INTO hosts (id, name, token_hash, created_at) VALUES (?, ?, ?, ?)", id, name, hash, Date.now());
    return { host: this.get(id)!, token, publicKey };
  }

  /** Renames a host; null when there is no such host, `taken` when another host has that name. */
  rename(id: string, name: string): HostRecord | null | { taken: HostRecord } {
    const taken = this.namedLike(name, id);
    if (taken) return { taken };
    this.sql.exec("UPDATE hosts SET name = ? WHERE id = ?", name, id);
    return this.get(id);
  }

  /** A new token for the host; its connected relay is disconnected and told why. Null when there is no such host. */
  async rotateToken(id: string): Promise<Enrollment | null> {
    if (!this.get(id)) return null;
    const publicKey = (await this.opSigningKey()).x;
    const token = newToken();
    const hash = await sha256Hex(token);
    // No await between the update and reading the row back (the host may have gone meanwhile).
    this.sql.exec("UPDATE hosts SET token_hash = ? WHERE id = ?", hash, id);
    const host = this.get(id);
    if (!host) return null;
    await this.revokeRelay(id, REVOKED_ROTATED, false);
    return { host, token, publicKey };
  }

  /** Removes a host: its relay is disconnected and told why, and its hub forgets it. False when there was none. */
  async remove(id: string): Promise<boolean> {
    if (!this.get(id)) return false;
    this.sql.exec("DELETE FROM hosts WHERE id = ?", id);
    await this.revokeRelay(id, REVOKED_REMOVED, true);
    return true;
  }

  /**
   * Is `tokenHash` (the SHA-256 of a presented token) this host's? Compared in constant time, also
   * for an unknown host. A refusal for a known host is recorded with its time, for the Hosts page,
   * unless `record` is false (a token check by doctor is not a refused relay).
   */
  async checkToken(id: string | null, tokenHash: string, record = true): Promise<boolean> {
    const row = id === null ? undefined : this.sql.exec<{ token_hash: string }>("SELECT token_hash FROM hosts WHERE id = ?", id).toArray()[0];
    const match = await timingSafeEqual(tokenHash, row?.token_hash ?? "0".repeat(64));
    if (row && !match && record) this.sql.exec("UPDATE hosts SET last_refused_at = ?, last_refused_reason = ? WHERE id = ?", Date.now(), "bad token", id);
    return Boolean(row) && match;
  }

  /** The op-signing key (private JWK), made on first use. Only HostHubs ask for it, to sign ops. */
  async opSigningKey(): Promise<OpSigningJwk> {
    const stored = this.meta.get("op_key");
    if (stored) return JSON.parse(stored) as OpSigningJwk;
    this.keyMaking ??= newOpSigningKey().then((jwk) => {
      // Another caller may have stored one meanwhile (legacy import runs before any call).
      const now = this.meta.get("op_key");
      if (now) return JSON.parse(now) as OpSigningJwk;
      this.meta.set("op_key", JSON.stringify(jwk));
      return jwk;
    });
    try {
      return await this.keyMaking;
    } finally {
      this.keyMaking = null;
    }
  }

  /** The op-signing public key (JWK `x`), as relays pin it. */
  async opPublicKey(): Promise<string> {
    return (await this.opSigningKey()).x;
  }

  /**
   * Replaces the op-signing key. Every host's hub is handed the new key and sends its connected
   * relay a key frame — the new public key signed by the old key — which the relay verifies and
   * pins. Relays offline now keep the old key: they re-join with a new command (rotate their
   * token). Returns the new public key and how many connected relays were sent it.
   */
  async rotateOpSigningKey(): Promise<{ publicKey: string; told: number }> {
    const current = await this.opSigningKey();
    const next = await newOpSigningKey();
    const frame = JSON.stringify({ type: "key", jws: await signKeyStatement(current, next.x) });
    this.meta.set("op_key", JSON.stringify(next));
    const told = await Promise.all(
      this.list().map((h) =>
        hubFor(this.env, h.id)
          .opKeyRotated(frame, next)
          .catch((e: unknown) => {
            console.error(JSON.stringify({ msg: "could not hand the new op-signing key to a hub", host: h.id, err: String(e) }));
            return false;
          }),
      ),
    );
    console.log(JSON.stringify({ msg: "op-signing key rotated", publicKey: next.x, told: told.filter(Boolean).length }));
    return { publicKey: next.x, told: told.filter(Boolean).length };
  }

  /** The legacy secrets still set on the edge (imported; the Hosts page says they can go). */
  legacySecrets(): LegacySecrets {
    return { opSigningKey: Boolean(this.env.OP_SIGNING_KEY), relayTokenHashes: Boolean(this.env.RELAY_TOKEN_HASHES) };
  }

  private async revokeRelay(id: string, reason: string, forget: boolean): Promise<void> {
    try {
      await hubFor(this.env, id).revoke(reason, forget);
    } catch (e) {
      console.error(JSON.stringify({ msg: "could not reach the hub to revoke its relay", host: id, err: String(e) }));
    }
  }

  /**
   * Takes OP_SIGNING_KEY and RELAY_TOKEN_HASHES when they differ from what was last imported: the
   * key replaces the stored one; each named host is added (named after its id) or gets that token
   * hash. Hosts added or removed here since are left alone unless the secret itself changes them.
   */
  private importLegacy(): void {
    const cfg = readConfig(this.env);
    if (!cfg.ok) return;
    const { opSigningKey, relayTokenHashes } = cfg.config.legacy;
    if (opSigningKey && this.meta.get("legacy_key_x") !== opSigningKey.x) {
      this.meta.set("op_key", JSON.stringify(opSigningKey));
      this.meta.set("legacy_key_x", opSigningKey.x);
    }
    if (relayTokenHashes) {
      const before = JSON.parse(this.meta.get("legacy_hashes") ?? "{}") as Record<string, string>;
      for (const [id, hash] of Object.entries(relayTokenHashes)) {
        if (before[id] === hash) continue;
        this.sql.exec(
          "INSERT INTO hosts (id, name, token_hash, created_at) VALUES (?, ?, ?, ?) ON CONFLICT(id) DO UPDATE SET token_hash = excluded.token_hash",
          id,
          id,
          hash,
          Date.now(),
        );
      }
      this.meta.set("legacy_hashes", JSON.stringify(relayTokenHashes));
    }
  }
}
