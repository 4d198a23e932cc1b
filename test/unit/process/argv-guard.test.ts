import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { ops, opNames, type OpName } from "../../../protocol/ops.js";
import { listedOptionProblem, vetDockerOption } from "../../../protocol/docker-options.js";
import { checkArgv, Flag, flag, FLAGS, VettedOption, type Arg, type FlagText } from "../../../relay/process/argv-guard.js";
import { catalog } from "../../../relay/catalog/index.js";
import { type OpContext } from "../../../relay/catalog/types.js";
import { OpFailure } from "../../../relay/dokku/failure.js";
import { opContext, runEntry } from "../../../relay/ops/op-context.js";
import { opArgs } from "../../support/op-arbitraries.js";
import { fakeRelay } from "../../support/ops.js";

describe("checkArgv", () => {
  it("passes tagged flags and plain values through unchanged", () => {
    expect(checkArgv([flag("--force"), "apps:destroy", "api"])).toEqual(["--force", "apps:destroy", "api"]);
    expect(checkArgv(["buildpacks:add", flag("--index"), "2", "api", flag("--"), "heroku/nodejs"])).toEqual([
      "buildpacks:add",
      "--index",
      "2",
      "api",
      "--",
      "heroku/nodejs",
    ]);
    expect(checkArgv(["config:set", "api", "K=a-b", "x-"])).toEqual(["config:set", "api", "K=a-b", "x-"]);
  });

  it("refuses an untagged element starting with '-' even when it spells a real flag, naming its position and not its value", () => {
    for (const [argv, at] of [
      [["git:sync", flag("--build"), "api", "-utouch@x:y"], 4],
      [["buildpacks:add", "api", "--index/2"], 3],
      [["buildpacks:remove", "api", "-x/y"], 3],
      [["letsencrypt:set", "api", "email", "--force@example.com"], 4],
      [["apps:destroy", "--force"], 2],
      [["--trace", "apps:list"], 1],
      [["ps:scale", "api", "-"], 3],
    ] as Array<[Arg[], number]>) {
      const err = (() => {
        try {
          checkArgv(argv);
        } catch (e) {
          return e;
        }
      })();
      expect(err).toBeInstanceOf(OpFailure);
      expect(err).toMatchObject({ code: "bad_request", message: expect.stringContaining(`argument ${at} of`) });
      const value = argv[at - 1] as string;
      if (value.length > 1) expect((err as Error).message).not.toContain(value);
    }
  });

  it("refuses a NUL character, which no argv can carry", () => {
    expect(() => checkArgv(["config:unset", "api", "A\u0000B"])).toThrow(/NUL/);
  });

  it("passes a docker option only as a VettedOption, which is made only by vetting it", () => {
    expect(checkArgv(["docker-options:add", "api", "deploy", VettedOption.dockerOption("--restart=always", false)])).toEqual([
      "docker-options:add",
      "api",
      "deploy",
      "--restart=always",
    ]);
    // the same text as a plain string is input like any other
    expect(() => checkArgv(["docker-options:add", "api", "deploy", "--restart=always"])).toThrow(/argument 4 of docker-options:add starts with "-"/);
    expect(() => VettedOption.dockerOption("--privileged", false)).toThrow(/root on the host.*--allow-isolation-breaking/);
    expect(VettedOption.dockerOption("--privileged", true).text).toBe("--privileged");
    expect(() => VettedOption.dockerOption("--trace", true)).toThrow(/Dokku's own command line/);
    expect(() => VettedOption.listedDockerOption("--restart=$(id)")).toThrow(/shell characters/);
    // no public constructor: only the vetting makes one
    expect(Object.getOwnPropertyNames(VettedOption)).toEqual(expect.arrayContaining(["dockerOption", "listedDockerOption"]));
  });

  it("makes flags only from the list the catalog may write", () => {
    expect(flag("--build").text).toBe("--build");
    expect(() => new Flag("--trace" as FlagText)).toThrow(/not a flag the catalog may write/);
  });
});

/**
 * A vetted option that ran is one the vetting accepts: for an add, a known option that keeps the
 * host's isolation (this test relay does not allow the others); for a remove, one of the listed shape.
 */
function vettedAs(op: OpName, text: string): boolean {
  if (op === "docker-options.add") {
    const v = vetDockerOption(text);
    return v.ok && v.breaks === null && v.option === text;
  }
  return op === "docker-options.remove" && listedOptionProblem(text) === null;
}

/** What one op did with one set of arguments: the argv its entry asked for, what ran, how it ended. */
interface Attempt {
  asked: Arg[][];
  ran: string[][];
  rows: number;
  error: unknown;
}

const isRefused = (a: Arg) => !(a instanceof Flag) && !(a instanceof VettedOption) && (typeof a !== "string" || a.startsWith("-") || a.includes("\u0000"));
const text = (argv: Arg[]) => argv.map((a) => (a instanceof Flag || a instanceof VettedOption ? a.text : a));
const noDokku: ReadonlySet<OpName> = new Set([
  "server.health",
  "relay.ping",
  "history.list",
  "history.export",
  "history.get",
  "history.entry",
  "changes.running",
]);

/** Output that lets reads get past their first command now and then. */
const answer = (argv: string[]) => (argv.includes("json") ? { stdout: argv[0] === "ps:scale" || argv[0] === "plugin:list" ? "[]" : "{}" } : {});

/**
 * Run `op` through production code on a fake relay: runEntry (schema) then the entry, or — with
 * `bypassSchema` — the entry on the raw arguments, as if a schema had let anything through. The
 * context's dokku() is the recording one; a wrapper only notes the tagged argv the entry passed it.
 */
async function attempt(op: OpName, args: Record<string, unknown>, bypassSchema: boolean): Promise<Attempt> {
  const relay = fakeRelay(answer);
  const asked: Arg[][] = [];
  const run = { opId: "22222222-2222-4222-8222-222222222222", op, requestedBy: "prop", signal: relay.signal };
  const contextFor = (parsed: unknown): OpContext => {
    const ctx = opContext(relay.runtime, run, parsed);
    return { ...ctx, dokku: (argv, call) => (asked.push([...argv]), ctx.dokku(argv, call)) };
  };
  let error: unknown;
  try {
    if (bypassSchema) await (catalog[op] as unknown as { run(c: OpContext, a: unknown): Promise<unknown> }).run(contextFor(args), args);
    else await runEntry(op, args, contextFor);
  } catch (e) {
    error = e;
  }
  return { asked, ran: relay.argvs, rows: relay.history.list(1, 0).total, error };
}

/** What holds on either path: a refused command never runs, no `-` element came from input, nothing is half-done. */
function checkAttempt(op: OpName, a: Attempt): void {
  const accepted = a.asked.filter((argv) => !argv.some(isRefused));
  // exactly the accepted commands ran, unaltered, and each has its history row
  expect(a.ran).toEqual(accepted.map(text));
  if (!noDokku.has(op)) expect(a.rows).toBe(a.ran.length);
  for (const argv of accepted) {
    argv.forEach((el, i) => {
      // an element that starts with '-' is a flag the catalog tagged, from the list it may write
      if (text(argv)[i]!.startsWith("-"))
        expect(
          (el instanceof Flag && (FLAGS as readonly string[]).includes(el.text)) || (el instanceof VettedOption && vettedAs(op, el.text)),
          `${op}: ${JSON.stringify(text(argv))}`,
        ).toBe(true);
    });
  }
  if (a.asked.length > accepted.length) {
    // refused: a bad_request, and nothing from input ran (an op may first read something that
    // takes no input, e.g. tls.status's plugin:list)
    expect(a.error).toMatchObject({ code: "bad_request" });
    const inputs = new Set(
      a.asked
        .flat()
        .filter((el) => !(el instanceof Flag))
        .map((el) => (typeof el === "string" ? el : el instanceof VettedOption ? el.text : String(el))),
    );
    const fromInput = a.ran.filter((argv) => argv.slice(1).some((el) => inputs.has(el)));
    expect(fromInput, `${op}: ran a command holding input before refusing`).toEqual([]);
  }
}

describe("no argv element from input starts with '-', for every op (fast-check)", () => {
  it("covers every op the catalog runs", () => {
    expect(Object.keys(opArgs).sort()).toEqual([...opNames].sort());
    expect(Object.keys(catalog).sort()).toEqual([...opNames].sort());
  });

  for (const op of opNames) {
    it(`${op}: generated and hostile arguments through the schema and the entry`, async () => {
      let refusedBySchema = 0;
      await fc.assert(
        fc.asyncProperty(opArgs[op], async (args) => {
          const a = await attempt(op, args, false);
          checkAttempt(op, a);
          // defence in depth: the op's schema alone already refuses what the guard would
          expect(a.asked.flat().filter(isRefused), `${op} let through ${JSON.stringify(args).slice(0, 200)}`).toEqual([]);
          if (!ops[op].args.safeParse(args).success) {
            refusedBySchema++;
            expect(a.error).toMatchObject({ code: "bad_request" });
            expect(a.ran).toEqual([]);
            expect(a.rows).toBe(0);
          }
        }),
        { numRuns: 60 },
      );
      // the hostile side of the generator was exercised (ops with arguments)
      if (
        ![
          "apps.list",
          "domains.all",
          "tls.list",
          "plugins.list",
          "databases.overview",
          "server.health",
          "relay.ping",
          "changes.running",
          "nginx.reload",
          "releases.recent",
          "storage.entries",
          "cron.host",
          "host.settings",
          "host.cleanup",
          "network.list",
        ].includes(op)
      )
        expect(refusedBySchema).toBeGreaterThan(0);
    });

    it(`${op}: with no schema at all, the guard alone keeps input from becoming an option`, async () => {
      await fc.assert(
        fc.asyncProperty(opArgs[op], async (args) => checkAttempt(op, await attempt(op, args, true))),
        { numRuns: 60 },
      );
    });
  }

  it("the red-team cases, schema bypassed, are refused and run nothing", async () => {
    const cases: Array<[OpName, Record<string, unknown>]> = [
      ["git.sync", { app: "api", remote: "-utouch@x:y" }],
      ["buildpacks.add", { app: "api", url: "--index/2" }],
      ["buildpacks.remove", { app: "api", url: "-x/y" }],
      ["tls.setEmail", { app: "api", email: "--force@example.com" }],
    ];
    for (const [op, args] of cases) {
      const a = await attempt(op, args, true);
      expect(a.error, op).toMatchObject({ code: "bad_request", message: expect.stringContaining("Nothing was run") });
      expect(a.ran).toEqual([]);
      expect(a.rows).toBe(0);
      // and the schema refuses each at the edge already
      expect(ops[op].args.safeParse(args).success, op).toBe(false);
    }
  });
});
