import { requireApp, takeFormat, type Command } from "../context.js";
import { bashPluginReport, fail, goPluginReport, info1, info2, verbose, warn } from "../output.js";
import { updateState, versionAtLeast, type SimApp } from "../state.js";
import { rebuildProxy } from "./domains.js";
import { deploy } from "./ps.js";

/**
 * The proxy plugin (Go: plugins/proxy/{report,subcommands,proxy}.go of dokku/dokku) and the nginx
 * commands of plugins/nginx-vhosts (bash `subcommands/set`, `command-functions` for nginx:report
 * before 0.38.22 and nginx:reload from 0.38.0; report.go from 0.38.22). Before 0.38.0 the proxy's
 * state lives in config vars (DOKKU_DISABLE_PROXY, DOKKU_APP_PROXY_TYPE, written by config.SetMany,
 * which prints them); from 0.38.0 in the proxy plugin's properties.
 */

const PROPS_SINCE = "0.38.0";

function proxyState(app: SimApp): { disabled: boolean; type: string } {
  if (versionAtLeast(PROPS_SINCE)) return { disabled: app.settings?.proxyDisabled === true, type: app.settings?.proxyType ?? "" };
  return { disabled: (app.config.DOKKU_DISABLE_PROXY ?? "") !== "", type: app.config.DOKKU_APP_PROXY_TYPE ?? "" };
}

/** ReportSingleApp in plugins/proxy/report.go: four fields through 0.38.7, twelve from 0.38.8. */
export const proxyReport: Command = ({ args }) => {
  const { format, rest } = takeFormat(args);
  const [name, app] = requireApp(rest[0]);
  const { disabled, type } = proxyState(app);
  // 0.35: reportComputedType checks the global type (default nginx) first, so it is always the global one
  const computed = versionAtLeast(PROPS_SINCE) ? type || "nginx" : "nginx";
  const fields: Array<[string, string]> = [
    ["proxy-enabled", String(!disabled)],
    ["proxy-computed-type", computed],
    ["proxy-global-type", versionAtLeast(PROPS_SINCE) ? "" : "nginx"],
    ["proxy-type", type],
  ];
  if (versionAtLeast("0.38.8")) {
    fields.push(
      ["proxy-computed-disabled", String(disabled)],
      ["proxy-disabled", disabled ? "true" : ""],
      ["proxy-computed-proxy-port", ""],
      ["proxy-computed-proxy-ssl-port", ""],
      ["proxy-global-proxy-port", ""],
      ["proxy-global-proxy-ssl-port", ""],
      ["proxy-proxy-port", ""],
      ["proxy-proxy-ssl-port", ""],
    );
  }
  goPluginReport(name, "proxy", "proxy", fields, format, versionAtLeast);
};

function setConfigVar(name: string, key: string, value: string | null): void {
  updateState((s) => {
    const env = s.apps[name]!.config;
    if (value === null) delete env[key];
    else env[key] = value;
  });
  if (value !== null) {
    info1("Setting config vars");
    verbose(`${key}:  ${value}`);
  }
}

function setDisabled(name: string, disabled: boolean): void {
  if (!versionAtLeast(PROPS_SINCE)) return setConfigVar(name, "DOKKU_DISABLE_PROXY", disabled ? "1" : null);
  updateState((s) => {
    const a = s.apps[name]!;
    a.settings = { ...a.settings, proxyDisabled: disabled };
  });
}

/** Enable/Disable in plugins/proxy/proxy.go; the nginx proxy-enable/proxy-disable triggers restart the app. */
function toggle(disable: boolean): Command {
  return async ({ args }) => {
    const [name, app] = requireApp(args.find((a) => !a.startsWith("--")));
    if (proxyState(app).disabled === disable) return info1(disable ? "Proxy is already disable for app" : "Proxy is already enabled for app");
    info1(disable ? "Disabling proxy for app" : "Enabling proxy for app");
    setDisabled(name, disable);
    if (app.deployed) await deploy(name, app);
  };
}

/** CommandSet: 0.35 `proxy:set APP TYPE` writes DOKKU_APP_PROXY_TYPE; 0.38 sets the `type` property. */
export const proxySet: Command = ({ args }) => {
  const [name] = requireApp(args[0]);
  const type = args[1] ?? "";
  if (type.length < 2) fail("Please specify a proxy type");
  if (type.includes(":")) {
    warn("Detected potential port mapping instead of proxy type");
    fail("Consider using ports:set command or specifying a valid proxy");
  }
  if (!versionAtLeast(PROPS_SINCE)) return setConfigVar(name, "DOKKU_APP_PROXY_TYPE", type);
  info2(`Setting type to ${type}`);
  updateState((s) => {
    const a = s.apps[name]!;
    a.settings = { ...a.settings, proxyType: type };
  });
};

export const proxyBuildConfig: Command = ({ args }) => {
  const [name] = requireApp(args.find((a) => !a.startsWith("--")));
  rebuildProxy(name);
};

