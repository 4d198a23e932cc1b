import { z } from "zod";
import type { KeyRing } from "../auth/keys.js";
import { seal, unseal } from "../auth/secret-box.js";
import { CHANNEL_KINDS, type Channel, type ChannelKind, type ChannelSecret } from "./model.js";

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

const httpUrl = z
  .string({ error: "Give the channel's URL" })
  .trim()
  .max(1000, "A URL is at most 1000 characters")
  .pipe(z.url({ protocol: /^https?$/, error: "Give an http:// or https:// URL" }));
const optionalText = (max: number) =>
  z
    .string()
    .trim()
    .max(max)
    .transform((s) => (s === "" ? null : s))
    .optional()
    .transform((s) => s ?? null);
const optionalEmail = z
  .string()
  .trim()
  .max(254)
  .transform((s) => (s === "" ? null : s))
  .pipe(z.email("Give an e-mail address").nullable())
  .optional()
  .transform((s) => s ?? null);

/** The settings page's form for a new channel; e-mail needs a key, a from and a to. */
export const channelForm = z
  .object({
    kind: z.enum(CHANNEL_KINDS, "Choose a kind of channel"),
    name: z.string().trim().min(1, "Give the channel a name").max(60, "A name is at most 60 characters"),
    url: httpUrl,
    token: optionalText(500),
    from: optionalEmail,
    to: optionalEmail,
  })
  .refine((f) => f.kind !== "email" || (f.token && f.from && f.to), { message: "E-mail needs the mail API's key, a from and a to address", path: ["token"] });
export type ChannelForm = z.output<typeof channelForm>;

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
