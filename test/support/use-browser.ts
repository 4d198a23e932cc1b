import type { Browser, BrowserContext, BrowserContextOptions, Page } from "playwright-core";
import { afterAll, beforeAll } from "vitest";
import { launchBrowser, logIn, watchConsole } from "./browser.js";
import { startStack, type TestStack } from "./stack.js";
import { lazyStack, type StackOptions } from "./use-stack.js";

/** A stack and a browser for the tests of one file, with a browser context signed in as the admin. */
export interface SignedInBrowser {
  /** The stack, read through as `useStack`'s (no `cookie`: the context holds the session). */
  readonly stack: TestStack;
  readonly browser: Browser;
  /** The context signed in as the admin: its pages share the session. */
  readonly context: BrowserContext;
  /**
   * A new page of the signed-in context at `path`, `width` px wide (900 px high): console errors
   * (CSP violations among them) collected in `problems`, confirm dialogs accepted, others dismissed.
   */
  open(path: string, width?: number): Promise<{ page: Page; problems: string[] }>;
}

/**
 * Starts the stack and Chromium side by side in a `beforeAll`, runs `prepare` (e.g. to change the
 * simulated host before any page reads it), then signs in a browser context made with `context`;
 * an `afterAll` closes the browser and stops the stack.
 */
export function useSignedInBrowser(
  opts: StackOptions = {},
  setup: { context?: BrowserContextOptions; prepare?: (stack: TestStack) => Promise<void> } = {},
): SignedInBrowser {
  let stack: TestStack | undefined;
  let browser: Browser | undefined;
  let context: BrowserContext | undefined;
  beforeAll(async () => {
    [stack, browser] = await Promise.all([startStack(opts), launchBrowser()]);
    await setup.prepare?.(stack);
    context = await browser.newContext(setup.context);
    const page = await context.newPage();
    await logIn(page, stack.url);
    await page.close();
  });
  afterAll(async () => {
    await browser?.close();
    await stack?.stop();
    stack = browser = context = undefined;
  });
  const ready = <T>(what: string, value: T | undefined): T => {
    if (value === undefined) throw new Error(`useSignedInBrowser: the ${what} is read before its beforeAll made it`);
    return value;
  };
  const shared = lazyStack(() => stack);
  return {
    stack: shared,
    get browser() {
      return ready("browser", browser);
    },
    get context() {
      return ready("context", context);
    },
    async open(path, width) {
      const page = await ready("context", context).newPage();
      if (width !== undefined) await page.setViewportSize({ width, height: 900 });
      const problems = watchConsole(page);
      page.on("dialog", (d) => void (d.type() === "confirm" ? d.accept() : d.dismiss()));
      await page.goto(`${ready("stack", stack).url}${path}`);
      return { page, problems };
    },
  };
}