/** nginx:set's VALID_KEYS (all of them GLOBAL_KEYS too), in its order; 0.38 adds two. */
function validKeys(): string[] {
  const keys = [
    "access-log-format",
    "access-log-path",
    "bind-address-ipv4",
    "bind-address-ipv6",
    "client-body-timeout",
    "client-header-timeout",
    "client-max-body-size",
    "disable-custom-config",
    "error-log-path",
    "hsts",
    "hsts-include-subdomains",
    "hsts-preload",
    "hsts-max-age",
    "keepalive-timeout",
    "lingering-timeout",
    "nginx-conf-sigil-path",
  ];
  const more = [
    "proxy-buffer-size",
    "proxy-buffering",
    "proxy-buffers",
    "proxy-busy-buffers-size",
    "proxy-connect-timeout",
    "proxy-read-timeout",
    "proxy-send-timeout",
  ];
  const tail = ["send-timeout", "underscore-in-headers", "x-forwarded-for-value", "x-forwarded-port-value", "x-forwarded-proto-value", "x-forwarded-ssl"];
  return versionAtLeast(PROPS_SINCE) ? [...keys, "nginx-service-command", ...more, "proxy-keepalive", ...tail] : [...keys, ...more, ...tail];
}

/** cmd-nginx-set: never verifies the app for these keys (all global), so a missing app is written anyway. */
export const nginxSet: Command = ({ args }) => {
  const [name, key, value] = args;
  if (!key) fail("No key specified");
  if (!validKeys().includes(key)) fail(`Invalid key specified, valid keys include: ${validKeys().join(", ")}`);
  updateState((s) => {
    const a = s.apps[name ?? ""];
    if (!a) return;
    const nginx = { ...a.settings?.nginx };
    if (value) nginx[key] = value;
    else delete nginx[key];
    a.settings = { ...a.settings, nginx };
  });
  info2(value ? `Setting ${key} to ${value}` : `Unsetting ${key}`);
};

/** PropertyGetDefault defaults in plugins/nginx-vhosts/nginx_vhosts.go (and the bash fn-nginx-* of 0.35). */
function globalDefault(key: string, app: string): string {
  const defaults: Record<string, string> = {
    "access-log-path": `/var/log/nginx/${app}-access.log`,
    "error-log-path": `/var/log/nginx/${app}-error.log`,
    "bind-address-ipv6": "::",
    "client-body-timeout": "60s",
    "client-header-timeout": "60s",
    "client-max-body-size": "1m",
    "disable-custom-config": "false",
    "hsts-include-subdomains": "true",
    "hsts-max-age": "15724800",
    "hsts-preload": "false",
    hsts: "true",
    "keepalive-timeout": "75s",
    "lingering-timeout": "5s",
    "nginx-conf-sigil-path": "nginx.conf.sigil",
    "proxy-buffer-size": "4k",
    "proxy-buffering": "on",
    "proxy-buffers": "8 4k",
    "proxy-busy-buffers-size": "8k",
    "proxy-connect-timeout": "60s",
    "proxy-read-timeout": "60s",
    "proxy-send-timeout": "60s",
    "send-timeout": "60s",
    "underscore-in-headers": "off",
    "x-forwarded-for-value": "$remote_addr",
    "x-forwarded-port-value": "$server_port",
    "x-forwarded-proto-value": "$scheme",
  };
  return defaults[key] ?? "";
}

/** GLOBAL_KEYS: the report's order (hsts-include-subdomains, -max-age, -preload, then hsts). */
function reportKeys(): string[] {
  const hsts = ["hsts-include-subdomains", "hsts-max-age", "hsts-preload", "hsts"];
  const keys = validKeys().filter((k) => !hsts.includes(k));
  keys.splice(keys.indexOf("keepalive-timeout"), 0, ...hsts);
  return keys;
}

/** The report's keys in the bash flag_map's order: app, computed, global per property; last-visited-at after hsts. */
export const nginxReport: Command = ({ args }) => {
  const { format, rest } = takeFormat(args);
  const [name, app] = requireApp(rest[0]);
  const own = app.settings?.nginx ?? {};
  const fields: Array<[string, string]> = [];
  for (const key of reportKeys()) {
    fields.push(
      [`nginx-${key}`, own[key] ?? ""],
      [`nginx-computed-${key}`, own[key] ?? globalDefault(key, name)],
      [`nginx-global-${key}`, globalDefault(key, name)],
    );
    if (key === "hsts") fields.push(["nginx-last-visited-at", ""]);
  }
  // The Go report (0.38.22+) trims the prefix in JSON and emits no legacy keys
  if (format === "json" && versionAtLeast("0.38.22")) {
    return void process.stdout.write(
      `${JSON.stringify(Object.fromEntries(fields.map(([k, v]) => [k.slice("nginx-".length), v]).sort(([a], [b]) => (a! < b! ? -1 : 1))))}\n`,
    );
  }
  bashPluginReport(name, "nginx", "nginx", fields, format, versionAtLeast);
};

/** cmd-nginx-reload (0.38.0+): `nginx -t` quietly, then the init system's reload (silent when it works). */
export const nginxReload: Command = () => {};

const proxyCommands: Record<string, Command> = {
  "proxy:report": proxyReport,
  "proxy:enable": toggle(false),
  "proxy:disable": toggle(true),
  "proxy:set": proxySet,
  "proxy:build-config": proxyBuildConfig,
  "nginx:set": nginxSet,
  "nginx:report": nginxReport,
};

/** The proxy and nginx commands; nginx:reload only from 0.38.0 (before it, "not a dokku command"). */
export function proxyCommand(name: string): Command | undefined {
  if (name === "nginx:reload") return versionAtLeast("0.38.0") ? nginxReload : undefined;
  return proxyCommands[name];
}
