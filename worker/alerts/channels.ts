import type { KeyRing } from "../auth/keys.js";
import { seal, unseal } from "../auth/secret-box.js";
import type { ChannelForm } from "./channel-form.js";
import type { Channel, ChannelKind, ChannelSecret } from "./model.js";

export { channelForm, type ChannelForm } from "./channel-form.js";
export { CHANNEL_KINDS, type Channel, type ChannelKind, type ChannelSecret } from "./model.js";

/**
 * Where alerts go: the channels the owner sets (Alerts settings). A channel's URL and key are
 * secrets (a Slack or Discord webhook URL is the credential itself), kept sealed (AES-GCM under a
 * key derived from SESSION_SECRET) in the Team's SQLite; lists show a channel's kind, name and
 * the host part of its URL only.
 */

/** A channel as stored and listed (never its secret). */
export interface ChannelRecord {
  id: string;
  kind: ChannelKind;
  name: string;
  /** The host part of its URL, to tell channels apart. */
  where: string;
  createdAt: number;
  sealed: string;
}

const label = (id: string) => `alert-channel ${id}`;

/** A new channel's record, its secret sealed under `ring`. */
export async function sealChannel(form: ChannelForm, ring: KeyRing, now: number): Promise<ChannelRecord> {
  const id = crypto.randomUUID();
  const secret: ChannelSecret = { url: form.url, token: form.token, from: form.from, to: form.to };
  return {
    id,
    kind: form.kind,
    name: form.name,
    where: new URL(form.url).host,
    createdAt: now,
    sealed: await seal(JSON.stringify(secret), ring.current, label(id)),
  };
}

/** The channel with its secret opened, or null when it cannot be (SESSION_SECRET changed: set the channel again). */
export async function openChannel(r: ChannelRecord, ring: KeyRing): Promise<Channel | null> {
  const opened = await unseal(r.sealed, ring, label(r.id));
  return opened ? { id: r.id, kind: r.kind, name: r.name, secret: JSON.parse(opened.plain) as ChannelSecret } : null;
}

/** The channels table in the Team's SQLite. */
export class ChannelStore {
  constructor(private readonly sql: SqlStorage) {
    sql.exec(`CREATE TABLE IF NOT EXISTS alert_channels (
      id TEXT PRIMARY KEY, kind TEXT NOT NULL, name TEXT NOT NULL, "where" TEXT NOT NULL, created_at INTEGER NOT NULL, sealed TEXT NOT NULL
    )`);
  }

  list(): ChannelRecord[] {
    return this.sql
      .exec<{ id: string; kind: string; name: string; where: string; created_at: number; sealed: string }>(
        "SELECT * FROM alert_channels ORDER BY created_at, id",
      )
      .toArray()
      .map((r) => ({ id: r.id, kind: r.kind as ChannelKind, name: r.name, where: r.where, createdAt: r.created_at, sealed: r.sealed }));
  }

  add(r: ChannelRecord): void {
    this.sql.exec(
      'INSERT INTO alert_channels (id, kind, name, "where", created_at, sealed) VALUES (?, ?, ?, ?, ?, ?)',
      r.id,
      r.kind,
      r.name,
      r.where,
      r.createdAt,
      r.sealed,
    );
  }

  remove(id: string): boolean {
    return this.sql.exec("DELETE FROM alert_channels WHERE id = ?", id).rowsWritten > 0;
  }
}
