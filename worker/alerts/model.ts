import type { AlertKind } from "./conditions.js";

/** The shapes alerts and channels share (no storage here: pure code imports them). */

/** An alert as the dashboard lists it: open (since when), acknowledged (by whom, when), or resolved (when). */
export interface Alert {
  id: number;
  key: string;
  kind: AlertKind;
  subject: string;
  message: string;
  openedAt: number;
  ackedAt: number | null;
  ackedBy: string | null;
  resolvedAt: number | null;
}

/** A notice owed to the channels: an alert that opened, or one that resolved after its opening was sent. */
export interface Notice {
  event: "opened" | "resolved";
  alert: Alert;
}

export const CHANNEL_KINDS = ["webhook", "slack", "discord", "ntfy", "email"] as const;
export type ChannelKind = (typeof CHANNEL_KINDS)[number];

/** What is sealed: the URL and, by kind, a key (ntfy access token, the mail API's key, a webhook's bearer token) and the e-mail's from and to. */
export interface ChannelSecret {
  url: string;
  token: string | null;
  from: string | null;
  to: string | null;
}

/** A channel ready to send to (its secret opened). */
export interface Channel {
  id: string;
  kind: ChannelKind;
  name: string;
  secret: ChannelSecret;
}
