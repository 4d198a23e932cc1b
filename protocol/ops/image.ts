import { z } from "zod";
import { appName } from "../names.js";
import { change, DEPLOYED } from "./spec.js";

/**
 * Deploying an app from a Docker image (`git:from-image`, cmd-git-from-image in
 * plugins/git/internal-functions of dokku/dokku) and the registry credentials it pulls with
 * (`registry:login`, plugins/registry). Dokku writes the image into a Dockerfile (`FROM IMAGE`,
 * trigger-git-git-from-image in plugins/git/git-from-image), so the image is held to Docker's
 * reference form: one line, nothing a Dockerfile would read as more.
 */

/** Per-app registry logins (`registry:login APP SERVER USER`) arrived in 0.38.0 (plugins/registry/src/subcommands/subcommands.go). */
export const REGISTRY_APP_LOGIN_SINCE = "0.38.0";

const IMAGE = "an image is a Docker reference: [registry[:port]/]name[:tag][@sha256:digest], lowercase name";
/** A Docker image reference (distribution/reference's grammar, without its rarely used forms). */
export const dockerImage = z
  .string()
  .max(512, IMAGE)
  .regex(
    /^(?:[A-Za-z0-9](?:[A-Za-z0-9.-]*[A-Za-z0-9])?(?::\d{1,5})?\/)?[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*(?:\/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)*(?::[A-Za-z0-9_][A-Za-z0-9_.-]{0,127})?(?:@sha256:[a-f0-9]{64})?$/,
    IMAGE,
  );

/** A registry server as `docker login` takes it: a host name with an optional port (docker.io, ghcr.io, registry.example.com:5000). */
export const registryServer = z
  .string()
  .max(253, "a registry server is at most 253 characters")
  .regex(/^[A-Za-z0-9](?:[A-Za-z0-9.-]*[A-Za-z0-9])?(?::\d{1,5})?$/, "a registry server is a host name, optionally :port");

/** A registry user name: printable, no spaces, not an option. */
export const registryUser = z
  .string()
  .min(1)
  .max(255, "a user name is at most 255 characters")
  .regex(/^[^\s\p{Cc}-][^\s\p{Cc}]*$/u, "a user name holds no spaces or control characters and does not start with '-'");

/**
 * A registry password or token: one line (Dokku reads stdin whole and trims it, CommandLogin in
 * plugins/registry/subcommands.go). A secret: it travels to the host on the command's stdin, never in argv.
 */
export const registryPassword = z
  .string()
  .min(1, "give the password or token")
  .max(4096, "a password is at most 4096 characters")
  .refine((p) => !/[\r\n]/.test(p), "a password is one line")
  .refine((p) => !/\p{Cc}/u.test(p), "a password holds no control characters")
  .refine((p) => p.trim() === p, "a password has no spaces at either end (Dokku would trim them)");

const login = { server: registryServer, username: registryUser, password: registryPassword };

export const imageOps = {
  /** `git:from-image APP IMAGE`: pull the image (with the app's or the host's registry login) and deploy it. */
  "git.fromImage": change({
    access: { scope: "app", area: "deploy" },
    title: "Deploy {app} from an image",
    args: z.object({ app: appName, image: dockerImage }).strict(),
    timeoutMs: 1_800_000,
    streams: true,
    invalidates: DEPLOYED,
    deploys: true,
  }),
  /** `registry:login --password-stdin APP SERVER USER` (0.38.0+): credentials only this app's pulls use. */
  "registry.login": change({
    access: { scope: "app", area: "deploy" },
    title: (a: { app: string; server: string }) => `Log ${a.app} in to ${a.server}`,
    args: z.object({ app: appName, ...login }).strict(),
    timeoutMs: 120_000,
    streams: false,
    invalidates: ["deploy.report"],
  }),
  /**
   * `registry:login [--global] --password-stdin SERVER USER`: the host's own Docker credentials,
   * which every app's pulls use: host-root.
   */
  "registry.loginGlobal": change({
    access: { scope: "host", area: "deploy", hostRoot: true },
    title: (a: { server: string }) => `Log the host in to ${a.server}`,
    args: z.object(login).strict(),
    timeoutMs: 120_000,
    streams: false,
    invalidates: ["deploy.report"],
  }),
} as const;
