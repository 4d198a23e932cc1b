import { afterAll, beforeAll } from "vitest";
import { startStack, type TestStack } from "./stack.js";

/** What `startStack` takes: hosts, seeds, versions, relays left unstarted. */
export type StackOptions = NonNullable<Parameters<typeof startStack>[0]>;

/**
 * A started stack with the admin signed in: `cookie` is the session cookie the last `login()`
 * returned (sign in again after `restartEdge()` forgot the session, and `cookie` follows).
 */
export interface SignedInStack extends TestStack {
  readonly cookie: string;
}

/**
 * One stack for the tests of this file (or of the `describe` it is called in): registers a
 * `beforeAll` that starts it and signs in, and an `afterAll` that stops it. The returned object
 * reads through to that stack, so module-level helpers may hold it; touching it before the
 * `beforeAll` ran (at collection time) throws, saying so.
 */
export function useStack(opts: StackOptions = {}): SignedInStack {
  let stack: TestStack | undefined;
  let cookie: string | undefined;
  beforeAll(async () => {
    stack = await startStack(opts);
    cookie = await stack.login();
  });
  afterAll(async () => {
    await stack?.stop();
    stack = undefined;
  });
  const started = (): TestStack => {
    if (!stack) throw new Error("useStack: the stack is read before its beforeAll started it (or after afterAll stopped it)");
    return stack;
  };
  return {
    get url() {
      return started().url;
    },
    get dir() {
      return started().dir;
    },
    get edge() {
      return started().edge;
    },
    get relays() {
      return started().relays;
    },
    get credentials() {
      return started().credentials;
    },
    get cookie() {
      started();
      return cookie!;
    },
    startRelay: (...args) => started().startRelay(...args),
    restartEdge: () => started().restartEdge(),
    waitConnected: (...args) => started().waitConnected(...args),
    login: async () => (cookie = await started().login()),
    stop: () => started().stop(),
  };
}
