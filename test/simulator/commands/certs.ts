import { requireApp, takeFormat, type Command } from "../context.js";
import { bashPluginReport } from "../output.js";
import { readState, versionAtLeast } from "../state.js";

/** openssl's text date: `Oct  5 23:59:59 2019 GMT`. */
function opensslDate(unix: number): string {
  const d = new Date(unix * 1000);
  const mon = d.toLocaleString("en-US", { month: "short", timeZone: "UTC" });
  const t = d.toISOString().slice(11, 19);
  return `${mon} ${String(d.getUTCDate()).padStart(2, " ")} ${t} ${d.getUTCFullYear()} GMT`;
}

/**
 * certs:report (header `ssl`): everything but dir and enabled is empty without a certificate.
 * `ssl-verified` is `self signed` whenever `openssl verify` does not say OK, an expired certificate
 * included (fn-ssl-verified in plugins/certs/internal-functions, reportSSLVerified in report.go).
 */
export const certsReport: Command = ({ args }) => {
  const { format, rest } = takeFormat(args);
  const [name, app] = requireApp(rest[0]);
  const le = readState().letsencrypt?.[name];
  const has = Boolean(le?.active && le.expiresAt);
  const exp = le?.expiresAt ?? 0;
  bashPluginReport(
    name,
    "ssl",
    "ssl",
    [
      ["ssl-dir", `/home/dokku/${name}/tls`],
      ["ssl-enabled", String(has)],
      ["ssl-hostnames", has ? [...app.domains].sort().join(" ") : ""],
      ["ssl-expires-at", has ? opensslDate(exp) : ""],
      ["ssl-issuer", has ? "C=US, O=Let's Encrypt, CN=R11" : ""],
      ["ssl-starts-at", has ? opensslDate(exp - 90 * 86_400) : ""],
      ["ssl-subject", has ? `CN=${app.domains[0] ?? name}` : ""],
      ["ssl-verified", has ? (exp * 1000 > Date.now() ? "verified by a certificate authority" : "self signed") : ""],
    ],
    format,
    versionAtLeast,
  );
};

export const certsCommands: Record<string, Command> = { "certs:report": certsReport };
