import { remove as unconfuse } from "confusables";
import { z } from "zod";
import { hostId, required } from "../../protocol/names.js";

/**
 * Characters a person cannot see, refused in a host name: format characters (zero-width space and
 * joiners, bidi overrides such as U+202E), every default-ignorable code point (variation selectors,
 * the Hangul filler, soft hyphen…) and line or paragraph separators. Two names differing by one
 * would look the same on every page.
 */
const INVISIBLE = /[\p{Cf}\p{Default_Ignorable_Code_Point}\p{Zl}\p{Zp}]/u;

/**
 * A host's display name, as typed on the Hosts page (add and rename): 1–64 printable characters,
 * trimmed; only spaces is refused with one message, and so is any invisible character (INVISIBLE).
 * The one schema of a host name; two names are the same name when their `nameKey`s are equal.
 */
export const hostName = required(
  "the host a name",
  z
    .string()
    .max(64, "a host name is at most 64 characters")
    .regex(/^[^\p{Cc}]+$/u, "a host name cannot hold control characters")
    .refine((s) => !INVISIBLE.test(s), "a host name cannot hold invisible characters (zero-width, direction marks and the like)"),
);

/**
 * What two host names are compared by, so that names a person cannot tell apart are one name: NFKC
 * (full-width, ligature and other compatibility forms become their plain letters: "ｐｒｏｄ", "ℙrod"
 * and "prod" agree), invisible characters removed, case folded (ß and SS agree), then each letter
 * that only looks like a Latin letter or digit replaced by it (Cyrillic "о" and Greek "ο" for "o",
 * accents dropped: the `confusables` package's map), folded again, runs of spaces as one.
 */
export function nameKey(name: string): string {
  const fold = (s: string) => s.normalize("NFKC").toUpperCase().toLowerCase().normalize("NFKC");
  return fold(unconfuse(fold(name.replace(new RegExp(INVISIBLE.source, "gu"), ""))))
    .replace(/\s+/gu, " ")
    .trim();
}

/**
 * The host id for a new host named `name`: its letters and digits in lower case, other runs of
 * characters as one '-', at most 32 characters (a valid `hostId`), and a "-2", "-3"… suffix when
 * `taken` says the id is in use. A name with no letter or digit becomes "host".
 */
export function hostIdFor(name: string, taken: (id: string) => boolean): string {
  const base =
    name
      .normalize("NFKD")
      .replace(/[\u0300-\u036f]/g, "")
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, "-")
      .replace(/^-+|-+$/g, "")
      .slice(0, 32)
      .replace(/-+$/, "") || "host";
  for (let n = 1; ; n++) {
    const suffix = n === 1 ? "" : `-${n}`;
    const id = `${base.slice(0, 32 - suffix.length).replace(/-+$/, "")}${suffix}`;
    if (!taken(id)) return hostId.parse(id);
  }
}
