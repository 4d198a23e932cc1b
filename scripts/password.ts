/**
 * `npm run password`: asks for the dashboard password (hidden, twice) on a terminal, or reads it
 * from stdin when piped, and prints the DOCKLIGHT_PASSWORD_HASH value plus the wrangler command
 * that stores it. The password itself is never printed.
 */
import { createInterface } from "node:readline";
import { Writable } from "node:stream";
import { hashPassword, MAX_PBKDF2_ITERATIONS } from "../worker/auth/password.js";

const MIN_LENGTH = 12;

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  // One trailing newline is the end of the line, not part of the password.
  return Buffer.concat(chunks)
    .toString("utf8")
    .replace(/\r?\n$/, "");
}

/** One hidden line from the terminal: what is typed is not echoed. */
function askHidden(question: string): Promise<string> {
  let muted = false;
  const output = new Writable({
    write(chunk, _enc, done) {
      if (!muted) process.stderr.write(chunk);
      done();
    },
  });
  const rl = createInterface({ input: process.stdin, output, terminal: true });
  return new Promise((resolve) => {
    rl.question(question, (answer) => {
      rl.close();
      process.stderr.write("\n");
      resolve(answer);
    });
    muted = true;
  });
}

async function main(): Promise<void> {
  let password: string;
  if (process.stdin.isTTY) {
    password = await askHidden("Dashboard password: ");
    const again = await askHidden("Again: ");
    if (password !== again) throw new Error("the two entries differ");
  } else {
    password = await readStdin();
  }
  if ([...password].length < MIN_LENGTH) throw new Error(`use at least ${MIN_LENGTH} characters`);
  if (password.length > 1024) throw new Error("use at most 1024 characters");
  const hash = await hashPassword(password, MAX_PBKDF2_ITERATIONS);
  process.stdout.write(
    [
      `DOCKLIGHT_PASSWORD_HASH=${hash}`,
      "",
      "Store it on the edge (paste the value after DOCKLIGHT_PASSWORD_HASH= when asked):",
      "  npx wrangler secret put DOCKLIGHT_PASSWORD_HASH",
      "or in one go:",
      `  printf '%s' '${hash}' | npx wrangler secret put DOCKLIGHT_PASSWORD_HASH`,
      "Changing it ends every signed-in session.",
      "",
    ].join("\n"),
  );
}

main().catch((e: unknown) => {
  process.stderr.write(`npm run password: ${e instanceof Error ? e.message : String(e)}\n`);
  process.exit(1);
});
