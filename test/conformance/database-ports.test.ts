import { describe, expect, it } from "vitest";
import { ExposeSection } from "../../worker/pages/database-ports.js";
import { page, replay, replayError } from "./harness.js";

/** expose/unexpose and info's exposed ports replayed from recordings (fixtures/datastore-ports.json, each naming its source). */
describe("exposing a database", () => {
  const pg = { plugin: "postgres", service: "main-db" } as const;

  it("info's exposed ports are read and shown as host ports, with Unexpose", async () => {
    const info = await replay("databases.info", pg, "0.35.20", ["postgres-info/exposed"]);
    expect(info.exposedPorts).toEqual([{ container: 5432, host: "127.0.0.1:15432" }]);
    expect(info.dsn).toBe("postgres://postgres:***@dokku-postgres-main-db:5432/main_db");
    const text = page(ExposeSection({ may: () => true, host: "demo", ...pg, ports: info.exposedPorts }));
    expect(text).toContain("port 5432 on host port 127.0.0.1:15432");
    expect(text).toContain("Unexpose");
    expect(page(ExposeSection({ may: () => true, host: "demo", ...pg, ports: [] }))).toContain("Not exposed: only linked apps reach it.");
  });

  it("expose and unexpose print one line; exposing twice or with the wrong count is the plugin's error", async () => {
    expect(await replay("databases.expose", { ...pg, ports: ["127.0.0.1:15432"] }, "0.35.20", ["postgres-expose/ok"])).toEqual({
      output: "-----> Service main-db exposed on port(s) [container->host]: 5432->127.0.0.1:15432 \n",
    });
    expect(await replay("databases.unexpose", pg, "0.35.20", ["postgres-unexpose/ok"])).toEqual({ output: "-----> Service main-db unexposed\n" });
    expect(await replayError("databases.expose", pg, "0.35.20", ["postgres-expose/already"])).toMatchObject({
      code: "dokku_error",
      message: "Service main-db already exposed on port(s) 127.0.0.1:15432",
    });
    expect(await replayError("databases.expose", { ...pg, ports: ["15432", "15433"] }, "0.35.20", ["postgres-expose/count"])).toMatchObject({
      code: "dokku_error",
      message: "1 ports to be exposed need to be provided in the following order: 5432",
    });
  });
});
