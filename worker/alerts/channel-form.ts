import { z } from "zod";
import { CHANNEL_KINDS } from "./model.js";

/** The Alerts settings' form for a new channel (pure: the unit tests import it). */

/** The names of this machine, the only hosts a plain http:// channel may name, in development. */
const LOOPBACK: ReadonlySet<string> = new Set(["localhost", "127.0.0.1", "[::1]"]);

/**
 * A channel's URL: https:// (a notice says what happens on your hosts, and a Slack or Discord URL
 * is itself the key). In development (DOCKLIGHT_ENV=development: `npm start`, the test stacks)
 * also http:// to this machine, for a receiver running beside the edge.
 */
function channelUrl(production: boolean) {
  return z
    .string({ error: "Give the channel's URL" })
    .trim()
    .max(1000, "A URL is at most 1000 characters")
    .pipe(z.url({ protocol: /^https?$/, error: "Give an https:// URL" }))
    .refine(
      (u) => {
        let url: URL;
        try {
          url = new URL(u);
        } catch {
          return true; // zod runs this after a failed URL check too: that failure is already said
        }
        return url.protocol === "https:" || (!production && LOOPBACK.has(url.hostname));
      },
      production ? "Give an https:// URL" : "Give an https:// URL (or, in development, http:// to localhost)",
    );
}
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

/**
 * The settings page's form for a new channel; e-mail needs a key, a from and a to. `production`
 * is the edge's (Config.production): only there is a plain http:// URL to localhost refused.
 */
export function channelForm(production: boolean) {
  return z
    .object({
      kind: z.enum(CHANNEL_KINDS, "Choose a kind of channel"),
      name: z.string().trim().min(1, "Give the channel a name").max(60, "A name is at most 60 characters"),
      url: channelUrl(production),
      token: optionalText(500),
      from: optionalEmail,
      to: optionalEmail,
    })
    .refine((f) => f.kind !== "email" || (f.token && f.from && f.to), { message: "E-mail needs the mail API's key, a from and a to address", path: ["token"] });
}
export type ChannelForm = z.output<ReturnType<typeof channelForm>>;
