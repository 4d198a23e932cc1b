import type { Browser, BrowserContext, BrowserContextOptions, Page } from "playwright-core";
import { afterAll, beforeAll } from "vitest";
import { launchBrowser, logIn, watchConsole } from "./browser.js";
import { startStack, type TestStack } from "./stack.js";
import { lazyStack, type StackOptions } from "./use-stack.js";

/** A page `open` made: its console errors (CSP violations among them) and the dialogs it raised. */
export interface OpenedPage {
  readonly page: Page;
  /** Console errors and failed page scripts, as `watchConsole` collects them. */
  readonly problems: string[];
  /** Each dialog the page raised, as `type: message` (confirms were accepted, the others dismissed). */
  readonly dialogs: string[];
}

/** A browser context signed in as the admin: its pages share the session. */
export interface SignedInContext {
  readonly context: BrowserContext;
  /** A new page of this context at `path` (below the fixture's `url`), `width` px wide (900 px high). */
  open(path: string, width?: number): Promise<OpenedPage>;
}

/** A stack and a browser for the tests of one file, with a browser context signed in as the admin. */
export interface SignedInBrowser extends SignedInContext {
  /** The stack, read through as `useStack`'s (no `cookie`: the context holds the session). */
  readonly stack: TestStack;
  readonly browser: Browser;
  /** Where the browser reaches the edge: the stack's URL, under `setup.host` where one was given. */
  readonly url: string;
  /** Another context signed in as the admin, as a second browser would be (closed with the browser). */
  signIn(options?: BrowserContextOptions): Promise<SignedInContext>;
}

/** How `useSignedInBrowser` prepares the browser. */
export interface BrowserSetup {
  /** Options of the signed-in context (a viewport, downloads…). */
  context?: BrowserContextOptions;
  /** Runs once the stack started, before the sign-in (e.g. to change the simulated host before any page reads it). */
  prepare?: (stack: TestStack) => Promise<void>;
  /** The host name the browser uses instead of 127.0.0.1 (WebAuthn wants a domain: `localhost`). */
  host?: string;
}

/**
 * Starts the stack and Chromium side by side in a `beforeAll`, runs `setup.prepare`, then signs in
 * a browser context made with `setup.context`; an `afterAll` closes the browser and stops the stack.
 * The returned object reads through to them, so a file may hold it from collection time on.
 */
export function useSignedInBrowser(opts: StackOptions = {}, setup: BrowserSetup = {}): SignedInBrowser {
  let stack: TestStack | undefined;
  let browser: Browser | undefined;
  let main: SignedInContext | undefined;
  const ready = <T>(what: string, value: T | undefined): T => {
    if (value === undefined) throw new Error(`useSignedInBrowser: the ${what} is read before its beforeAll made it`);
    return value;
  };
  const url = () => {
    const base = ready("stack", stack).url;
    return setup.host ? base.replace("127.0.0.1", setup.host) : base;
  };
  const signIn = async (options?: BrowserContextOptions): Promise<SignedInContext> => {
    const context = await ready("browser", browser).newContext(options);
    const page = await context.newPage();
    await logIn(page, url());
    await page.close();
    return {
      context,
      async open(path, width) {
        const page = await context.newPage();
        if (width !== undefined) await page.setViewportSize({ width, height: 900 });
        const problems = watchConsole(page);
        const dialogs: string[] = [];
        page.on("dialog", (d) => {
          dialogs.push(`${d.type()}: ${d.message()}`);
          void (d.type() === "confirm" ? d.accept() : d.dismiss());
        });
        await page.goto(`${url()}${path}`);
        return { page, problems, dialogs };
      },
    };
  };
  beforeAll(async () => {
    [stack, browser] = await Promise.all([startStack(opts), launchBrowser()]);
    await setup.prepare?.(stack);
    main = await signIn(setup.context);
  });
  afterAll(async () => {
    await browser?.close();
    await stack?.stop();
    stack = browser = main = undefined;
  });
  return {
    stack: lazyStack(() => stack),
    get browser() {
      return ready("browser", browser);
    },
    get url() {
      return url();
    },
    get context() {
      return ready("context", main).context;
    },
    open: (path, width) => ready("context", main).open(path, width),
    signIn,
  };
}
