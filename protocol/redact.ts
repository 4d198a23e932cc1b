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

/** What a private key block becomes wherever it would be shown or kept. */
export const PRIVATE_KEY_MASK = "[private key withheld]";

/**
 * Mask every PEM private key block in a text (`-----BEGIN … PRIVATE KEY-----` to its END line;
 * PKCS#8, RSA, EC, ENCRYPTED, OPENSSH alike), and a BEGIN line with no END after it up to the end
 * of the text, so a block cut in two (a line of live output, a capped stream) never leaves its
 * body behind.
 */
export function maskPrivateKeys(text: string): string {
  if (!text.includes("PRIVATE KEY-----")) return text;
  return text
    .replace(/-----BEGIN ([A-Z0-9 ]*)PRIVATE KEY-----[\s\S]*?-----END \1PRIVATE KEY-----/g, PRIVATE_KEY_MASK)
    .replace(/-----BEGIN [A-Z0-9 ]*PRIVATE KEY-----[\s\S]*$/, PRIVATE_KEY_MASK);
}
