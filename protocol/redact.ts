/**
 * Mask the password of every `scheme://user:password@host` URL (postgres, mysql, redis `://:pw@`,
 * mongodb): `postgres://u:***@h`. Pure text, so both halves may use it; the relay applies it to
 * datastore commands' history, live output and replies (relay/redact.ts).
 */
export function maskDsn(text: string): string {
  return text.replace(/([a-z][a-z0-9+.-]*:\/\/[^:/@\s]*:)[^@\s]+@/gi, "$1***@");
}
