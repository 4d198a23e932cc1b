import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { requireApp, type Command } from "../context.js";
import { err, Exit, fail, info1, out, sleep, stepMs, verbose, warn } from "../output.js";
import { readState, updateState, versionAtLeast, type SimApp } from "../state.js";
import { imageIdOf, normalRef } from "./docker.js";
import { deploy } from "./ps.js";

/**
 * git:from-image and registry:login (dokku/dokku). git:from-image: cmd-git-from-image in
 * plugins/git/internal-functions and trigger-git-git-from-image in plugins/git/git-from-image
 * ("Generating build context", "Pulling image", "Failed to pull image: IMAGE"), then the Dockerfile
 * build and deploy of git-from-directory. An image on a registry host starting with `private.`
 * needs a login for that server (the app's from 0.38.0, else the host's), as a private registry
 * does; an image named `…missing…` does not exist. registry:login: pflag (`--password-stdin`,
 * `--global` from 0.38.0), the password from stdin trimmed (CommandLogin in
 * plugins/registry/subcommands.go), "Login Succeeded for APP|global registry" as a warning; the
 * password `wrong` is refused as a registry would. The state keeps the password's sha256 only.
 */

const sha256 = (s: string) => createHash("sha256").update(s).digest("hex");

/** pflag's interspersed parsing: known boolean flags anywhere, the rest operands. */
function parse(args: string[], known: string[]): { flags: Set<string>; operands: string[] } {
  const flags = new Set<string>();
  const operands: string[] = [];
  for (const a of args) {
    if (a.startsWith("-")) {
      if (!known.includes(a)) {
        err(`unknown flag: ${a}`);
        throw new Exit(2);
      }
      flags.add(a);
    } else operands.push(a);
  }
  return { flags, operands };
}

const registryLogin: Command = ({ args }) => {
  const perApp = versionAtLeast("0.38.0");
  const { flags, operands } = parse(args, perApp ? ["--password-stdin", "--global"] : ["--password-stdin"]);
  const stdin = flags.has("--password-stdin");
  const global = flags.has("--global") || !perApp || operands.length === (stdin ? 2 : 3);
  if (perApp && !flags.has("--global") && global) warn("Deprecated: please use --global flag for global registry login");
  const [app, server, username, argPassword] = global ? [null, ...operands] : operands;
  const password = stdin ? readFileSync(0, "utf8").trim() : (argPassword ?? "");
  if (!server) fail("Missing server argument");
  if (!username) fail("Missing username argument");
  if (!password) fail("Missing password argument");
  if (app) requireApp(app);
  if (password === "wrong")
    fail(`Unable to run docker login: Error response from daemon: Get "https://${server}/v2/": unauthorized: incorrect username or password`);
  updateState((s) => {
    s.registryLogins = { ...s.registryLogins, [`${app ?? "--global"} ${server}`]: { username, passwordSha256: sha256(password) } };
  });
  // before 0.38 docker login's own output was streamed; from 0.38 Dokku says it (LogWarn)
  if (!perApp) return out("Login Succeeded");
  warn(app ? `Login Succeeded for ${app}` : "Login Succeeded for global registry");
};

const fromImage: Command = async ({ args }) => {
  const operands = args.filter((a) => a !== "--force");
  const [name, app] = requireApp(operands[0]);
  const image = operands[1];
  if (!image) fail("Please specify a docker image");
  info1("Generating build context");
  await sleep(stepMs());
  const ref = normalRef(image);
  const present = readState().images?.[ref] !== undefined;
  if (present && !args.includes("--force")) {
    info1("Image exists on host, skipping pull");
    return deployImage(name, app, image);
  }
  info1(present ? "Force pulling image" : "Pulling image");
  const server = image.includes("/") && /[.:]/.test(image.split("/")[0]!) ? image.split("/")[0]! : "docker.io";
  const logins = readState().registryLogins ?? {};
  const loggedIn = logins[`${name} ${server}`] ?? logins[`--global ${server}`];
  if (image.includes("missing") || (server.startsWith("private.") && !loggedIn)) {
    err(`Error response from daemon: pull access denied for ${image.split(":")[0]}, repository does not exist or may require 'docker login'`);
    fail(`Failed to pull image: ${image}`);
  }
  out(`${image.split(":")[1] ?? "latest"}: Pulling from ${image.split(":")[0]}`);
  out(`Digest: sha256:${sha256(image)}`);
  out(`Status: Downloaded newer image for ${image}`);
  updateState((s) => void (s.images = { ...s.images, [ref]: imageIdOf(ref) }));
  await deployImage(name, app, image);
};

/** The Dockerfile build and deploy of git-from-directory, for an image now on the host. */
async function deployImage(name: string, app: SimApp, image: string): Promise<void> {
  updateState((s) => {
    const a = s.apps[name]!;
    a.deploySource = "docker-image";
    a.deploySourceMetadata = image;
    a.deployed = true;
    a.config.DOKKU_APP_TYPE = "dockerfile";
    if (Object.keys(a.scale).length === 0) a.scale = { web: 1 };
  });
  info1("Cleaning up...");
  info1(`Building ${name} from Dockerfile`);
  verbose(`FROM ${image}`);
  info1(`Releasing ${name}...`);
  await deploy(name, readState().apps[name] ?? app);
}

export const imageCommands: Record<string, Command> = { "git:from-image": fromImage, "registry:login": registryLogin };
