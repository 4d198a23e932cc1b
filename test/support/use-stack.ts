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
  return lazyStack(() => stack, {
    cookie: () => cookie!,
    login: async () => (cookie = await stack!.login()),
  });
}

/**
 * A stack object that reads through to `current()` at each use, so a test file may hold it before
 * its beforeAll started the stack; a use while there is none throws, saying so. `session` keeps the
 * cookie of the last `login()`; without it `cookie` throws and `login()` only returns a new one.
 */
export function lazyStack(current: () => TestStack | undefined, session?: { cookie: () => string; login: () => Promise<string> }): SignedInStack {
  const started = (): TestStack => {
    const stack = current();
    if (!stack) throw new Error("the stack is read before its beforeAll started it (or after afterAll stopped it)");
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
      if (!session) throw new Error("this stack keeps no session cookie: call login()");
      return session.cookie();
    },
    startRelay: (...args) => started().startRelay(...args),
    restartEdge: () => started().restartEdge(),
    waitConnected: (...args) => started().waitConnected(...args),
    login: () => (session ? (started(), session.login()) : started().login()),
    stop: () => started().stop(),
  };
}
