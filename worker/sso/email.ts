import { email } from "../team/users.js";

/** What a single sign-on method concluded: the verified e-mail of who signed in, or why not. */
export type SsoAnswer = { email: string } | { refused: string };

/** `claim` as a user's e-mail (trimmed, lower case, as users are named) when `verified`, else a refusal naming `who`. */
export function verifiedEmail(claim: unknown, verified: boolean, who: string): SsoAnswer {
  const parsed = email.safeParse(claim);
  if (!parsed.success) return { refused: `${who} gave no e-mail address` };
  if (!verified) return { refused: `${who} has not verified the e-mail ${parsed.data}` };
  return { email: parsed.data };
}
