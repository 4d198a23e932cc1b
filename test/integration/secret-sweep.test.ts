import { createHash, randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { readdirSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ops, type OpName } from "../../protocol/ops.js";
import { historyOf } from "../support/history.js";
import { useStack } from "../support/use-stack.js";
import { keyLines, markedKey, TEST_CERT, TEST_KEY } from "../support/tls-fixture.js";
import { startWsRecorder } from "../support/ws-recorder.js";

/**
 * A marker secret set through every form that takes a secret (config set as a fragment, as a
 * stream and as a plain post; the paste box; the edit form; the host-wide config; a registry
 * password for one app and for the host; a certificate's key; a database's backup credentials and
 * passphrase), and the datastore passwords the host makes (create, link), then searched for in
 * every response, every history row (the pages, the CSV and JSON exports, the relay's SQLite), the
 * Activity page and its exports, the edge's stored state, both processes' logs and every frame
 * the relay sent the edge. Only the answers that reveal a value on request may hold it, and those
 * are never stored. The host runs Dokku 0.38 (per-app registry logins arrived in 0.38.0).
 */

const stack = useStack({ versions: { demo: "0.38.27" } });

/** Every WebSocket message between the relay and the edge, from the first test on: the relay is restarted through a recording proxy. */
let frames: Awaited<ReturnType<typeof startWsRecorder>>;
beforeAll(async () => {
  frames = await startWsRecorder(Number(new URL(stack.url).port));
  const relay = stack.relays.demo!;
  await relay.proc.stop();
  const since = Date.now();
  relay.proc = stack.startRelay("demo", { sim: relay.sim, db: relay.db, url: frames.url });
  await stack.waitConnected("demo", since);
});
afterAll(() => frames?.close());

const MARK = `mark${randomBytes(6).toString("hex")}`;
const base = "/hosts/demo/apps/api";

/** Every answer the sweep got, but for the reveals: none may hold a secret. */
const answers: Array<{ what: string; body: string }> = [];

async function request(what: string, path: string, init: { form?: Record<string, string> | FormData; headers?: Record<string, string> } = {}) {
  const multipart = init.form instanceof FormData;
  const res = await fetch(`${stack.url}${path}`, {
    method: init.form ? "POST" : "GET",
    headers: {
      cookie: stack.cookie,
      ...(init.form ? { origin: stack.url } : {}),
      ...(init.form && !multipart ? { "content-type": "application/x-www-form-urlencoded" } : {}),
      ...init.headers,
    },
    ...(init.form ? { body: multipart ? (init.form as FormData) : new URLSearchParams(init.form as Record<string, string>) } : {}),
  });
  const body = await res.text();
  return { res, body, what };
}

const htmx = { "hx-request": "true" };
const page = (html: string) => html.replace(/<[^>]+>/g, " ").replace(/\s+/g, " ");
const stream = { "hx-request": "true", accept: "text/html, text/event-stream" };

/** A change through a form: it worked, its answer is never stored, and it joins the sweep. */
async function change(what: string, path: string, form: Record<string, string> | FormData, headers: Record<string, string>) {
  const r = await request(what, path, { form, headers });
  expect(r.res.status, `${what}: ${r.body.slice(0, 500)}`).toBe(200);
  expect(r.res.headers.get("cache-control"), what).toMatch(/^no-store/);
  answers.push(r);
  return r.body;
}

/** A reveal on request: it may hold the secret, and must not be stored. */
async function reveal(path: string) {
  const r = await request("reveal", path, { headers: { "sec-fetch-site": "same-origin" } });
  expect(r.res.status).toBe(200);
  expect(r.res.headers.get("cache-control")).toMatch(/^no-store\b/);
  return r.body;
}

const values = {
  set: `tok-${MARK}-1`,
  streamed: `tok-${MARK}-2 with spaces and $dollars`,
  bulkA: `bulk-${MARK}-3`,
  bulkB: `"quoted ${MARK}-4"`,
  edited: `edited-${MARK}-5`,
  plain: `plain-${MARK}-6\nsecond line ${MARK}`,
  global: `global-${MARK}-7`,
  globalPlain: `global plain ${MARK}-8`,
};
/** Registry passwords (one line, as docker login takes them): written to the command's stdin, never argv. */
const registry = { app: `reg-${MARK}-app`, host: `reg-${MARK}-host` };
/** A private key carrying the marker (the simulator takes any PEM-shaped key; a real host would refuse it, nothing may show it either). */
const marked = markedKey(MARK);

/** What must appear nowhere: the marker, each value's base64 (as it travels in argv), the datastores' passwords, the private keys' lines. */
const needles = (): string[] => {
  const state = JSON.parse(readFileSync(join(stack.relays.demo!.sim.dir, "state.json"), "utf8")) as {
    services: Record<string, Record<string, { password: string }>>;
  };
  const passwords = Object.values(state.services).flatMap((s) => Object.values(s).map((svc) => svc.password));
  return [
    MARK,
    MARK.toUpperCase(),
    ...Object.values(values).map((v) => Buffer.from(v).toString("base64")),
    ...Object.values(registry),
    ...passwords,
    ...keyLines(marked.key),
    ...keyLines(TEST_KEY),
  ];
};

/** The simulated host's state (what it holds, to prove each secret arrived). */
const simState = () => JSON.parse(readFileSync(join(stack.relays.demo!.sim.dir, "state.json"), "utf8"));

/** Every file under `dir`. */
function filesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile())
    .map((e) => join(e.parentPath, e.name));
}

