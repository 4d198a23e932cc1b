import { REGISTRY_APP_LOGIN_SINCE } from "../../protocol/ops/image.js";
import { commandResult } from "../dokku/output.js";
import { requireSince } from "../dokku/since.js";
import { versionAtLeast } from "../dokku/version.js";
import { flag } from "../process/argv-guard.js";
import { MASK, type Redaction } from "../process/redact.js";
import type { CatalogEntry } from "./types.js";

/**
 * `git:from-image APP IMAGE` (cmd-git-from-image in plugins/git/internal-functions of dokku/dokku):
 * "Generating build context", "Pulling image" (or "Image exists on host, skipping pull"), then the
 * build and deploy of git-from-directory, streamed. A failed pull is "Failed to pull image: IMAGE".
 */
export const gitFromImage: CatalogEntry<"git.fromImage"> = {
  async run(ctx, { app, image }) {
    return commandResult(await ctx.dokku(["git:from-image", app, image]), app);
  },
};

/**
 * A login's answer: Dokku says success as a warning (LogWarn "Login Succeeded for …"), which is
 * the outcome, not a problem: it joins the output.
 */
function loggedIn(r: { output: string; warning?: string }): { output: string; warning?: string } {
  if (!r.warning || !/^Login Succeeded\b/.test(r.warning)) return r;
  return { output: `${r.output}${r.warning}\n` };
}

/** The password wherever a command might echo it (docker login's errors), on top of the baseline. */
const passwordRedaction = (password: string): Redaction => ({ output: (t) => t.split(password).join(MASK) });

/**
 * `registry:login --password-stdin …` (CommandLogin in plugins/registry/subcommands.go): Dokku
 * reads the password from stdin, trims it and hands it to `docker login --password-stdin`; success
 * is a ` !     Login Succeeded for APP` (or "for global registry") warning on stderr, which the page
 * shows as the outcome, not as a problem. The password never enters argv, so neither `ps` on the
 * host nor history sees it.
 */
export const registryLogin: CatalogEntry<"registry.login"> = {
  async run(ctx, { app, server, username, password }) {
    requireSince(ctx, "registry:login APP", REGISTRY_APP_LOGIN_SINCE);
    const res = await ctx.dokku(["registry:login", flag("--password-stdin"), app, server, username], {
      stdin: `${password}\n`,
      redact: passwordRedaction(password),
    });
    return loggedIn(commandResult(res, app));
  },
};

/** Host-wide: `--global` from 0.38.0 (before it, two operands were the only form and were global). */
export const registryLoginGlobal: CatalogEntry<"registry.loginGlobal"> = {
  async run(ctx, { server, username, password }) {
    const global = ctx.dokkuVersion !== null && versionAtLeast(ctx.dokkuVersion, REGISTRY_APP_LOGIN_SINCE) ? [flag("--global")] : [];
    const res = await ctx.dokku(["registry:login", ...global, flag("--password-stdin"), server, username], {
      stdin: `${password}\n`,
      redact: passwordRedaction(password),
    });
    return loggedIn(commandResult(res));
  },
};
