import { z } from "zod";
import { appName, hostId } from "../../protocol/names.js";
import { role, type Role } from "../../protocol/policy.js";
import type { Grant, PolicyUser } from "./principal.js";

/** A user's state: invited (link not used yet), active, or suspended (no sign-in, sessions ended). */
export type UserStatus = "invited" | "active" | "suspended";

/** A user as the Users page shows them (never their password hash). */
export interface TeamUser extends PolicyUser {
  /** Same as `name`: the e-mail they were invited with ("admin" for the first owner). */
  email: string;
  status: UserStatus;
  /** Whether they have set a password (the first owner's is DOCKLIGHT_PASSWORD_HASH). */
  hasPassword: boolean;
  /** ms since epoch */
  createdAt: number;
}

/** The first owner's id and name: today's single admin, whose sessions have always had subject "admin". */
export const FIRST_OWNER_ID = "admin";

/** How long an invitation link works (ms). */
export const INVITE_TTL_MS = 72 * 3600 * 1000;

/** An e-mail as users are named by: trimmed, lower case, at most 254 characters. */
export const email = z
  .string({ error: "Enter an e-mail address" })
  .trim()
  .toLowerCase()
  .max(254, "That e-mail address is too long")
  .pipe(z.email("Enter an e-mail address"));

/** The Users page's invitation form. */
export const inviteForm = z.object({ email, role });

/** A grant as the Users page's form sends it: a host, an optional app on it, and two checkboxes. */
export const grantForm = z.object({
  host: hostId,
  app: z.union([z.literal(""), appName]).default(""),
  hostRoot: z.literal("on").optional(),
  reveal: z.literal("on").optional(),
});

/** A grant from the form: `app` "" is the whole host. */
export function grantOf(form: z.output<typeof grantForm>): Grant {
  return { host: form.host, app: form.app === "" ? null : form.app, hostRoot: form.hostRoot === "on" && form.app === "", reveal: form.reveal === "on" };
}

/** Why a change to the team was refused (shown with a 400 or 409). */
export type TeamRefusal = { refused: string };

/** Whether `r` counts as an owner for the last-owner rule. */
export const isOwner = (r: Role) => r === "owner";