/** A frame to the relay: an op's signed payload as text (base64url-decoded), else the frame itself. */
function opPayload(frame: string): string {
  const jws = /"jws":"([^"]+)"/.exec(frame)?.[1];
  return jws ? Buffer.from(jws.split(".")[1] ?? "", "base64url").toString("utf8") : frame;
}

describe("a secret set through any form reaches no response, history row, export or log", () => {
  it("sets the marker through every config form, each answer no-store and free of it", async () => {
    const setHtml = await change("config set (fragment)", `${base}/config/set`, { key: "SWEEP_SET", value: values.set, no_restart: "on" }, htmx);
    expect(setHtml).toContain("SWEEP_SET"); // Dokku's own `KEY:  value` line is there, masked
    expect(setHtml).toContain("***");
    await change("config set (stream)", `${base}/config/set`, { key: "SWEEP_STREAM", value: values.streamed }, stream);
    await change("config bulk (fragment)", `${base}/config/bulk`, { lines: `A_SWEEP=${values.bulkA}\nexport B_SWEEP=${values.bulkB}`, no_restart: "on" }, htmx);
    await change("config bulk (stream)", `${base}/config/bulk`, { lines: `C_SWEEP=${values.bulkA}\n# note\nD_SWEEP=${values.bulkB}` }, stream);
    await change("config set (plain post)", `${base}/config/set`, { key: "SWEEP_PLAIN", value: values.plain, no_restart: "on" }, {});

    // the edit form reveals the value (not stored), then saves a new one like any set
    expect(await reveal(`${base}/config/edit?key=SWEEP_SET`)).toContain(values.set);
    await change("config edit", `${base}/config/set`, { key: "SWEEP_SET", value: values.edited, no_restart: "on" }, htmx);

    // the host holds every value exactly: the sweep below is not vacuous
    expect(await reveal(`${base}/config/value?key=SWEEP_SET`)).toContain(values.edited);
    expect(await reveal(`${base}/config/value?key=SWEEP_STREAM`)).toContain(`tok-${MARK}-2`);
    expect(await reveal(`${base}/config/value?key=D_SWEEP`)).toContain(`${MARK}-4`);
  });

  it("creates and links datastores, whose DSNs carry the host's passwords", async () => {
    await change("database create (fragment)", "/hosts/demo/databases", { plugin: "postgres", service: "sweep-db" }, htmx);
    await change("database create (stream)", "/hosts/demo/databases", { plugin: "redis", service: "sweep-cache" }, stream);
    await change("database create (plain post)", "/hosts/demo/databases", { plugin: "postgres", service: "sweep-plain" }, {});
    const linked = await change("database link", "/hosts/demo/databases/postgres/main-db/link", { app: "api" }, stream);
    expect(linked).toContain("DATABASE_URL");
    for (const svc of ["postgres/sweep-db", "redis/sweep-cache", "postgres/main-db"]) {
      const page = await request(`database page ${svc}`, `/hosts/demo/databases/${svc}`);
      expect(page.res.status).toBe(200);
      expect(page.res.headers.get("cache-control")).toMatch(/^no-store\b/);
      expect(page.body).toContain(":***@"); // the DSN is shown, its password masked
      answers.push(page);
    }
    // the link put the full DSN in the app's config: revealed on request only
    const state = JSON.parse(readFileSync(join(stack.relays.demo!.sim.dir, "state.json"), "utf8"));
    expect(await reveal(`${base}/config/value?key=DATABASE_URL`)).toContain(state.services.postgres["main-db"].password);
  });

  it("installs certificates with private keys pasted, as files and streamed, each answer free of them", async () => {
    await change("certs add (pasted, fragment)", `${base}/tls/certs`, { certificate: TEST_CERT, key: marked.key }, htmx);
    const files = new FormData();
    files.set("certificate", "");
    files.set("key", "");
    files.set("certificate_file", new Blob([TEST_CERT]), "server.crt");
    files.set("key_file", new Blob([TEST_KEY]), "server.key");
    expect(await change("certs add (files, stream)", `${base}/tls/certs`, files, stream)).toContain("Creating https nginx.conf");
    await change("certs add (plain post)", `${base}/tls/certs`, { certificate: TEST_CERT, key: marked.key }, {});
    const tls = await request("tls page", `${base}/tls`);
    expect(page(tls.body)).toContain("installed, issued by CN = api.demo.dokku.me");
    answers.push(tls);
    // the host got the key (by hash): the sweep below is not vacuous
    const state = JSON.parse(readFileSync(join(stack.relays.demo!.sim.dir, "state.json"), "utf8"));
    expect(state.apps.api.tls.keySha256).toMatch(/^[0-9a-f]{64}$/);
  });

  it("stores a database's backup credentials and passphrase, and backs up with them (the plugin takes them only as argv)", async () => {
    const db = "/hosts/demo/databases/postgres/main-db/backups";
    await change("backup auth", `${db}/auth`, { accessKeyId: `AKIA${MARK.toUpperCase()}`, secretAccessKey: `sk/${MARK}+x`, region: "eu-west-1" }, htmx);
    await change("backup passphrase", `${db}/encryption`, { passphrase: `pass-${MARK}` }, {});
    expect(await change("backup now", `${db}/run`, { bucket: "sweep-backups" }, stream)).toContain("finished successfully");
    const state = JSON.parse(readFileSync(join(stack.relays.demo!.sim.dir, "state.json"), "utf8"));
    expect(state.services.postgres["main-db"].backup).toMatchObject({ authSha256: expect.any(String), encryptionSha256: expect.any(String) });
  });

  it("logs in to registries with a marked password (the app's and the host's) and sets marked host-wide config values", async () => {
    const login = `${base}/image/login`;
    expect(await change("registry login (app, fragment)", login, { server: "private.example.com", username: "acme", password: registry.app }, htmx)).toContain(
      "api is logged in to private.example.com",
    );
    await change("registry login (host, stream)", login, { server: "ghcr.io", username: "acme", password: registry.host, global: "on" }, stream);
    await change("registry login (plain post)", login, { server: "registry.example.com:5000", username: "acme", password: registry.app }, {});
    const settings = "/hosts/demo/host/settings";
    await change("global config set (fragment)", `${settings}/config/set`, { key: "SWEEP_GLOBAL", value: values.global }, htmx);
    await change("global config set (plain post)", `${settings}/config/set`, { key: "SWEEP_GLOBAL_PLAIN", value: values.globalPlain }, {});
    const host = await request("host page", "/hosts/demo/host");
    expect(page(host.body)).toContain("SWEEP_GLOBAL"); // the keys are listed, their values never read
    answers.push(host);
    // the host holds each secret (the simulator keeps a login's password as its sha256): the sweep is not vacuous
    const state = simState();
    const sha = (v: string) => createHash("sha256").update(v).digest("hex");
    expect(state.registryLogins).toMatchObject({
      "api private.example.com": { passwordSha256: sha(registry.app) },
      "--global ghcr.io": { passwordSha256: sha(registry.host) },
    });
    expect(state.globalConfig).toMatchObject({ SWEEP_GLOBAL: values.global, SWEEP_GLOBAL_PLAIN: values.globalPlain });
  });

  it("finds none of it in any answer, history page, export, history row or log", async () => {
    const pages = [
      "/hosts/demo/history",
      `${base}/history`,
      `${base}/config`,
      `${base}/config/list`,
      "/hosts/demo/databases",
      base,
      `${base}/tls`,
      `${base}/deploy`,
      "/hosts/demo/host",
      "/hosts/demo/databases/postgres/main-db",
      "/activity",
    ];
    const rows = historyOf(stack.relays.demo!.db);
    for (let p = 2; p <= Math.ceil(rows.length / 50); p++) pages.push(`/hosts/demo/history?page=${p}`);
    for (const path of pages) {
      const r = await request(path, path);
      expect(r.res.status, path).toBe(200);
      answers.push(r);
    }
    for (const file of ["export.csv", "export.json"]) {
      const r = await request(file, `/hosts/demo/history/${file}?limit=10000`);
      expect(r.res.status).toBe(200);
      expect(r.body).toContain("config:set"); // the rows are there, their values masked
      answers.push(r);
      const activity = await request(`activity ${file}`, `/activity/${file}`);
      expect(activity.res.status).toBe(200);
      expect(activity.body).toContain("registry.login"); // the ops are recorded, their arguments not
      answers.push(activity);
    }
    // what the edge stored (Durable Objects' SQLite, KV): read as bytes, so text in any file is found
    for (const file of filesUnder(join(stack.dir, "wrangler-state")))
      answers.push({ what: `edge storage ${file}`, body: readFileSync(file).toString("latin1") });
    // every frame the relay sent; the edge's frames carry the secrets it signed into ops (the capture is not vacuous)
    expect(frames.toRelay().some((f) => opPayload(f).includes(registry.app))).toBe(true);
    expect(frames.toEdge().length).toBeGreaterThan(20);
    // but for the answers to a reveal (an op declaring `reveals`, asked for by the reveals above), as their pages may hold it
    const opOf = new Map(frames.toRelay().flatMap((f) => (f.includes('"jws"') ? [[JSON.parse(f).id as string, JSON.parse(opPayload(f)).op as OpName]] : [])));
    const reveal = (f: string) => {
      if (!f.startsWith("{")) return false; // the heartbeat's "ping"
      const frame = JSON.parse(f) as { type?: string; id?: string };
      const op = frame.type === "result" && frame.id ? opOf.get(frame.id) : undefined;
      return op !== undefined && ops[op].access.reveals;
    };
    expect(frames.toEdge().filter(reveal).length).toBeGreaterThanOrEqual(4);
    answers.push(...frames.toEdge().flatMap((body, i) => (reveal(body) ? [] : [{ what: `frame ${i} to the edge`, body }])));
    answers.push({ what: "relay history (SQLite)", body: JSON.stringify(rows) });
    answers.push({ what: "relay log", body: stack.relays.demo!.proc.output() });
    answers.push({ what: "edge log", body: stack.edge.output() });

    expect(rows.filter((r) => r.argv[1] === "config:set").length).toBeGreaterThanOrEqual(6);
    expect(rows.some((r) => r.argv.includes("postgres:link"))).toBe(true);
    expect(rows.filter((r) => r.argv[1] === "certs:add").length).toBe(3);
    expect(rows.some((r) => r.argv[1] === "postgres:backup-auth")).toBe(true);
    expect(rows.filter((r) => r.argv[1] === "registry:login").length).toBe(3);
    const all = needles();
    expect(all.length).toBeGreaterThan(Object.keys(values).length + 3); // marker, base64 forms, four passwords
    for (const { what, body } of answers) {
      for (const needle of all)
        expect(body.includes(needle), `${what} holds ${needle}: ${body.slice(Math.max(0, body.indexOf(needle) - 300), body.indexOf(needle) + 100)}`).toBe(
          false,
        );
    }
  });
});
