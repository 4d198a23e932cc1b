import { createHash, X509Certificate } from "node:crypto";
import { accessSync, constants, readFileSync } from "node:fs";
import { requireApp, takeFormat, type Command } from "../context.js";
import { bashPluginReport, fail, info1, verbose } from "../output.js";
import { readState, updateState, versionAtLeast, type SimApp } from "../state.js";

/** openssl's text date: `Oct  5 23:59:59 2019 GMT`. */
function opensslDate(unix: number): string {
  const d = new Date(unix * 1000);
  const mon = d.toLocaleString("en-US", { month: "short", timeZone: "UTC" });
  const t = d.toISOString().slice(11, 19);
  return `${mon} ${String(d.getUTCDate()).padStart(2, " ")} ${t} ${d.getUTCFullYear()} GMT`;
}

/** What certs:report says of an uploaded certificate, read as openssl would (null: unreadable). */
function uploaded(app: SimApp): { hostnames: string[]; expires: number; starts: number; issuer: string; subject: string; selfSigned: boolean } | null {
  if (!app.tls) return null;
  try {
    const c = new X509Certificate(app.tls.crt);
    const sans = (c.subjectAltName ?? "")
      .split(", ")
      .filter((s) => s.startsWith("DNS:"))
      .map((s) => s.slice(4));
    const cn = /CN=([^\n,]+)/.exec(c.subject)?.[1];
    // subject: fields joined by "; " (tests/unit/certs.bats, "preserves multi-field subject order");
    // issuer: the `Issuer:` line of `openssl x509 -text` (reportSSLIssuer in plugins/certs/report.go), OpenSSL 1.1+ spacing
    const oneLine = (dn: string) => dn.split("\n").join("; ");
    const issuerLine = (dn: string) =>
      dn
        .split("\n")
        .map((f) => f.replace("=", " = "))
        .join(", ");
    return {
      hostnames: [...new Set(sans.length > 0 ? sans : cn ? [cn] : [])].sort(),
      expires: Math.floor(Date.parse(c.validTo) / 1000),
      starts: Math.floor(Date.parse(c.validFrom) / 1000),
      issuer: issuerLine(c.issuer),
      subject: oneLine(c.subject),
      selfSigned: c.issuer === c.subject,
    };
  } catch {
    return null;
  }
}

/**
 * certs:report (header `ssl`): everything but dir and enabled is empty without a certificate.
 * `ssl-verified` is `self signed` whenever `openssl verify` does not say OK, an expired certificate
 * included (fn-ssl-verified in plugins/certs/internal-functions, reportSSLVerified in report.go).
 * An uploaded certificate (certs:add) wins over Let's Encrypt's, as both live in the app's tls folder.
 */
export const certsReport: Command = ({ args }) => {
  const { format, rest } = takeFormat(args);
  const [name, app] = requireApp(rest[0]);
  const own = uploaded(app);
  const le = readState().letsencrypt?.[name];
  const leHas = Boolean(le?.active && le.expiresAt);
  const has = Boolean(app.tls) || leHas;
  const exp = own?.expires ?? le?.expiresAt ?? 0;
  const fields: Array<[string, string]> = own
    ? [
        ["ssl-hostnames", own.hostnames.join(" ")],
        ["ssl-expires-at", opensslDate(own.expires)],
        ["ssl-issuer", own.issuer],
        ["ssl-starts-at", opensslDate(own.starts)],
        ["ssl-subject", own.subject],
        ["ssl-verified", own.selfSigned || exp * 1000 < Date.now() ? "self signed" : "verified by a certificate authority"],
      ]
    : [
        ["ssl-hostnames", leHas ? [...app.domains].sort().join(" ") : ""],
        ["ssl-expires-at", leHas ? opensslDate(exp) : ""],
        ["ssl-issuer", leHas ? "C=US, O=Let's Encrypt, CN=R11" : ""],
        ["ssl-starts-at", leHas ? opensslDate(exp - 90 * 86_400) : ""],
        ["ssl-subject", leHas ? `CN=${app.domains[0] ?? name}` : ""],
        ["ssl-verified", leHas ? (exp * 1000 > Date.now() ? "verified by a certificate authority" : "self signed") : ""],
      ];
  bashPluginReport(name, "ssl", "ssl", [["ssl-dir", `/home/dokku/${name}/tls`], ["ssl-enabled", String(has)], ...fields], format, versionAtLeast);
};

/**
 * What post-certs-update / post-domains-update print through nginx_build_config
 * (plugins/nginx-vhosts/functions) for a deployed app: one `Configuring` line per domain, the
 * scheme's nginx.conf, the reload. An app never deployed has no listeners and prints nothing.
 */
export function nginxRebuild(app: SimApp, ssl: boolean): void {
  if (!app.deployed) return;
  for (const d of [...new Set(app.domains)].sort()) info1(`Configuring ${d}...(using built-in template)`);
  info1(`Creating ${ssl ? "https" : "http"} nginx.conf`);
  verbose("Reloading nginx");
}

/**
 * certs:add APP CRT KEY (plugins/certs/subcommands/add): both paths given and readable, else the
 * tar-on-stdin form, which the simulator does not take. fn-certs-set copies the pair without
 * checking it (plugins/certs/internal-functions) and prints nothing itself.
 */
const add: Command = ({ args }) => {
  const [name] = requireApp(args[0]);
  const [crt, key] = args.slice(1);
  if (!crt || !key) fail("Tar archive containing server.crt and server.key expected on stdin");
  const readable = (f: string) => {
    try {
      accessSync(f, constants.R_OK);
      return true;
    } catch {
      return false;
    }
  };
  if (!readable(crt)) fail("CRT file specified not found, please check file paths");
  if (!readable(key)) fail("KEY file specified not found, please check file paths");
  const tls = { crt: readFileSync(crt, "utf8"), keySha256: createHash("sha256").update(readFileSync(key)).digest("hex") };
  const app = updateState((s) => {
    s.apps[name]!.tls = tls;
    return s.apps[name]!;
  });
  nginxRebuild(app, true);
};

/** certs:remove APP (fn-certs-remove in plugins/certs/internal-functions). */
const remove: Command = ({ args }) => {
  const [name, app] = requireApp(args[0]);
  const le = readState().letsencrypt?.[name];
  if (!app.tls && !le?.active) fail("An app-specific SSL endpoint is not defined");
  info1(`Removing SSL endpoint from ${name}`);
  const after = updateState((s) => {
    delete s.apps[name]!.tls;
    if (s.letsencrypt?.[name]) s.letsencrypt[name]!.active = false;
    return s.apps[name]!;
  });
  nginxRebuild(after, false);
};

export const certsCommands: Record<string, Command> = { "certs:report": certsReport, "certs:add": add, "certs:remove": remove };
