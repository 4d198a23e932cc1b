import { z } from "zod";

/**
 * History's hash chain (relay/history/chain.ts): each row, once final, carries the SHA-256 of the
 * row before it and of its own content, so a row edited or deleted on the host shows as a break
 * where it was. The chain needs no secret, so someone who can write the database could rebuild it
 * whole; the edge therefore keeps the heads it was shown and hands them back to `history.verify`,
 * which reports a head that no longer matches as "rewritten" (or "truncated" past the end).
 */

/** A point of the chain: a row's place (seq, from 1) and its chain hash (64 hex digits). */
export const chainLink = z.object({ seq: z.number().int().min(0), hash: z.string().regex(/^[0-9a-f]{64}$/) }).strict();
export type ChainLink = z.infer<typeof chainLink>;

/**
 * How the chain is broken at one place: a row whose content no longer matches its hash (edited), a
 * row that does not follow the one before it (a row deleted or inserted between them), seqs with
 * no row (deleted), a final row outside the chain (written behind the relay's back), a head the
 * edge was shown that the chain no longer has (rewritten, or truncated: newest rows deleted).
 */
export const chainBreakKind = z.enum(["edited", "unlinked", "missing", "unchained", "rewritten", "truncated"]);
export type ChainBreakKind = z.infer<typeof chainBreakKind>;

export const chainBreak = z.object({
  kind: chainBreakKind,
  /** The history row where it shows (null for seqs with no row, or a head past the end). */
  id: z.number().int().nullable(),
  seq: z.number().int().nullable(),
  message: z.string(),
});
export type ChainBreak = z.infer<typeof chainBreak>;

/** Most breaks one verification lists (the total is always counted). */
export const CHAIN_BREAKS_LISTED = 50;

export const chainReport = z.object({
  /** Rows checked along the chain. */
  checked: z.number().int(),
  /** Where the chain starts: the last row retention pruned (seq 0 and 64 zeros before any was). */
  anchor: chainLink,
  /** The newest row in the chain (null when it holds none): the head the edge keeps for next time. */
  head: chainLink.nullable(),
  intact: z.boolean(),
  breaks: z.array(chainBreak).max(CHAIN_BREAKS_LISTED),
  breaksTotal: z.number().int(),
});
export type ChainReport = z.infer<typeof chainReport>;

/** Most heads the edge may hand back for one verification. */
export const CHAIN_KNOWN_MAX = 100;
