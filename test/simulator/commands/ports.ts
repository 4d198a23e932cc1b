import { endOfOptions, requireApp, takeFormat, type Command } from "../context.js";
import { fail, goPluginReport, out } from "../output.js";
import { readState, updateState, versionAtLeast, type SimApp } from "../state.js";
import { rebuildProxy } from "./domains.js";

/**
 * The ports plugin (Go, Dokku 0.31+; before that the commands do not exist). Mappings are
 * `scheme:host-port:container-port`; Dokku detects `http:80:5000` for a buildpack app (and
 * `https:443:5000` once it has a certificate) until mappings are set.
 */
function detected(name: string, app: SimApp): string[] {
  if (!app.deployed) return [];
  return readState().letsencrypt?.[name]?.active ? ["http:80:5000", "https:443:5000"] : ["http:80:5000"];
}

/** parsePortMapString: each word is `scheme:host:container` with ports in 1..65535, or a bare host port. */
function parseMaps(words: string[]): Array<{ scheme: string; host: number; container: number | null; text: string }> {
  return words.map((v) => {
    const parts = v.split(":");
    if (parts.length === 1) {
      const host = Number(v);
      if (!/^\d+$/.test(v)) fail(`Invalid port map ${v} [err=strconv.Atoi: parsing "${v}": invalid syntax]`);
      if (!(host > 0 && host < 65536)) fail(`Invalid port map ${v} [hostPort=${host}]`);
      return { scheme: "__internal__", host, container: null, text: v };
    }
    if (parts.length !== 3) fail(`Invalid port map ${v} [len=${parts.length}]`);
    const [scheme, h, c] = parts as [string, string, string];
    for (const p of [h, c]) if (!/^-?\d+$/.test(p)) fail(`Invalid port map ${v} [err=strconv.Atoi: parsing "${p}": invalid syntax]`);
    if (!(Number(h) > 0 && Number(h) < 65536)) fail(`Invalid port map ${v} [hostPort=${Number(h)}]`);
    if (!(Number(c) > 0 && Number(c) < 65536)) fail(`Invalid port map ${v} [containerPort=${Number(c)}]`);
    return { scheme, host: Number(h), container: Number(c), text: `${scheme}:${Number(h)}:${Number(c)}` };
  });
}

export const portsReport: Command = ({ args }) => {
  const { format, rest } = takeFormat(args);
  const [name, app] = requireApp(rest[0]);
  const fields: Array<[string, string]> = [
    ["ports-map", (app.ports ?? []).join(" ")],
    ["ports-map-detected", detected(name, app).join(" ")],
  ];
  goPluginReport(name, "ports", "ports", fields, format, versionAtLeast);
};

/** ports:add APP [--] MAP…: the proxy is rebuilt. */
export const portsAdd: Command = ({ args: all }) => {
  const args = endOfOptions(all).flat();
  const [name] = requireApp(args[0]);
  if (args.length < 2) fail("No port mapping specified");
  const maps = parseMaps(args.slice(1)).filter((m) => m.container !== null);
  updateState((s) => {
    const app = s.apps[name]!;
    app.ports = [...new Set([...(app.ports ?? []), ...maps.map((m) => m.text)])].sort();
  });
  rebuildProxy(name);
};

/** ports:remove APP [--] MAP|HOST-PORT…: the proxy is rebuilt. */
export const portsRemove: Command = ({ args: all }) => {
  const args = endOfOptions(all).flat();
  const [name] = requireApp(args[0]);
  if (args.length < 2) fail("No port mapping specified");
  const maps = parseMaps(args.slice(1));
  const byText = new Set(maps.filter((m) => m.container !== null).map((m) => m.text));
  const byHost = new Set(maps.filter((m) => m.container === null).map((m) => m.host));
  updateState((s) => {
    const app = s.apps[name]!;
    app.ports = (app.ports ?? []).filter((p) => !byText.has(p) && !byHost.has(Number(p.split(":")[1])));
  });
  rebuildProxy(name);
};

export const portsList: Command = ({ args }) => {
  const [name, app] = requireApp(args[0]);
  if (!app.ports?.length) fail("No port mappings configured for app");
  out(`-----> Port mappings for ${name}`);
  const rows = [["-----> scheme", "host port", "container port"], ...app.ports.map((p) => p.split(":"))];
  const widths = [0, 1, 2].map((i) => Math.max(...rows.map((r) => r[i]!.length)));
  for (const r of rows) out(`    ${r.map((c, i) => (i < 2 ? c.padEnd(widths[i]!) : c)).join("  ")}`);
};

const portsCommands: Record<string, Command> = {
  "ports:report": portsReport,
  "ports:add": portsAdd,
  "ports:remove": portsRemove,
  "ports:list": portsList,
};

/** The ports plugin arrived in Dokku 0.31.0: before that its commands are not dokku commands. */
export function portsCommand(name: string): Command | undefined {
  return versionAtLeast("0.31.0") ? portsCommands[name] : undefined;
}
