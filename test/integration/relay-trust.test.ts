import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { openDb } from "../../relay/history/db/open.js";
import { History } from "../../relay/history/store.js";
import { newSigningKey } from "../../scripts/credentials.js";
import { startRelay, type Proc } from "../../scripts/stack.js";
import { startFakeEdge } from "../support/fake-edge.js";
import { makeSim, SIMULATOR, type Sim } from "../support/sim.js";
import { testVars } from "../support/worker-secrets.js";

/**
 * A real relay process against an edge stand-in that signs what the test tells it to: the
 * position of a man in the middle or a compromised edge. The relay must refuse everything that
 * is not a fresh, untampered op for its own host, from its own edge, allowed by its own policy.
 */
let vars: Awaited<ReturnType<typeof testVars>>;
let edge: Awaited<ReturnType<typeof startFakeEdge>>;
let relay: Proc;
let sim: Sim;
let dir: string;

async function launch(args: string[] = []) {
  relay = startRelay({
    url: edge.url,
    host: "demo",
    token: vars.DOCKLIGHT_RELAY_TOKEN,
    publicKey: vars.DOCKLIGHT_OP_PUBLIC_KEY,
    db: join(dir, "relay.db"),
    dokkuBin: SIMULATOR,
    env: sim.env as Record<string, string>,
    args,
  });
  await edge.connected();
}

function commandsRun(): string[] {
  const db = openDb(join(dir, "relay.db"));
  const rows = new History(db, { maxRows: 1000, maxAgeDays: 30 }).list(200, 0).entries.map((e) => e.argv.join(" "));
  db.$client.close();
  return rows.reverse();
}

function rejections(): string[] {
  const db = openDb(join(dir, "relay.db"));
  const rows = db.$client.prepare("SELECT reason FROM rejections ORDER BY id").all() as Array<{ reason: string }>;
  db.$client.close();
  return rows.map((r) => r.reason);
}

beforeAll(async () => {
  vars = await testVars();
});

