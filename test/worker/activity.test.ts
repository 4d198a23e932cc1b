import { env, SELF } from "cloudflare:test";
import { afterEach, describe, expect, it } from "vitest";
import { ALL_GRANTS, NO_GRANTS, type Principal } from "../../protocol/policy.js";
import type { AuditFilter, AuditRow } from "../../worker/audit/events.js";
import { loggedInCookie, login, ORIGIN } from "./helpers.js";
import { standInRelay } from "./stand-in-relay.js";
import { getWith, inviteAndJoin, postForm, teamStub } from "./team-support.js";

/** The edge's audit trail (worker/audit/) and the Activity page that reads it. */
const hub = () => env.HOST_HUB.get(env.HOST_HUB.idFromName("demo"));
const events = (f: AuditFilter = {}) => teamStub().activity(f, 1000) as Promise<AuditRow[]>;
/** Events recorded off the request's path (the hub's ops) land a moment later: wait for one to show. */
async function eventually(f: AuditFilter, match: (e: AuditRow) => boolean): Promise<AuditRow> {
  for (let i = 0; i < 500; i++) {
    const found = (await events(f)).find(match);
    if (found) return found;
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error(`no such event: ${JSON.stringify(f)}`);
}

const owner: Principal = { user: "admin", role: "owner", grants: ALL_GRANTS };
const deployerOfWeb: Principal = { user: "dee@example.com", role: "deployer", grants: { ...NO_GRANTS, apps: ["web"] } };

let relay: Awaited<ReturnType<typeof standInRelay>> | null = null;
afterEach(() => relay?.close());

describe("the audit trail", () => {
  it("records sign-ins that worked and were refused, invitations and changes to users", async () => {
    expect((await login("not the password")).status).toBe(401);
    const cookie = await loggedInCookie();
    const refused = (await events({ kind: "sign-in" })).find((e) => e.outcome === "refused");
    expect(refused).toMatchObject({ actor: "admin", action: "password", detail: "wrong password" });
    expect((await events({ kind: "sign-in" })).find((e) => e.outcome === "ok")).toMatchObject({ actor: "admin", action: "password" });

    const bee = await inviteAndJoin(cookie, "bee@example.com", "deployer", [{ host: "demo", app: "web" }]);
    expect((await events({ kind: "invitation" })).map((e) => [e.action, e.actor, e.subject, e.detail])).toEqual([
      ["accepted", "bee@example.com", "bee@example.com", "as deployer"],
      ["invited", "admin", "bee@example.com", "as deployer"],
    ]);
    expect(await events({ kind: "user", user: "bee@example.com" })).toMatchObject([
      { action: "grant", actor: "admin", host: "demo", app: "web", outcome: "ok" },
    ]);

    expect((await postForm(`/users/${bee.id}/suspend`, cookie)).status).toBe(200);
    expect((await postForm("/users/admin/remove", cookie)).status).toBe(409);
    const changes = await events({ kind: "user" });
    expect(changes[0]).toMatchObject({
      action: "removed",
      subject: "admin",
      outcome: "refused",
      detail: "This is the last owner: make another user owner first.",
    });
    expect(changes[1]).toMatchObject({ action: "suspended", subject: "bee@example.com", outcome: "ok" });
  });

  it("records every op signed with its user, host, app and outcome, a change's end on its row, and a refusal at signing", async () => {
    relay = await standInRelay((op) => (op.op === "apps.restart" ? { output: "restarted\n" } : undefined));
    expect(await hub().run("apps.restart", { app: "web" }, deployerOfWeb)).toMatchObject({ kind: "ok" });
    const change = await eventually({ kind: "change" }, (e) => e.outcome !== "running");
    expect(change).toMatchObject({ actor: "dee@example.com", host: "demo", app: "web", op: "apps.restart", outcome: "ok", detail: "Restart web" });
    expect(change.ref).toBe((relay.seen[0] as { jti?: string }).jti);
    // one row per op: its "running" row was finished, not joined by a second
    expect((await events({ kind: "change" })).filter((e) => e.ref === change.ref)).toHaveLength(1);

    await hub().run("apps.detail", { app: "web" }, owner);
    expect(await eventually({ kind: "read" }, (e) => e.op === "apps.detail")).toMatchObject({
      actor: "admin",
      host: "demo",
      app: "web",
      outcome: "unavailable",
    });

    await hub().run("apps.restart", { app: "api" }, deployerOfWeb);
    const denied = await eventually({ app: "api" }, (e) => e.outcome === "denied");
    expect(denied).toMatchObject({
      kind: "change",
      actor: "dee@example.com",
      host: "demo",
      op: "apps.restart",
      detail: "you have no grant on app api on this host",
    });
    expect(relay.seen.map((s) => s.args)).not.toContainEqual({ app: "api" });
  });
});

describe("the Activity page", () => {
  it("is the owner's and admins': a deployer or viewer is refused by the policy", async () => {
    const cookie = await loggedInCookie();
    const ada = await inviteAndJoin(cookie, "ada@example.com", "admin");
    const val = await inviteAndJoin(cookie, "val@example.com", "viewer", [{ host: "demo" }]);
    expect((await getWith("/activity", ada.cookie)).status).toBe(200);
    const refused = await getWith("/activity", val.cookie);
    expect(refused.status).toBe(403);
    expect(await refused.text()).toContain("only owner or admin may do this (activity.all)");
    expect((await getWith("/activity/export.csv", val.cookie)).status).toBe(403);
    expect((await postForm("/activity/verify/demo", val.cookie)).status).toBe(403);
  });

  it("filters by user, host, app and kind, refuses a bad filter with a 400, and pages keeping the filters", async () => {
    const cookie = await loggedInCookie();
    await inviteAndJoin(cookie, "fil@example.com", "viewer", [{ host: "demo", app: "web" }]);
    const page = await (await getWith("/activity?kind=invitation&user=fil@example.com", cookie)).text();
    expect(page).toContain("fil@example.com");
    expect(page).not.toMatch(/<td data-label="Kind">sign-in<\/td>/);
    expect(page).toContain('href="/activity/export.csv?user=fil%40example.com&amp;kind=invitation"');
    const bad = await getWith("/activity?kind=everything&app=-x", cookie);
    expect(bad.status).toBe(400);
    const text = await bad.text();
    expect(text).toContain("everything is not a kind of event");
    expect(text).toContain("app:");
    expect((await getWith("/activity?colour=red", cookie)).status).toBe(400);

    for (let i = 0; i < 101; i++) await teamStub().record({ ...base, at: Date.now(), detail: `filler ${i}` });
    const first = await (await getWith("/activity?host=demo&kind=host", cookie)).text();
    const older = /href="(\/activity\?host=demo&amp;kind=host&amp;before=\d+)"/.exec(first)?.[1];
    expect(older, "an Older link keeping the filters").toBeDefined();
    const second = await (await getWith(older!.replaceAll("&amp;", "&"), cookie)).text();
    expect(second).toContain("filler 0");
    expect(second).not.toContain("filler 100");
  });

  it("exports CSV (formula-safe, RFC 4180) and JSON with the page's filters", async () => {
    const cookie = await loggedInCookie();
    await teamStub().record({ ...base, at: Date.parse("2026-01-02T03:04:05Z"), actor: "=HYPERLINK(1)", detail: 'say "hi", twice' });
    const csv = await getWith("/activity/export.csv?kind=host&host=demo", cookie);
    expect(csv.status).toBe(200);
    expect(csv.headers.get("content-type")).toBe("text/csv; charset=utf-8");
    expect(csv.headers.get("content-disposition")).toMatch(/^attachment; filename="docklight-activity-\d{4}-\d{2}-\d{2}\.csv"$/);
    const lines = (await csv.text()).split("\r\n");
    expect(lines[0]).toBe("id,at,kind,action,actor,subject,host,app,op,outcome,detail,ref,ip");
    expect(lines[1]).toMatch(/^\d+,2026-01-02T03:04:05\.000Z,host,verified,'=HYPERLINK\(1\),,demo,,,intact,"say ""hi"", twice",,$/);
    expect(lines.at(-1)).toBe("");
    const json = await getWith("/activity/export.json?kind=host&host=demo", cookie);
    const rows = JSON.parse(await json.text()) as AuditRow[];
    expect(rows[0]).toMatchObject({ actor: "=HYPERLINK(1)", kind: "host", host: "demo", time: "2026-01-02T03:04:05.000Z" });
    expect(rows.every((r) => r.kind === "host")).toBe(true);
  });

  it("verifies a host's chain with the heads kept from earlier verifications, and shows where it broke", async () => {
    const cookie = await loggedInCookie();
    const head = { seq: 7, hash: "a".repeat(64) };
    const reports = [
      { checked: 7, anchor: { seq: 0, hash: "0".repeat(64) }, head, intact: true, breaks: [], breaksTotal: 0 },
      {
        checked: 6,
        anchor: { seq: 0, hash: "0".repeat(64) },
        head: { seq: 6, hash: "b".repeat(64) },
        intact: false,
        breaks: [
          { kind: "edited", id: 4, seq: 4, message: "row 4 was changed after it was recorded" },
          { kind: "truncated", id: null, seq: 7, message: "the chain ended at seq 7 when last verified; it now ends at 6" },
        ],
        breaksTotal: 2,
      },
    ];
    relay = await standInRelay((op) => (op.op === "history.verify" ? reports.shift() : undefined));
    const first = await postForm("/activity/verify/demo", cookie);
    expect(first.status).toBe(200);
    expect(await first.text()).toContain("Intact: 7 rows checked, up to seq 7; no earlier head to compare");
    const second = await postForm("/activity/verify/demo", cookie);
    const html = await second.text();
    expect(html).toContain("Broken: 2 breaks in 6 rows checked (checked against 1 head kept from earlier verifications)");
    expect(html).toContain('<a href="/hosts/demo/history/4">row 4 was changed after it was recorded</a>');
    expect(html).toContain("the chain ended at seq 7 when last verified");
    expect(relay.seen.map((s) => s.args)).toEqual([{ known: [] }, { known: [head] }]);
    // the broken chain's head is not kept: the break keeps showing
    expect(await teamStub().chainHeads("demo")).toEqual([head]);
    expect((await events({ kind: "host", host: "demo" })).map((e) => e.outcome).slice(0, 2)).toEqual(["broken", "intact"]);
    expect((await postForm("/activity/verify/nohost", cookie)).status).toBe(404);
  });
});

const base = {
  kind: "host" as const,
  action: "verified",
  actor: "admin",
  subject: null,
  host: "demo",
  app: null,
  op: null,
  outcome: "intact",
  detail: null,
  ref: null,
  ip: null,
};

describe("hosts in the audit trail", () => {
  it("records a host added, renamed, its token rotated and its removal, by whom", async () => {
    const cookie = await loggedInCookie();
    const added = await SELF.fetch(`${ORIGIN}/hosts`, {
      method: "POST",
      headers: { cookie, origin: ORIGIN, accept: "application/json", "content-type": "application/x-www-form-urlencoded" },
      body: "name=audited",
    });
    expect(added.status).toBe(201);
    const { id } = (await added.json()) as { id: string };
    expect((await postForm(`/hosts/${id}/name`, cookie, { name: "audited-2" })).status).toBe(303);
    expect((await postForm(`/hosts/${id}/token`, cookie)).status).toBe(200);
    expect((await postForm(`/hosts/${id}/remove`, cookie)).status).toBe(303);
    expect((await events({ kind: "host", host: id })).map((e) => [e.action, e.actor, e.outcome, e.detail])).toEqual([
      ["removed", "admin", "ok", null],
      ["token-rotated", "admin", "ok", null],
      ["renamed", "admin", "ok", "to audited-2"],
      ["added", "admin", "ok", "named audited"],
    ]);
  });
});
