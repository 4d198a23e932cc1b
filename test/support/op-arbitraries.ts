import fc from "fast-check";
import { BUILDERS, dbPlugin, PORT_SCHEMES } from "../../protocol/names.js";
import { PROXY_TYPES } from "../../protocol/ops/proxy.js";
import type { OpName } from "../../protocol/ops.js";
import { FLAGS } from "../../relay/process/argv-guard.js";
import { TEST_CERT, TEST_KEY } from "./tls-fixture.js";

/**
 * fast-check arbitraries of every op's arguments: each field drawn from its schema-valid space
 * most of the time and from hostile strings otherwise (leading `-`, spelled-out real flags,
 * `--x=y`, unicode look-alikes of `-`, NUL, any unicode). Keyed by op name, so an op added to the
 * catalog without arbitraries here does not typecheck.
 */

/** Strings an attacker would put where a value goes. */
export const hostile: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom(
    ...FLAGS,
    "--trace",
    "--app",
    "--global",
    "--build-if-changes",
    "-utouch@x:y",
    "--upload-pack=touch /tmp/pwned",
    "--index/2",
    "-x/y",
    "--force@example.com",
    "--x=y",
    "-\u0000",
    "a\u0000b",
    "\u2212x",
    "\uff0dx",
    "\u2010x",
    " -x",
    "",
  ),
  fc.string().map((s) => `-${s}`),
  fc.string().map((s) => `--${s}=y`),
  fc.string({ unit: "grapheme", maxLength: 20 }),
  fc.string({ unit: "binary", maxLength: 20 }),
);

/**
 * Mostly `valid`; else hostile, or a valid value made option-shaped (`-v`, `--v`): the form that
 * slips past a schema which checks the rest of the value but not its first character.
 */
const or = (valid: fc.Arbitrary<string>) =>
  fc.oneof(
    { weight: 3, arbitrary: valid },
    { weight: 1, arbitrary: hostile },
    { weight: 1, arbitrary: fc.tuple(fc.constantFrom("-", "--"), valid).map(([dash, v]) => `${dash}${v}`) },
  );
const match = (re: RegExp) => or(fc.stringMatching(re));
const oneOf = (...xs: string[]) => or(fc.constantFrom(...xs));

const app = match(/^[a-z0-9][a-z0-9.-]{0,15}$/);
const envKey = match(/^[A-Za-z_][A-Za-z0-9_]{0,12}$/);
/** Any text: a config value is sent base64-encoded, so even `--force` is a fine value. */
const configValue = fc.oneof(fc.string({ unit: "binary", maxLength: 40 }), hostile);
const domain = match(/^[a-z0-9]{1,10}(\.[a-z0-9]{1,10}){0,2}$/);
const mapping = or(
  fc.tuple(fc.constantFrom(...PORT_SCHEMES), fc.integer({ min: 1, max: 65535 }), fc.integer({ min: 1, max: 65535 })).map(([s, h, c]) => `${s}:${h}:${c}`),
);
const remote = or(
  fc.oneof(
    fc.stringMatching(/^https:\/\/[a-z0-9]{1,10}\.example\/[a-z0-9]{1,8}\/[a-z0-9-]{1,8}\.git$/),
    fc.stringMatching(/^[a-z][a-z0-9_]{0,6}@[a-z0-9]{1,8}\.example:[a-z0-9]{1,8}\/[a-z0-9]{1,8}\.git$/),
  ),
);
const ref = match(/^[A-Za-z0-9_][A-Za-z0-9_]{0,10}(\/[A-Za-z0-9_]{1,6})?$/);
const buildDir = match(/^[A-Za-z0-9_][A-Za-z0-9_]{0,8}(\/[A-Za-z0-9_]{1,6})?$/);
const buildpack = or(
  fc.oneof(fc.stringMatching(/^[a-z0-9][a-z0-9-]{0,8}\/[a-z0-9-]{1,8}$/), fc.constant("https://github.com/heroku/heroku-buildpack-nodejs.git")),
);
const service = match(/^[A-Za-z0-9_][A-Za-z0-9_-]{0,10}$/);
const processType = match(/^[a-z0-9][a-z0-9_-]{0,8}$/);
const email = match(/^[a-z0-9][a-z0-9]{0,8}@example\.com$/);
const plugin = oneOf(...dbPlugin.options);
/** A count or position: valid, or any integer (a negative one's text starts with `-`). */
const int = (min: number, max: number) => fc.oneof({ weight: 3, arbitrary: fc.integer({ min, max }) }, { weight: 1, arbitrary: fc.integer() });
const opt = <T>(a: fc.Arbitrary<T>) => fc.option(a, { nil: undefined });

