import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { ops, opNames, type OpName } from "../../../protocol/ops.js";
import { opArgs } from "../../support/op-arbitraries.js";
import { fakeRelay, runOp } from "../../support/ops.js";

/**
 * Whatever a command prints, the secrets in it do not leave the relay: every op runs on a host
 * whose every command prints a datastore DSN, a git remote with a token, and (letsencrypt:report)
 * DNS-provider credentials, on stdout and stderr, exiting 0 and then 1. Nothing of them may reach
 * the op's reply (result or error), its live lines or its history rows.
 */
const SECRETS = ["DSNPASSWORD1", "GITTOKEN2", "AWSSECRET3"];
const noise = [
  "       Dsn: postgres://postgres:DSNPASSWORD1@dokku-postgres-db:5432/db",
  "-----> Fetching https://GITTOKEN2@github.com/acme/app.git#main",
  " !     fatal: unable to access 'https://x-access-token:GITTOKEN2@github.com/acme/app.git/'",
].join("\n");
const letsencryptReport = [
  "=====> api letsencrypt information",
  "       Letsencrypt computed email:    ops@example.com          ",
  "       Letsencrypt computed dns provider AWS_SECRET_ACCESS_KEY: AWSSECRET3",
].join("\n");

/** Every command prints the secrets (JSON reads get a bare JSON value on stdout instead, so an op reaches its later commands). */
const print = (exitCode: number) => (argv: string[]) => {
  // plugin:list (text) names an enabled letsencrypt plugin, so tls.status goes on to its report
  if (argv[0] === "plugin:list" && !argv.includes("json")) {
    return { exitCode, stdout: `  letsencrypt          0.22.0 enabled    Automated installation of let's encrypt TLS certificates\n`, stderr: `${noise}\n` };
  }
  const text = argv[0] === "letsencrypt:report" ? `${letsencryptReport}\n${noise}\n` : `${noise}\n`;
  const json = argv.includes("json") ? (["ps:scale", "plugin:list"].includes(argv[0]!) ? "[]" : "{}") : null;
  // a text report's header, so reports parse and the op goes on to its next command
  return { exitCode, stdout: json ?? `=====> ${argv[1]} report information\n${text}`, stderr: text };
};

/** One schema-valid set of arguments for the op (its arbitraries also make hostile ones). */
function validArgs(op: OpName): Record<string, unknown> {
  const args = fc.sample(opArgs[op], { numRuns: 500, seed: 42 }).find((a) => ops[op].args.safeParse(a).success);
  if (!args) throw new Error(`no valid arguments sampled for ${op}`);
  return args;
}

describe("no op lets a secret its commands print reach the reply, live lines or history", () => {
  for (const op of opNames) {
    it(op, async () => {
      const args = validArgs(op);
      for (const exitCode of [0, 1]) {
        const relay = fakeRelay(print(exitCode));
        const reply = await runOp(relay, op, args).then(
          (result) => JSON.stringify(result),
          (e: unknown) => `${(e as Error).message}`,
        );
        const rows = JSON.stringify(relay.history.list(100, 0).entries);
        // tls.status reaches the report that prints DNS-provider credentials
        if (op === "tls.status" && exitCode === 0) expect(relay.argvs.map((a) => a[0])).toContain("letsencrypt:report");
        for (const secret of SECRETS) {
          // config.get's reply is the app's config itself (revealed one value at a time); its
          // output here is not a JSON object, so it fails without echoing anything either
          expect(reply, `${op} reply`).not.toContain(secret);
          expect(relay.chunks.join(""), `${op} live lines`).not.toContain(secret);
          expect(rows, `${op} history`).not.toContain(secret);
        }
      }
    });
  }
});
