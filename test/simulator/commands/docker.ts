import { createHash } from "node:crypto";
import { err, Exit, out } from "../output.js";
import { readState, updateState } from "../state.js";

/**
 * The simulator as `docker`, for the three fixed image commands the relay runs
 * (relay/catalog/kept-images.ts), over the images git:from-image pulled (state `images`):
 * `docker image inspect --format {{.Id}} REF` prints the id, `docker image tag SOURCE TARGET`
 * prints nothing, `docker image rm REF` prints `Untagged: REF`; a reference not on the host is
 * `Error response from daemon: No such image: REF` on stderr, exit 1, as the docker CLI says it.
 * Anything else is refused: the relay runs nothing else.
 */

/** Docker's normalised reference: `:latest` when it names no tag or digest. */
export function normalRef(ref: string): string {
  const last = ref.slice(ref.lastIndexOf("/") + 1);
  return last.includes(":") || last.includes("@") ? ref : `${ref}:latest`;
}

/** An image id as docker prints one: sha256 of what made it. */
export const imageIdOf = (what: string) => `sha256:${createHash("sha256").update(what).digest("hex")}`;

function noSuchImage(ref: string): never {
  err(`Error response from daemon: No such image: ${normalRef(ref)}`);
  throw new Exit(1);
}

function image(args: string[]): void {
  const [sub, ...rest] = args;
  const images = readState().images ?? {};
  if (sub === "inspect" && rest[0] === "--format" && rest[1] === "{{.Id}}" && rest.length === 3) {
    const id = images[normalRef(rest[2]!)];
    if (!id) noSuchImage(rest[2]!);
    return out(id);
  }
  if (sub === "tag" && rest.length === 2) {
    const id = images[normalRef(rest[0]!)];
    if (!id) noSuchImage(rest[0]!);
    return updateState((s) => void (s.images = { ...s.images, [normalRef(rest[1]!)]: id }));
  }
  if (sub === "rm" && rest.length === 1) {
    if (!images[normalRef(rest[0]!)]) noSuchImage(rest[0]!);
    updateState((s) => void delete s.images![normalRef(rest[0]!)]);
    return out(`Untagged: ${normalRef(rest[0]!)}`);
  }
  err(`the simulated docker runs only image inspect --format {{.Id}}, image tag and image rm, not: docker image ${args.join(" ")}`);
  throw new Exit(125);
}

/** `docker ARGV…` as the simulator answers it; its exit code. */
export async function dockerMain(argv: string[]): Promise<number> {
  try {
    if (argv[0] !== "image") {
      err(`the simulated docker runs only docker image commands, not: docker ${argv.join(" ")}`);
      return 125;
    }
    image(argv.slice(1));
    return 0;
  } catch (e) {
    if (e instanceof Exit) return e.code;
    throw e;
  }
}
