import { requireApp, type Command } from "../context.js";
import { Exit, bashReport, err, fail, info1, info2, out, verbose } from "../output.js";
import { readState, updateState } from "../state.js";
import { nginxRebuild } from "./certs.js";

/**
 * dokku-letsencrypt (0.20.4 in the demo). Its commands exist only while the plugin is installed;
 * a plugin older than 0.10.0 has `letsencrypt:ls` instead of `letsencrypt:list`.
 */
const GRACE = 30 * 86_400;

/**
 * fn-letsencrypt-format-timediff (internal-functions of dokku/dokku-letsencrypt): `Nd, Nh, Nm, Ns`
 * with the zero parts left out, ` ago` after a time in the past.
 */
export function duration(seconds: number): string {
  const s = Math.abs(seconds);
  const parts = [
    [Math.floor(s / 86_400), "d"],
    [Math.floor((s % 86_400) / 3600), "h"],
    [Math.floor((s % 3600) / 60), "m"],
    [s % 60, "s"],
  ] as const;
  const text = parts
    .filter(([n]) => n > 0)
    .map(([n, u]) => `${n}${u}`)
    .join(", ");
  return seconds < 0 ? `${text} ago` : text;
}

function localDate(unix: number): string {
  const d = new Date(unix * 1000);
  const p = (n: number) => String(n).padStart(2, "0");
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())} ${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}`;
}

const list: Command = ({ flags }) => {
  const now = Math.floor(Date.now() / 1000);
  if (!flags.quiet)
    out(
      `${"----->".padEnd(6)} ${"App name".padEnd(18)} ${"Certificate Expiry".padEnd(25)} ${"Time before expiry".padEnd(25)} ${"Time before renewal".padEnd(25)}`,
    );
  const rows = Object.entries(readState().letsencrypt ?? {})
    .filter(([, c]) => c.active && c.expiresAt)
    .sort(([, a], [, b]) => a.expiresAt! - b.expiresAt!);
  for (const [app, c] of rows) {
    const left = c.expiresAt! - now;
    out(`${app.padEnd(25)} ${localDate(c.expiresAt!).padEnd(25)} ${duration(left).padEnd(25)} ${duration(left - GRACE).padEnd(25)}`);
  }
};

const set: Command = ({ args }) => {
  const [name] = requireApp(args[0]);
  const [key, value] = args.slice(1);
  if (key !== "email" && key !== "server" && key !== "graceperiod" && key !== "dns-provider") fail("Invalid key specified");
  updateState((s) => {
    s.letsencrypt ??= {};
    const c = (s.letsencrypt[name] ??= { active: false });
    if (key === "email") {
      if (value) c.email = value;
      else delete c.email;
    }
    if (key === "dns-provider") {
      if (value) c.dnsProvider = value;
      else delete c.dnsProvider;
    }
  });
  info1(value ? `Setting ${key} to ${value}` : `Unsetting ${key}`);
};

function enableApp(name: string): void {
  const state = readState();
  const app = state.apps[name]!;
  const cert = state.letsencrypt?.[name];
  info2(`Enabling letsencrypt for ${name}`);
  if (app.domains.length === 0) fail(`No domains detected for ${name}`);
  if (!cert?.email) {
    err(" !     ERROR: Cannot request a certificate without an e-mail address!");
    err(" !       please provide your e-mail address using");
    err(` !       dokku letsencrypt:set ${name} email <e-mail>`);
    fail("Failed to setup letsencrypt");
  }
  info1(`Enabling ACME proxy for ${name}...`);
  verbose("Reloading nginx");
  info1(`Getting letsencrypt certificate for ${name} via HTTP-01`);
  for (const d of app.domains) verbose(`- Domain '${d}'`);
  verbose(`[INFO] [${app.domains[0]}] acme: Obtaining bundled SAN certificate`);
  // A domain under .invalid never resolves here: lego fails, its lines are all the plugin prints on
  // stdout before `Certificate retrieval failed!` (fn-letsencrypt-acme-execute-challenge), exit 1.
  // lego over HTTP-01 cannot prove a wildcard: the ACME server refuses the order
  const wildcard = cert?.dnsProvider ? undefined : app.domains.find((d) => d.startsWith("*."));
  if (wildcard) {
    verbose("Could not obtain certificates:");
    verbose(
      `\tacme: error: 400 :: POST :: https://acme-v02.api.letsencrypt.org/acme/new-order :: urn:ietf:params:acme:error:rejectedIdentifier :: Error creating new order :: Cannot issue for "${wildcard}": Wildcard domain names are not supported for HTTP-01`,
    );
    info1(`Disabling ACME proxy for ${name}...`);
    info1("Certificate retrieval failed!");
    throw new Exit(1);
  }
  const unreachable = app.domains.find((d) => d.endsWith(".invalid"));
  if (unreachable) {
    verbose("Could not obtain certificates:");
    verbose(`\terror: one or more domains had a problem:`);
    verbose(`[${unreachable}] acme: error: 400 :: urn:ietf:params:acme:error:dns :: DNS problem: NXDOMAIN looking up A for ${unreachable}`);
    info1(`Disabling ACME proxy for ${name}...`);
    info1("Certificate retrieval failed!");
    throw new Exit(1);
  }
  info1("Certificate retrieved successfully.");
  info1("Installing let's encrypt certificates");
  verbose("Reloading nginx");
  info1(`Disabling ACME proxy for ${name}...`);
  updateState((s) => {
    s.letsencrypt ??= {};
    const c = (s.letsencrypt[name] ??= { active: false });
    c.active = true;
    c.expiresAt = Math.floor(Date.now() / 1000) + 90 * 86_400;
  });
  info1("Done");
}

