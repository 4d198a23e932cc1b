/**
 * Mask the credentials of every URL in a text: the password of `scheme://user:password@host`
 * (postgres, mysql, redis `://:pw@`, mongodb DSNs; git remotes) becomes `user:***@`, and the bare
 * user of an http(s) URL, which is a token there (`https://ghp_…@github.com`), becomes `***@`.
 * An ssh URL's bare user (`ssh://git@host`) is a name, not a secret, and is kept. Pure text, so
 * both halves may use it: the relay applies it to everything a command prints or is given
 * (relay/process/redact.ts), the edge to live lines of database changes.
 */
export function maskUrlCredentials(text: string): string {
  return text.replace(/([a-z][a-z0-9+.-]*:\/\/[^:/@\s]*:)[^@\s]+@/gi, "$1***@").replace(/\b(https?:\/\/)[^:/@\s]+@/gi, "$1***@");
}