/** nginx settings: sizes, times, booleans and log paths (null unsets), or hostile values (`;` directives, paths outside /var/log). */
const nginxSettings = fc.record(
  {
    "client-max-body-size": fc.option(or(fc.stringMatching(/^\d{1,4}[kmg]?$/)), { nil: null }),
    "proxy-read-timeout": fc.option(or(fc.stringMatching(/^\d{1,4}(s|m)?$/)), { nil: null }),
    hsts: fc.option(oneOf("true", "false"), { nil: null }),
    "access-log-path": fc.option(or(fc.constantFrom("off", "/var/log/nginx/a.log", "/etc/passwd", "/var/log/../etc/shadow", "1m; include /etc/x")), {
      nil: null,
    }),
  },
  { requiredKeys: [] },
);

/** Host paths to mount: plain ones, and every spelling of what may not be mounted (`/`, `/etc/../etc`, `//etc`, the docker socket, Dokku's folders). */
const hostPath = or(
  fc.oneof(
    fc.stringMatching(/^\/srv\/[a-z0-9]{1,8}$/),
    fc.constantFrom(
      "/",
      "//etc",
      "/etc/../etc",
      "/etc/",
      "/var/run/docker.sock",
      "/home/dokku",
      "/var/lib/dokku",
      "/var/lib/dokku/data/storage/api",
      "/srv/a:/b",
      "vol1",
    ),
  ),
);
const mountPath = or(fc.oneof(fc.stringMatching(/^\/[a-z0-9]{1,8}$/), fc.constantFrom("/", "/app/../", "/a b")));
const entryName = match(/^[a-z0-9][a-z0-9-]{0,8}[a-z0-9]$/);
const chown = oneOf("herokuish", "heroku", "paketo", "root", "false");
/** Docker options: safe ones, and every isolation-breaking form (each refused unless the relay allows it) and shell-shaped text. */
const dockerOption = fc.oneof(
  fc.constantFrom("--restart=always", "--memory 512m", "-e FOO=bar", "--log-opt max-size=10m", "-v /srv/a:/a", "--init"),
  fc.constantFrom("--privileged", "--net=host", "--network host", "--pid=host", "--ipc host", "--userns=host", "--cap-add=SYS_ADMIN", "--device /dev/sda"),
  fc.constantFrom("-v /:/host", "--volume=/var/run/docker.sock:/s", "--mount type=bind,source=/etc,target=/e", "--security-opt seccomp=unconfined"),
  fc.constantFrom("--env-file /etc/shadow", "--restart=$(id)", "-e A=`id`", "--trace", "--force", "--label a b", "--memory;id"),
  hostile,
);
const phaseList = fc.subarray(["build", "deploy", "run"], { minLength: 1 });
const appOnly = fc.record({ app });
const none = fc.constant({});
/** A name and its confirmation: usually the same, sometimes each on its own. */
const confirmed = (name: fc.Arbitrary<string>) =>
  fc.oneof(
    name.map((n) => [n, n] as const),
    fc.tuple(name, hostile),
  );
const filter = fc.record({ app: opt(app), op: opt(oneOf("apps.restart")), text: opt(fc.string({ minLength: 1, maxLength: 20 })) }, { requiredKeys: [] });

