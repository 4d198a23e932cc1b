import { describe, expect, it } from "vitest";
import { keySlug, normalizeReportKeys, parseIndentedFields, parseJsonReport, parseReports } from "../../../relay/dokku/report.js";

// Go layout (ps:report, 0.36): key+colon padded to 31, sorted, value unpadded.
const goAllApps = [
  "=====> node-js-app ps information",
  "       Computed stop timeout seconds: 30",
  "       Deployed:                      true",
  "       Processes:                     2",
  "       Ps can scale:                  true",
  "       Ps procfile path:              ",
  "       Running:                       mixed",
  "       Status web 1:                  running (CID: 4c1d8f2a9b3)",
  "       Status worker 1:               exited (CID: 9b3c1d8f2a4)",
  "=====> blog.v2 ps information",
  "       Deployed:                      true",
  "       Processes:                     1",
  "       Running:                       false",
  "=====> fresh ps information",
  "       Deployed:                      false",
  "       Processes:                     0",
  "       Running:                       false",
  "",
].join("\n");

// Bash layout (domains:report): printf "%-30s %-25s" leaves trailing spaces.
const bashDomains = [
  "=====> node-js-app domains information",
  `       ${"Domains app enabled:".padEnd(30)} ${"true".padEnd(25)}`,
  `       ${"Domains app vhosts:".padEnd(30)} ${"node-js-app.dokku.me www.example.com".padEnd(25)}`,
  `       ${"Domains global vhosts:".padEnd(30)} ${"dokku.me".padEnd(25)}`,
].join("\n");

describe("parseReports", () => {
  it("splits an all-apps ps:report into one block per app, dotted names included", () => {
    const blocks = parseReports(goAllApps);
    expect(blocks.map((b) => b.app)).toEqual(["node-js-app", "blog.v2", "fresh"]);
    expect(blocks.every((b) => b.report === "ps")).toBe(true);
  });

  it("reads running, stopped, mixed and undeployed states", () => {
    const [node, blog, fresh] = parseReports(goAllApps);
    expect(node!.fields).toMatchObject({ deployed: "true", running: "mixed", processes: "2" });
    expect(blog!.fields).toMatchObject({ deployed: "true", running: "false", processes: "1" });
    expect(fresh!.fields).toMatchObject({ deployed: "false", running: "false", processes: "0" });
  });

  it("keeps colons inside values and reads per-container status keys", () => {
    const [node] = parseReports(goAllApps);
    expect(node!.fields["status-web-1"]).toBe("running (CID: 4c1d8f2a9b3)");
    expect(node!.fields["computed-stop-timeout-seconds"]).toBe("30");
    expect(node!.fields["ps-procfile-path"]).toBe("");
  });

  it("trims bash padding and trailing spaces", () => {
    const [block] = parseReports(bashDomains);
    expect(block!.report).toBe("domains");
    expect(block!.fields["domains-app-vhosts"]).toBe("node-js-app.dokku.me www.example.com");
    expect(block!.fields["domains-global-vhosts"]).toBe("dokku.me");
  });

  it("ignores lines outside a block and CRLF endings", () => {
    expect(parseReports("       Deployed: true\r\n")).toEqual([]);
    const [b] = parseReports("=====> a ps information\r\n       Deployed:   true\r\n");
    expect(b!.fields.deployed).toBe("true");
  });

  it("slugs display keys", () => {
    expect(keySlug("Status web 1")).toBe("status-web-1");
    expect(keySlug(" Ps can scale ")).toBe("ps-can-scale");
  });
});

describe("reports", () => {
  it("normalises 0.30 text, <0.38.8 prefixed JSON and 0.38.8 unprefixed JSON to the same keys", () => {
    const text = parseReports(
      [
        "=====> node-js-app ps information",
        "       Deployed:                      true",
        "       Ps can scale:                  true",
        "       Status web 1:                  running (CID: 4c1d8f2a9b3)",
      ].join("\n"),
    )[0]!.fields;
    const oldJson = parseJsonReport('{"deployed":"true","ps-can-scale":"true","status-web.1":"running (CID: 4c1d8f2a9b3)"}');
    const newJson = parseJsonReport('{"can-scale":"true","deployed":"true","ps-can-scale":"true"}');
    for (const f of [text, oldJson, newJson]) expect(normalizeReportKeys(f, ["ps"])).toMatchObject({ deployed: "true", "can-scale": "true" });
  });
  it("reads 0.38 bash JSON (domains, keys already stripped)", () => {
    const f = parseJsonReport('{"app-enabled":"true","app-vhosts":"a.example.com b.example.com","global-enabled":"true","global-vhosts":"dokku.me"}');
    expect(normalizeReportKeys(f, ["domains"])).toEqual({
      "app-enabled": "true",
      "app-vhosts": "a.example.com b.example.com",
      "global-enabled": "true",
      "global-vhosts": "dokku.me",
    });
  });
  it("refuses output with no JSON object", () => {
    expect(() => parseJsonReport(" !     Invalid flag passed, valid flags: --domains-app-enabled")).toThrow(/no JSON object/);
  });
  it("reads a datastore info block padded to 20 columns, colons inside values kept", () => {
    const info = [
      "=====> lollipop postgres service information",
      "       Config dir:          /var/lib/dokku/services/postgres/lollipop/data",
      "       Config options:",
      "       Dsn:                 postgres://postgres:8d3f@dokku-postgres-lollipop:5432/lollipop",
      "       Exposed ports:       5432->15432 ",
      "       Links:               node-js-app other ",
      "       Post create network:",
      "       Status:              running",
    ].join("\n");
    const f = parseIndentedFields(info);
    expect(f).toMatchObject({
      "config-options": "",
      dsn: "postgres://postgres:8d3f@dokku-postgres-lollipop:5432/lollipop",
      "exposed-ports": "5432->15432",
      links: "node-js-app other",
      "post-create-network": "",
      status: "running",
    });
  });
});
