import { describe, expect, it } from "vitest";
import { ops } from "../../../protocol/ops.js";
import { parseExposedPorts } from "../../../relay/catalog/databases.js";
import { defineMatrix, freshSims, type Case } from "../../support/ops-matrix.js";
import { fakeRelay, runOp, simRelay } from "../../support/ops.js";

const sim = freshSims();
const pg = { plugin: "postgres", service: "main-db" } as const;

/** expose/unexpose: happy path, missing service, the plugin's error, timeout (test/support/ops-matrix.ts). */
const cases: Case[] = [
  {
    op: "databases.expose",
    args: { ...pg, ports: ["127.0.0.1:15432"] },
    command: "postgres:expose",
    check: (r) => expect(r.output).toBe("-----> Service main-db exposed on port(s) [container->host]: 5432->127.0.0.1:15432 \n"),
    missing: { plugin: "postgres", service: "nope" },
    missingMessage: /Postgres service nope does not exist/,
  },
  {
    op: "databases.unexpose",
    args: pg,
    command: "postgres:unexpose",
    check: (r) => expect(r.output).toBe("-----> Service main-db unexposed\n"),
    missing: { plugin: "postgres", service: "nope" },
    missingMessage: /Postgres service nope does not exist/,
  },
];

defineMatrix(cases);

describe.concurrent("exposing a database", () => {
  it("info shows the host ports after expose, none after unexpose; exposing twice is the plugin's error", async () => {
    const s = sim();
    expect((await runOp(simRelay(s), "databases.info", pg)).exposedPorts).toEqual([]);
    await runOp(simRelay(s), "databases.expose", { ...pg, ports: ["15432"] });
    expect((await runOp(simRelay(s), "databases.info", pg)).exposedPorts).toEqual([{ container: 5432, host: "15432" }]);
    await expect(runOp(simRelay(s), "databases.expose", pg)).rejects.toMatchObject({
      code: "dokku_error",
      message: "Service main-db already exposed on port(s) 15432",
    });
    await runOp(simRelay(s), "databases.unexpose", pg);
    expect((await runOp(simRelay(s), "databases.info", pg)).exposedPorts).toEqual([]);
  });

  it("without ports the plugin picks them; the wrong number of ports is its error", async () => {
    const s = sim();
    const r = await runOp(simRelay(s), "databases.expose", { plugin: "redis", service: "cache" });
    expect(r.output).toMatch(/^-----> Service cache exposed on port\(s\) \[container->host\]: 6379->\d+ \n$/);
    const err = await runOp(simRelay(s), "databases.expose", { ...pg, ports: ["15432", "15433"] }).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: "dokku_error", message: "1 ports to be exposed need to be provided in the following order: 5432" });
  });

  it("writes each port as one argv element after the service", async () => {
    const ctx = fakeRelay();
    await runOp(ctx, "databases.expose", { plugin: "mongo", service: "docs", ports: ["27017", "127.0.0.1:27018", "27019", "28017"] });
    expect(ctx.argvs).toEqual([["mongo:expose", "docs", "27017", "127.0.0.1:27018", "27019", "28017"]]);
  });

  it("reads the plugin's exposed ports, and refuses a form it does not print", () => {
    expect(parseExposedPorts("-")).toEqual([]);
    expect(parseExposedPorts("27017->1 27018->2 27019->3 28017->4 ")).toHaveLength(4);
    expect(parseExposedPorts("5432->127.0.0.1:15432 ")).toEqual([{ container: 5432, host: "127.0.0.1:15432" }]);
    expect(() => parseExposedPorts("5432:15432")).toThrow(/CONTAINER->HOST/);
  });

  it("refuses a port that is not a port, or an option", () => {
    const bad = (p: string) => !ops["databases.expose"].args.safeParse({ ...pg, ports: [p] }).success;
    for (const p of ["--publish", "0", "65536", "localhost:5432", "1.2.3:5432", "5432 5433", "::1:5432", "300.0.0.1:5432"]) expect(bad(p), p).toBe(true);
    for (const p of ["5432", "127.0.0.1:15432", "0.0.0.0:65535"]) expect(bad(p), p).toBe(false);
    expect(ops["databases.expose"].access).toMatchObject({ hostRoot: true });
  });
});