export const opArgs: { [N in OpName]: fc.Arbitrary<Record<string, unknown>> } = {
  "apps.list": none,
  "apps.restart": appOnly,
  "apps.detail": appOnly,
  "apps.create": appOnly,
  "apps.destroy": confirmed(app).map(([a, confirm]) => ({ app: a, confirm })),
  "apps.start": appOnly,
  "apps.stop": appOnly,
  "apps.rebuild": appOnly,
  "apps.scale.show": appOnly,
  "apps.scale.set": fc.record({ app, scale: fc.dictionary(processType, int(0, 100), { minKeys: 1, maxKeys: 3 }), skipDeploy: fc.boolean() }),
  "config.get": appOnly,
  "config.set": fc.record({ app, vars: fc.dictionary(envKey, configValue, { minKeys: 1, maxKeys: 4 }), noRestart: fc.boolean() }),
  "config.unset": fc.record({ app, keys: fc.array(envKey, { minLength: 1, maxLength: 4 }), noRestart: fc.boolean() }),
  "domains.report": appOnly,
  "domains.all": none,
  "domains.add": fc.record({ app, domains: fc.array(domain, { minLength: 1, maxLength: 3 }) }),
  "domains.remove": fc.record({ app, domains: fc.array(domain, { minLength: 1, maxLength: 3 }) }),
  "ports.report": appOnly,
  "ports.add": fc.record({ app, mappings: fc.array(mapping, { minLength: 1, maxLength: 3 }) }),
  "ports.remove": fc.record({ app, mappings: fc.array(mapping, { minLength: 1, maxLength: 3 }) }),
  "proxy.report": appOnly,
  "proxy.enable": appOnly,
  "proxy.disable": appOnly,
  "proxy.setType": fc.record({ app, type: oneOf(...PROXY_TYPES) }),
  "nginx.report": appOnly,
  "nginx.set": fc.record({ app, settings: nginxSettings }),
  "nginx.reload": none,
  "resources.report": appOnly,
  "network.report": appOnly,
  "storage.list": appOnly,
  "docker-options.report": appOnly,
  "docker-options.add": fc.record(
    { app, phases: phaseList, option: dockerOption, processType: opt(processType) },
    { requiredKeys: ["app", "phases", "option"] },
  ),
  "docker-options.remove": fc.record(
    { app, phases: phaseList, option: dockerOption, processType: opt(processType) },
    { requiredKeys: ["app", "phases", "option"] },
  ),
  "docker-options.clear": fc.record({ app, phases: opt(phaseList), processType: opt(processType) }, { requiredKeys: ["app"] }),
  "storage.mount": fc.oneof(
    fc.record({ app, hostPath, containerPath: mountPath, readonly: opt(fc.boolean()) }, { requiredKeys: ["app", "hostPath", "containerPath"] }),
    fc.record({ app, entry: entryName, containerPath: mountPath, readonly: opt(fc.boolean()) }, { requiredKeys: ["app", "entry", "containerPath"] }),
  ),
  "storage.unmount": fc.oneof(
    fc.record({ app, hostPath, containerPath: mountPath, options: opt(oneOf("ro", "z", "ro,Z")) }, { requiredKeys: ["app", "hostPath", "containerPath"] }),
    fc.record({ app, entry: entryName, containerPath: mountPath }),
  ),
  "storage.ensureDirectory": fc.record({ name: match(/^[A-Za-z0-9_][A-Za-z0-9_-]{0,8}$/), chown }),
  "storage.entries": none,
  "storage.info": fc.record({ name: entryName }),
  "storage.create": fc.record({ name: entryName, hostPath: opt(hostPath), chown: opt(chown) }, { requiredKeys: ["name"] }),
  "storage.destroy": fc.record({ name: entryName, destroyHostDir: fc.boolean() }),
  "network.list": none,
  "network.create": fc.record({ name: match(/^[a-z0-9][a-z0-9_.-]{0,8}$/) }),
  "network.destroy": match(/^[a-z0-9][a-z0-9_.-]{0,8}$/).map((name) => ({ name, confirm: name })),
  "network.set": fc.oneof(
    fc.record({
      app,
      property: oneOf("attach-post-create", "attach-post-deploy"),
      value: opt(fc.array(match(/^[a-z0-9][a-z0-9_-]{0,8}$/), { minLength: 1, maxLength: 3 })),
    }),
    fc.record({
      app,
      property: oneOf("initial-network", "tld", "bind-all-interfaces"),
      value: opt(fc.oneof(match(/^[a-z0-9][a-z0-9.-]{0,8}$/), fc.constantFrom("host", "true", "false"))),
    }),
  ),
  "resources.set": fc.record(
    {
      app,
      kind: oneOf("limit", "reserve"),
      processType: fc.oneof(processType, fc.constant("_default_")),
      cpu: opt(match(/^\d{1,2}(\.\d)?$/)),
      memory: opt(match(/^\d{1,5}[kmg]?$/)),
    },
    { requiredKeys: ["app", "kind", "processType"] },
  ),
  "resources.clear": fc.record({ app, kind: oneOf("limit", "reserve"), processType: fc.oneof(processType, fc.constant("_default_")) }),
  "deploy.report": appOnly,
  "checks.set": fc.record({ app, state: oneOf("enabled", "disabled", "skipped") }),
  "git.sync": fc.record({ app, remote, ref: opt(ref) }),
  "git.setDeployBranch": fc.record({ app, branch: opt(ref) }),
  "builder.set": fc.oneof(
    fc.record({ app, property: fc.constant("selected"), value: opt(oneOf(...BUILDERS)) }),
    fc.record({ app, property: oneOf("build-dir"), value: opt(buildDir) }),
  ),
  "buildpacks.report": appOnly,
  "buildpacks.add": fc.record({ app, url: buildpack, index: opt(int(1, 100)) }),
  "buildpacks.remove": fc.record({ app, url: buildpack }),
  "buildpacks.clear": appOnly,
  "apps.unlock": appOnly,
  "tls.status": appOnly,
  "tls.list": none,
  "tls.setEmail": fc.record({ app, email }),
  "tls.enable": appOnly,
  "tls.autoRenew": appOnly,
  "tls.disable": appOnly,
  "tls.cleanup": appOnly,
  "certs.add": fc.record({ app, certificate: or(fc.constant(TEST_CERT)), key: or(fc.constant(TEST_KEY)) }),
  "certs.remove": appOnly,
  "apps.rename": fc.record({ app, newName: app, skipDeploy: fc.boolean() }),
  "apps.clone": fc.record({ app, newName: app, skipDeploy: fc.boolean(), ignoreExisting: fc.boolean() }),
  "cron.list": appOnly,
  "cron.host": none,
  "cron.run": fc.record({ app, id: match(/^[a-z0-9]{1,40}$/) }),
  "cron.suspend": fc.record({ app, id: match(/^[a-z0-9]{1,40}$/) }),
  "cron.resume": fc.record({ app, id: match(/^[a-z0-9]{1,40}$/) }),
  "git.fromImage": fc.record({ app, image: match(/^[a-z0-9]{1,12}(\/[a-z0-9]{1,12})?(:[a-z0-9.]{1,8})?$/) }),
  "registry.login": fc.record({ app, server: match(/^[a-z0-9]{1,12}\.io$/), username: match(/^[a-z0-9]{1,12}$/), password: match(/^[A-Za-z0-9]{1,20}$/) }),
  "apps.lock": appOnly,
  "host.settings": none,
  "host.domains.add": fc.record({ domains: fc.array(match(/^[a-z0-9]{1,10}\.[a-z]{2,4}$/), { minLength: 1, maxLength: 3 }) }),
  "host.domains.remove": fc.record({ domains: fc.array(match(/^[a-z0-9]{1,10}\.[a-z]{2,4}$/), { minLength: 1, maxLength: 3 }) }),
  "host.config.set": fc.record({ vars: fc.dictionary(match(/^[A-Z_][A-Z0-9_]{0,10}$/), fc.string({ maxLength: 20 }), { minKeys: 1, maxKeys: 3 }) }),
  "host.config.unset": fc.record({ keys: fc.array(match(/^[A-Z_][A-Z0-9_]{0,10}$/), { minLength: 1, maxLength: 3 }) }),
  "host.deployBranch": fc.record({ branch: opt(ref) }),
  "host.cleanup": none,
  "plugins.update": match(/^[a-z][a-z0-9-]{0,10}$/).map((name) => ({ name, confirm: name })),
  "registry.loginGlobal": fc.record({ server: match(/^[a-z0-9]{1,12}\.io$/), username: match(/^[a-z0-9]{1,12}$/), password: match(/^[A-Za-z0-9]{1,20}$/) }),
  "plugins.list": none,
  "databases.overview": none,
  "databases.list": fc.record({ plugin }),
  "databases.info": fc.record({ plugin, service }),
  "databases.create": fc.record({ plugin, service }),
  "databases.link": fc.record({ plugin, service, app, noRestart: fc.boolean() }),
  "databases.unlink": fc.record({ plugin, service, app, noRestart: fc.boolean() }),
  "databases.backups": fc.record({ plugin, service }),
  "databases.backup.auth": fc.record({ plugin, service, accessKeyId: fc.constant("AKIAEXAMPLE0000001"), secretAccessKey: fc.constant("c2VjcmV0/example+key") }),
  "databases.backup.deauth": fc.record({ plugin, service }),
  "databases.backup.run": fc.record({ plugin, service, bucket: fc.constant("my-backups"), useIam: fc.boolean() }),
  "databases.backup.schedule": fc.record({ plugin, service, schedule: fc.constant("0 3 * * *"), bucket: fc.constant("my-backups/db"), useIam: fc.boolean() }),
  "databases.backup.unschedule": fc.record({ plugin, service }),
  "databases.backup.encrypt": fc.record({ plugin, service, passphrase: fc.constant("correct-horse-battery") }),
  "databases.backup.unencrypt": fc.record({ plugin, service }),
  "databases.expose": fc.record({ plugin, service, ports: fc.constantFrom([], ["5432"], ["127.0.0.1:15432"]) }),
  "databases.unexpose": fc.record({ plugin, service }),
  "databases.export": fc.record({ plugin, service }),
  "databases.import": fc.tuple(plugin, confirmed(service)).map(([p, [s, confirm]]) => ({ plugin: p, service: s, confirm })),
  "databases.destroy": fc.tuple(plugin, confirmed(service)).map(([p, [s, confirm]]) => ({ plugin: p, service: s, confirm })),
  "logs.tail": fc.record({ app, lines: int(1, 10_000), process: opt(processType), follow: fc.boolean() }),
  "logs.failed": appOnly,
  "server.health": none,
  "relay.ping": none,
  "history.list": fc.record({ limit: int(1, 200), offset: int(0, 1000), filter }),
  "history.export": fc.record({ format: oneOf("csv", "json"), filter, limit: int(1, 10_000) }),
  "history.get": fc.record({ opId: or(fc.uuid()) }),
  "history.entry": fc.record({ id: int(1, 1_000_000) }),
  "history.verify": fc.record({ known: fc.array(fc.record({ seq: int(0, 1_000_000), hash: fc.stringMatching(/^[0-9a-f]{64}$/) }), { maxLength: 3 }) }),
  "changes.running": none,
  "releases.list": appOnly,
  "releases.recent": none,
  "releases.plan": fc.record({ app, number: int(1, 1000) }),
  "releases.values": fc.record({ app, number: int(1, 1000) }),
  "releases.rollback": fc.record({ app, number: int(1, 1000) }),
  "releases.drift": appOnly,
  "releases.keep": appOnly,
  "releases.revert": appOnly,
  "builds.list": appOnly,
  "builds.output": fc.record({ app, id: fc.stringMatching(/^[a-z0-9][a-z0-9-]{0,20}$/) }),
  "builds.cancel": appOnly,
};