describe("the relay verifies every op", () => {
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), "docklight-trust-"));
    sim = makeSim();
    edge = await startFakeEdge(vars.OP_SIGNING_KEY);
    await launch();
  });
  afterAll(async () => {
    await relay.stop();
    await edge.close();
    sim.cleanup();
    rmSync(dir, { recursive: true, force: true });
  });

  it("runs a properly signed op", async () => {
    const res = await edge.send({ op: "apps.list" });
    expect(res.ok).toBe(true);
    expect(commandsRun().sort()).toEqual(["dokku --quiet apps:list", "dokku ps:report"]); // run at once: either may be recorded first
  });

  it("runs a replayed op frame only once", async () => {
    const { id, jws } = await edge.sign({ op: "apps.restart", args: { app: "api" } });
    edge.sendRaw({ type: "op", id, jws });
    expect((await edge.result(id)).ok).toBe(true);
    edge.frames.length = 0;
    edge.sendRaw({ type: "op", id, jws });
    const replay = await edge.result(id);
    expect(replay).toMatchObject({ ok: false, error: { code: "rejected" } });
    expect(replay.ok === false && replay.error.message).toContain("replay");
    expect(commandsRun().filter((c) => c === "dokku ps:restart api")).toHaveLength(1);
  });

  it("refuses an expired op", async () => {
    const now = Math.floor(Date.now() / 1000);
    const res = await edge.send({ op: "apps.restart", args: { app: "blog.v2" }, iat: now - 120, exp: now - 60 });
    expect(res).toMatchObject({ ok: false, error: { code: "rejected", message: "op rejected: op expired" } });
  });

  it("refuses an op valid for longer than 60 s", async () => {
    const now = Math.floor(Date.now() / 1000);
    const res = await edge.send({ op: "apps.restart", args: { app: "blog.v2" }, iat: now, exp: now + 3600 });
    expect(res).toMatchObject({ ok: false, error: { code: "rejected" } });
  });

  it("refuses an op whose arguments were changed after signing", async () => {
    const { id, jws } = await edge.sign({ op: "apps.restart", args: { app: "api" } });
    const [header, payload, signature] = jws.split(".");
    const claims = JSON.parse(Buffer.from(payload!, "base64url").toString()) as { args: { app: string } };
    claims.args.app = "blog.v2";
    const tampered = [header, Buffer.from(JSON.stringify(claims)).toString("base64url"), signature].join(".");
    edge.sendRaw({ type: "op", id, jws: tampered });
    expect(await edge.result(id)).toMatchObject({ ok: false, error: { code: "rejected", message: "op rejected: bad signature" } });
  });

  it("refuses an op signed by another key", async () => {
    const other = await newSigningKey();
    const foreign = await startFakeEdge(other.privateJwk);
    const { id, jws } = await foreign.sign({ op: "apps.restart", args: { app: "api" } });
    await foreign.close();
    edge.sendRaw({ type: "op", id, jws });
    expect(await edge.result(id)).toMatchObject({ ok: false, error: { code: "rejected", message: "op rejected: bad signature" } });
  });

  it("refuses an op addressed to another host", async () => {
    const res = await edge.send({ op: "apps.restart", args: { app: "api" }, host: "other" });
    expect(res).toMatchObject({ ok: false, error: { code: "rejected", message: "op rejected: op is for host other, this is demo" } });
  });

  it("refuses an op that is not in its catalog", async () => {
    const res = await edge.send({ op: "shell.exec", args: { cmd: "id" } });
    expect(res).toMatchObject({ ok: false, error: { code: "rejected" } });
  });

  it("refuses arguments that do not parse, naming what was wrong", async () => {
    const res = await edge.send({ op: "apps.restart", args: { app: "api; rm -rf /" } });
    expect(res).toMatchObject({ ok: false, error: { code: "bad_request" } });
    expect(res.ok === false && res.error.message).toContain("app name");
  });

  it("answers an unreadable frame with a notice and keeps working", async () => {
    edge.sendRaw("{not json");
    edge.sendRaw({ type: "op", id: "not-a-uuid", jws: "x" });
    expect((await edge.send({ op: "apps.list" })).ok).toBe(true);
    expect(edge.frames.filter((f) => f.type === "notice").length).toBeGreaterThanOrEqual(2);
  });

  it("drops the connection on an oversize frame, reconnects, and keeps working", async () => {
    const hellos = () => edge.frames.filter((f) => f.type === "hello").length;
    const before = hellos();
    edge.sendRaw({ type: "op", id: crypto.randomUUID(), jws: "x".repeat(2 * 1024 * 1024) });
    const deadline = Date.now() + 30_000;
    while (hellos() === before && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    expect(hellos()).toBe(before + 1);
    expect(relay.output()).toContain("Max payload size exceeded");
    expect((await edge.send({ op: "apps.list" })).ok).toBe(true);
  });

  it("never streams a database password to the edge, even mid-command", async () => {
    edge.frames.length = 0;
    const res = await edge.send({ op: "databases.create", args: { plugin: "postgres", service: "leaky" } });
    expect(res.ok).toBe(true);
    const state = JSON.parse(readFileSync(join(sim.dir, "state.json"), "utf8")) as {
      services: Record<string, Record<string, { password: string }>>;
    };
    const password = state.services.postgres!.leaky!.password;
    const streamed = edge.frames.flatMap((f) => (f.type === "chunk" ? [f.data] : [])).join("");
    expect(streamed).toContain("postgres://postgres:***@");
    expect(streamed).not.toContain(password);
    expect(JSON.stringify(res)).not.toContain(password);
  });

  it("has run exactly the commands of the ops it accepted, and recorded each refusal", () => {
    expect(commandsRun().filter((c) => c.startsWith("dokku ps:restart"))).toEqual(["dokku ps:restart api"]);
    expect(rejections()).toEqual(
      expect.arrayContaining(["op id already seen (replay)", "op expired", "bad signature", "op is for host other, this is demo", "not in the catalog"]),
    );
  });

  it("still refuses a replay after the relay restarts (seen op ids are on disk)", async () => {
    const { id, jws } = await edge.sign({ op: "apps.list" });
    edge.sendRaw({ type: "op", id, jws });
    expect((await edge.result(id)).ok).toBe(true);
    await relay.stop();
    edge.frames.length = 0;
    await launch();
    edge.sendRaw({ type: "op", id, jws });
    expect(await edge.result(id)).toMatchObject({ ok: false, error: { code: "rejected" } });
  });
});

describe("the relay's local policy", () => {
  beforeAll(async () => {
    edge = await startFakeEdge(vars.OP_SIGNING_KEY);
  });
  afterEach(async () => {
    await relay.stop();
    sim.cleanup();
    rmSync(dir, { recursive: true, force: true });
  });
  afterAll(async () => edge.close());

  it("under --read-only runs reads and refuses every change", async () => {
    dir = mkdtempSync(join(tmpdir(), "docklight-policy-"));
    sim = makeSim();
    edge.frames.length = 0;
    await launch(["--read-only"]);
    expect((await edge.send({ op: "apps.list" })).ok).toBe(true);
    const res = await edge.send({ op: "apps.restart", args: { app: "api" } });
    expect(res).toMatchObject({ ok: false, error: { code: "denied", message: "this relay is read-only" } });
    expect(commandsRun()).not.toContain("dokku ps:restart api");
    expect(edge.frames.find((f) => f.type === "hello")).toMatchObject({ policy: { readOnly: true } });
  });

  it("under --deny refuses the named ops only", async () => {
    dir = mkdtempSync(join(tmpdir(), "docklight-policy-"));
    sim = makeSim();
    edge.frames.length = 0;
    await launch(["--deny", "apps.restart"]);
    expect(await edge.send({ op: "apps.restart", args: { app: "api" } })).toMatchObject({ ok: false, error: { code: "denied" } });
    expect((await edge.send({ op: "apps.list" })).ok).toBe(true);
    expect(commandsRun().sort()).toEqual(["dokku --quiet apps:list", "dokku ps:report"]); // run at once
  });
});
