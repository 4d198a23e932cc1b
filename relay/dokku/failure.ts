import type { ErrorCode } from "../../protocol/frames.js";

/** A typed failure an op reports to the edge; anything else thrown is a relay bug ("internal"). */
export class OpFailure extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
  ) {
    super(message);
  }
}