const enable: Command = ({ args }) => {
  const [name] = requireApp(args.find((a) => !a.startsWith("-")));
  enableApp(name);
};

const autoRenew: Command = ({ args }) => {
  const [name] = requireApp(args[0]);
  const cert = readState().letsencrypt?.[name];
  if (!cert?.active || !cert.expiresAt) return info1(`Letsencrypt not enabled for ${name}`);
  const untilRenewal = cert.expiresAt - GRACE - Math.floor(Date.now() / 1000);
  if (untilRenewal > 0) return verbose(`${name} still has ${duration(untilRenewal)} left before renewal`);
  info2(`Auto-renew ${name}...`);
  enableApp(name);
};

/** letsencrypt:report APP (bash, text): the plugin's properties for one app (plugin 0.20.x keys). */
const report: Command = ({ args }) => {
  const [name] = requireApp(args.find((a) => !a.startsWith("--")));
  const c = readState().letsencrypt?.[name];
  bashReport(`${name} letsencrypt information`, [
    ["letsencrypt-active", String(Boolean(c?.active))],
    ["letsencrypt-autorenew", String(Boolean(c?.active))],
    ["letsencrypt-computed-email", c?.email ?? ""],
    ["letsencrypt-global-email", ""],
    ["letsencrypt-email", c?.email ?? ""],
    ["letsencrypt-computed-graceperiod", String(GRACE)],
    ["letsencrypt-expiration", String(c?.expiresAt ?? 0)],
    // dns-provider rows (0.25.0+), shown here once one was set
    ...(c?.dnsProvider
      ? ([
          ["letsencrypt-computed-dns-provider", c.dnsProvider],
          ["letsencrypt-dns-provider", c.dnsProvider],
        ] as Array<[string, string]>)
      : []),
  ]);
};

/**
 * letsencrypt:disable APP (cmd-letsencrypt-disable in command-functions of dokku/dokku-letsencrypt):
 * removes the Let's Encrypt files and the app's tls folder, whatever put a certificate there.
 */
const disable: Command = ({ args }) => {
  const [name] = requireApp(args[0]);
  info1("Disabling letsencrypt for app");
  verbose(`Removing letsencrypt files for ${name}`);
  verbose(`Removing SSL endpoint from ${name}`);
  const app = updateState((s) => {
    if (s.letsencrypt?.[name]) s.letsencrypt[name]!.active = false;
    delete s.apps[name]!.tls;
    return s.apps[name]!;
  });
  nginxRebuild(app, false);
  info1("Done");
};

/**
 * letsencrypt:cleanup APP (cmd-letsencrypt-cleanup): without a `current` certificate folder it
 * warns and returns 1; otherwise it names the current config hash and each stale folder it removes.
 */
const cleanup: Command = ({ args }) => {
  const [name] = requireApp(args[0]);
  const c = readState().letsencrypt?.[name];
  if (!c?.active) {
    err(" !     Cannot resolve the 'current' certificate directory!");
    throw new Exit(1);
  }
  info2(`Cleaning up stale certificate directories for ${name}`);
  info1("  - current config hash 1f0c3e5a9b7d2468");
};

export function letsencryptCommand(name: string): Command | undefined {
  if (!name.startsWith("letsencrypt:")) return undefined;
  const plugin = readState().plugins?.letsencrypt;
  if (!plugin?.enabled) return undefined;
  // subcommands/ls until 0.10.0 (then list), report from 0.16.0, set from 0.20.0 (git history of dokku/dokku-letsencrypt)
  const [major = 0, minor = 0] = plugin.version.split(".").map(Number);
  const since = (m: number) => major > 0 || minor >= m;
  const commands: Record<string, Command> = {
    [since(10) ? "letsencrypt:list" : "letsencrypt:ls"]: list,
    "letsencrypt:enable": enable,
    "letsencrypt:auto-renew": autoRenew,
    // cleanup is in the `commands` of 0.8.0 already, disable since 2016: every version the tab supports
    "letsencrypt:disable": disable,
    "letsencrypt:cleanup": cleanup,
    ...(since(16) ? { "letsencrypt:report": report } : {}),
    ...(since(20) ? { "letsencrypt:set": set } : {}),
  };
  return commands[name];
}
