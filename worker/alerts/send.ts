import type { Alert, Channel } from "./model.js";

/** One notice as every channel words it. */
export interface NoticeText {
  event: "opened" | "resolved" | "test";
  /** The host's id and the name the operator gave it. */
  host: string;
  hostName: string;
  alert: Alert | null;
  /** One line: "[prod] web was running and is now stopped". */
  title: string;
  /** The whole notice, a few lines of plain text. */
  text: string;
}

/** How long one attempt may take (ms), how many attempts in all, and the wait before the second (doubling). */
export const SEND_LIMITS = { timeoutMs: 5_000, attempts: 3, backoffMs: 500 };

/** How a notice was sent: ok, or why not after `attempts` tries. Never carries the channel's URL or key. */
export type Sent = { ok: true; attempts: number } | { ok: false; attempts: number; error: string };

/** A notice in words. */
export function noticeText(event: NoticeText["event"], host: string, hostName: string, alert: Alert | null): NoticeText {
  if (!alert)
    return {
      event,
      host,
      hostName,
      alert,
      title: `[${hostName}] Docklight test notice`,
      text: `A test notice from Docklight for ${hostName}: this channel works.`,
    };
  const head = event === "resolved" ? `Resolved: ${alert.message}` : alert.message;
  const when =
    event === "resolved" && alert.resolvedAt !== null
      ? `resolved ${new Date(alert.resolvedAt).toISOString()}`
      : `since ${new Date(alert.openedAt).toISOString()}`;
  return {
    event,
    host,
    hostName,
    alert,
    title: `[${hostName}] ${head}`,
    text: `${head}\nHost: ${hostName} (${host}); alert: ${alert.kind} ${alert.subject}, ${when}.`,
  };
}

/** The HTTP request that delivers `n` to `channel`, as each kind takes it. */
export function requestFor(channel: Channel, n: NoticeText): { url: string; init: RequestInit } {
  const { url, token, from, to } = channel.secret;
  const json = (body: unknown, extra: Record<string, string> = {}) => ({
    url,
    init: { method: "POST", headers: { "content-type": "application/json", ...extra }, body: JSON.stringify(body) },
  });
  const bearer: Record<string, string> = token ? { authorization: `Bearer ${token}` } : {};
  switch (channel.kind) {
    case "slack":
      return json({ text: n.title === n.text ? n.text : `*${n.title}*\n${n.text}` });
    case "discord":
      return json({ content: `**${n.title}**\n${n.text}`.slice(0, 2000) });
    case "ntfy":
      // ntfy's publish: the body is the message, headers carry the title, priority and tags (docs.ntfy.sh/publish).
      return {
        url,
        init: {
          method: "POST",
          headers: {
            "content-type": "text/plain; charset=utf-8",
            title: n.title.replace(/[^\x20-\x7e]/g, "?").slice(0, 200),
            priority: n.event === "opened" ? "high" : "default",
            tags: n.event === "opened" ? "warning" : n.event === "resolved" ? "white_check_mark" : "bell",
            ...bearer,
          },
          body: n.text,
        },
      };
    case "email":
      // An HTTP mail API taking JSON (Resend's shape: from, to, subject, text; the key as a bearer token).
      return json({ from, to: [to], subject: n.title, text: n.text }, bearer);
    case "webhook": {
      const alert = n.alert && {
        id: n.alert.id,
        key: n.alert.key,
        kind: n.alert.kind,
        subject: n.alert.subject,
        message: n.alert.message,
        openedAt: n.alert.openedAt,
        resolvedAt: n.alert.resolvedAt,
      };
      return json({ event: n.event === "test" ? "test" : `alert.${n.event}`, host: n.host, hostName: n.hostName, title: n.title, text: n.text, alert }, bearer);
    }
  }
}

/** Whether an answer is worth another attempt: the receiver was overloaded or failed, not refusing. */
const retryable = (status: number) => status === 408 || status === 429 || status >= 500;

/**
 * Send `n` to `channel`: each attempt bounded by `limits.timeoutMs`, up to `limits.attempts` tries
 * while the receiver times out, cannot be reached, answers 408, 429 or 5xx (waiting `backoffMs`,
 * then twice that…); a 2xx is sent, any other answer is final. Never throws.
 */
export async function send(channel: Channel, n: NoticeText, limits = SEND_LIMITS, fetcher: typeof fetch = fetch): Promise<Sent> {
  const { url, init } = requestFor(channel, n);
  let error = "not sent";
  for (let attempt = 1; attempt <= limits.attempts; attempt++) {
    if (attempt > 1) await new Promise((r) => setTimeout(r, limits.backoffMs * 2 ** (attempt - 2)));
    try {
      const res = await fetcher(url, { ...init, redirect: "manual", signal: AbortSignal.timeout(limits.timeoutMs) });
      await res.body?.cancel().catch(() => {});
      if (res.ok) return { ok: true, attempts: attempt };
      error = `the receiver answered ${res.status}`;
      if (!retryable(res.status)) return { ok: false, attempts: attempt, error };
    } catch (e) {
      error =
        e instanceof Error && (e.name === "TimeoutError" || e.name === "AbortError")
          ? `no answer within ${limits.timeoutMs / 1000} s`
          : "the receiver could not be reached";
    }
  }
  return { ok: false, attempts: limits.attempts, error };
}
