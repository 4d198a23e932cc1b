import { z } from "zod";
import { hostId, required } from "../../protocol/names.js";

/**
 * A host's display name, as typed on the Hosts page (add and rename): 1–64 printable characters,
 * trimmed; only spaces is refused with one message. The one schema of a host name.
 */
export const hostName = required(
  "the host a name",
  z.string().max(64, "a host name is at most 64 characters").regex(/^[^\p{Cc}]+$/u, "a host name cannot hold control characters"),
);

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
