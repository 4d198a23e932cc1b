import { DurableObject } from "cloudflare:workers";
import { timingSafeEqual } from "hono/utils/buffer";
import { b64url } from "../auth/crypto.js";
import { sha256Hex } from "../auth/crypto.js";
import { type Env, type OpSigningJwk } from "../env.js";
import { Meta } from "../guard/meta.js";
import { hubFor } from "../hub/client.js";
import { EnrollCodes } from "./code-store.js";
import { newEnrollCode, refusalMessage, type Refusal } from "./codes.js";
import { importLegacy } from "./legacy.js";
import { hostIdFor, nameKey } from "./names.js";
import { newOpSigningKey, signKeyStatement } from "./op-key.js";
import { errText, log } from "../log.js";

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

/**
 * A host's install command's secret part, returned once (on add, token rotation or a new command)
 * and never again: a one-time enrollment code, not the relay token (see ./codes.ts).
 */
export interface Enrollment {
  host: HostRecord;
  code: string;
  /** When the code stops working (ms since the epoch). */
  expiresAt: number;
  /** The op-signing public key (JWK `x`) the relay pins. */
  publicKey: string;
}

/** What an exchanged code gives the installer: the host's new relay token, shown this once. */
export interface TokenGrant {
  host: string;
  token: string;
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
export const REVOKED_REENROLLED = "this host's relay was installed again with a new install command: its old token no longer works";

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
/** The hash of a token nobody was given: a host's until its code is exchanged, or once its token is rotated. */
const unusableTokenHash = () => sha256Hex(newToken());

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
  /** The clock codes expire by (ms since the epoch); tests set another through runInDurableObject. */
  clock: () => number = () => Date.now();
  private readonly codes: EnrollCodes;

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
    this.codes = new EnrollCodes(this.sql, () => this.clock());
    importLegacy(this.env, this.sql, this.meta);
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
    const hash = await unusableTokenHash();
    const code = newEnrollCode();
    const codeHash = await sha256Hex(code);
    // No await between choosing the id and inserting it (another add may have taken the name meanwhile).
    if (this.namedLike(name)) return { taken: this.namedLike(name)! };
    const id = hostIdFor(name, (candidate) => this.get(candidate) !== null);
    this.sql.exec("INSERT INTO hosts (id, name, token_hash, created_at) VALUES (?, ?, ?, ?)", id, name, hash, Date.now());
    return { host: this.get(id)!, code, expiresAt: this.codes.issue(id, codeHash), publicKey };
  }

  /**
   * A new install command for the host: a fresh code replaces its previous one. Nothing else
   * changes until the code is exchanged (then the running relay's token stops working). Null when
   * there is no such host.
   */
  async newCode(id: string): Promise<Enrollment | null> {
    const publicKey = (await this.opSigningKey()).x;
    const code = newEnrollCode();
    const codeHash = await sha256Hex(code);
    const host = this.get(id);
    if (!host) return null;
    return { host, code, expiresAt: this.codes.issue(id, codeHash), publicKey };
  }

  /**
   * The installer's exchange (`POST /relay/enroll`): `code` for the host's new relay token, once.
   * The token replaces the host's previous one, whose relay is disconnected and told why. A refusal
   * carries the message the installer prints (each says to make a new command on the Hosts page).
   */
  async exchange(ip: string, id: string | null, code: string): Promise<TokenGrant | { refused: Refusal; message: string }> {
    const [codeHash, publicKey] = await Promise.all([sha256Hex(code), this.opPublicKey()]);
    const token = newToken();
    const tokenHash = await sha256Hex(token);
    // No await from here to the update: the code is checked and consumed in one step.
    const refused = this.codes.redeem(ip, id, codeHash);
    if (refused || id === null) {
      const why = refused ?? { reason: "unknown" as const };
      if (id !== null && why.reason !== "limited")
        this.sql.exec("UPDATE hosts SET last_refused_at = ?, last_refused_reason = ? WHERE id = ?", Date.now(), `enrollment code ${why.reason}`, id);
      return { refused: why, message: refusalMessage(why, id ?? "?") };
    }
    this.sql.exec("UPDATE hosts SET token_hash = ? WHERE id = ?", tokenHash, id);
    await this.revokeRelay(id, REVOKED_REENROLLED, false);
    return { host: id, token, publicKey };
  }

  /** Renames a host; null when there is no such host, `taken` when another host has that name. */
  rename(id: string, name: string): HostRecord | null | { taken: HostRecord } {
    const taken = this.namedLike(name, id);
    if (taken) return { taken };
    this.sql.exec("UPDATE hosts SET name = ? WHERE id = ?", name, id);
    return this.get(id);
  }

  /**
   * Rotates the host's token: the current one stops working now (its relay is disconnected and told
   * why) and the new one is had by exchanging the returned code. Null when there is no such host.
   */
  async rotateToken(id: string): Promise<Enrollment | null> {
    if (!this.get(id)) return null;
    const hash = await unusableTokenHash();
    const enrollment = await this.newCode(id);
    if (!enrollment) return null;
    // No await between the check and the update (the host may have gone meanwhile).
    if (!this.get(id)) return null;
    this.sql.exec("UPDATE hosts SET token_hash = ? WHERE id = ?", hash, id);
    await this.revokeRelay(id, REVOKED_ROTATED, false);
    return enrollment;
  }

  /** Removes a host: its relay is disconnected and told why, and its hub forgets it. False when there was none. */
  async remove(id: string): Promise<boolean> {
    if (!this.get(id)) return false;
    this.sql.exec("DELETE FROM hosts WHERE id = ?", id);
    this.codes.forget(id);
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
            log.error("could not hand the new op-signing key to a hub", { host: h.id, err: errText(e) });
            return false;
          }),
      ),
    );
    log.info("op-signing key rotated", { publicKey: next.x, told: told.filter(Boolean).length });
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
      log.error("could not reach the hub to revoke its relay", { host: id, err: errText(e) });
    }
  }
}
