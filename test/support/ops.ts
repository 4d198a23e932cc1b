import { z } from "zod";
import { ops, type OpName, type OpResult } from "../../protocol/ops.js";
import { catalog } from "../../relay/catalog/index.js";
import type { OpContext } from "../../relay/catalog/types.js";
import type { RunResult } from "../../relay/run.js";

/**
 * Run one op the way the dispatcher does: arguments through the op's zod schema, the catalog
 * entry, then the result through the op's result schema (so a parser returning the wrong shape fails).
 */
export async function runOp<N extends OpName>(ctx: OpContext, op: N, args: unknown): Promise<OpResult<N>> {
  const parsed = ops[op].args.safeParse(args);
  if (!parsed.success) throw new Error(`bad args for ${op}: ${z.prettifyError(parsed.error)}`);
  const entry = catalog[op] as unknown as { run(c: OpContext, a: unknown): Promise<unknown> };
  return ops[op].result.parse(await entry.run(ctx, parsed.data)) as OpResult<N>;
}

/**
 * A context that runs nothing: it records each argv and answers with a canned result. Used to
 * check argv building (hostile input) without spawning anything.
 */
export function fakeContext(answer: (argv: string[]) => Partial<RunResult> = () => ({})): OpContext & { argvs: string[][] } {
  const argvs: string[][] = [];
  return {
    argvs,
    dokkuVersion: "0.35.20",
    signal: new AbortController().signal,
    history: undefined as never,
    async dokku(argv) {
      argvs.push(argv);
      const a = answer(argv);
      return { exitCode: 0, stdout: "", stderr: "", durationMs: 1, stopped: null, startedAt: 0, finishedAt: 1, ...a };
    },
  };
}
