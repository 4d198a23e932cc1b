import { SELF } from "cloudflare:test";
import { afterAll, describe, expect, it } from "vitest";
import { ops, type OpName } from "../../protocol/ops.js";
import { decide, isAdminRole } from "../../protocol/policy.js";
import { ORIGIN } from "./helpers.js";
import { fill, GET_ROUTES, HOST_RECORD_CHANGES, MEMBERS, postRouteOf, signInMembers, type Member, type Signed } from "./host-routes.js";
import { actionsIn, type PageAction } from "./page-actions.js";
import { sampleResult, type Shape } from "./sample-answers.js";
import { standInRelay, type SeenOp } from "./stand-in-relay.js";

/**
 * Every page and fragment of a host (read from the edge's route table, so a new tab is in it
 * unnamed), rendered for every member (owner, admin, deployer, viewer, host-root deployer, and a
 * deployer and a viewer granted one app) against a stand-in relay that answers every read with a
 * schema-valid result (full lists and flags set, then empty lists and flags unset, as some actions
 * show in only one of them): no page offers a form or button whose op the policy refuses that
 * member. What op an action runs is not listed by hand: the action is submitted as the member, and
 * a 403 (the policy's refusal where the op is signed) means it should not have been shown; an
 * action that stops at its input check as the member is submitted as the owner, and the ops that
 * signed for the owner are put to the policy for the member.
 */

let shape: Shape = "full";
const answer = (op: SeenOp) => (ops[op.op as OpName]?.mutates ? { output: "done" } : sampleResult(op.op as OpName, shape));

let members: Record<Member, Signed> | undefined;
let relay: Awaited<ReturnType<typeof standInRelay>> | undefined;
let relayShape: Shape | undefined;

/** Members signed in once per file; a relay answering in `s` (a new one per shape: the hub forgets its reads when its relay reconnects). */
async function ready(s: Shape) {
  members ??= await signInMembers("pages");
  if (relayShape !== s) {
    relay?.close();
    shape = s;
    relay = await standInRelay(answer);
    relayShape = s;
  }
  return { members, relay: relay! };
}
afterAll(() => relay?.close());

async function send(cookie: string, a: PageAction): Promise<{ status: number; text: string }> {
  const headers: Record<string, string> = { cookie, origin: ORIGIN, "hx-request": "true" };
  let body: BodyInit;
  if (a.multipart) {
    const f = new FormData();
    for (const [k, v] of Object.entries(a.fields)) f.set(k, v);
    body = f;
  } else {
    headers["content-type"] = "application/x-www-form-urlencoded";
    body = new URLSearchParams(a.fields).toString();
  }
  const res = await SELF.fetch(`${ORIGIN}${a.path}`, { method: "POST", headers, body, redirect: "manual" });
  if ((res.headers.get("content-type") ?? "").startsWith("text/event-stream")) {
    await res.body?.cancel();
    return { status: res.status, text: "" };
  }
  return { status: res.status, text: await res.text() };
}

/** What the owner's submission of the same action signed (each action once per shape). */
const ownerSigned = new Map<string, SeenOp[]>();
async function signedForOwner(a: PageAction, owner: Signed, seen: SeenOp[]): Promise<SeenOp[]> {
  const key = `${shape} ${a.path} ${JSON.stringify(a.fields)}`;
  if (!ownerSigned.has(key)) {
    const before = seen.length;
    await send(owner.cookie, a);
    ownerSigned.set(key, seen.slice(before));
  }
  return ownerSigned.get(key)!;
}

/** Why `a`, shown to `m`, should not have been: null when the policy lets `m` take it. */
async function refusal(m: Member, a: PageAction): Promise<string | null> {
  const { members, relay } = await ready(shape);
  const pattern = postRouteOf(new URL(a.path, ORIGIN).pathname);
  if (pattern === null) return "it posts to no route of the edge";
  if (HOST_RECORD_CHANGES.has(pattern)) {
    // the host record's changes are the owner's; done, they would cut the relay off this test
    if (m === "owner") return null;
    const res = await send(members[m].cookie, a);
    return res.status === 403 ? "the host record is the owner's to change" : null;
  }
  // the policy refuses owners and admins no op
  if (isAdminRole(members[m].user.role)) return null;
  const ran = await signedForOwner(a, members.owner, relay.seen);
  for (const op of ran) {
    const d = decide(members[m].on("demo"), op.op, op.args);
    if (!d.allowed) return `it runs ${op.op}, which the policy refuses: ${d.reason}`;
  }
  if (ran.length > 0) return null;
  // no op signed for the owner (a route of the edge's own, or input the owner's submission could not pass): the member's own answer
  const res = await send(members[m].cookie, a);
  return res.status === 403 ? `answered 403: ${res.text.slice(0, 200)}` : null;
}

const PAGES = GET_ROUTES.filter((p) => !p.includes("export") && !p.endsWith("/stream"));

/** Every page and fragment as `m` gets it (a few at a time: each only reads), with the path it was read at. */
async function pagesAs(cookie: string): Promise<Array<{ pattern: string; status: number; html: string }>> {
  const out: Array<{ pattern: string; status: number; html: string }> = [];
  const queue = [...PAGES];
  const worker = async () => {
    for (let pattern = queue.shift(); pattern !== undefined; pattern = queue.shift()) {
      const res = await SELF.fetch(`${ORIGIN}${fill(pattern, "web", "demo")}`, { headers: { cookie }, redirect: "manual" });
      if ((res.headers.get("content-type") ?? "").startsWith("text/html")) out.push({ pattern, status: res.status, html: await res.text() });
      else await res.body?.cancel();
    }
  };
  await Promise.all([worker(), worker(), worker(), worker()]);
  return out;
}

/**
 * Owners and admins are refused no op: the owner is read (the policy's answers for others are
 * taken from what the owner's submissions signed); an admin's pages differ only in the host
 * record's forms, which hosts' own tests hold.
 */
const CHECKED: Record<Shape, readonly Member[]> = {
  full: MEMBERS.filter((m) => m !== "admin"),
  // the actions only an empty list or an unset flag shows, for two ends of the policy (every page again takes long)
  empty: ["deployer", "app-viewer"],
};

describe.each(["full", "empty"] as const)("with %s reads, what each page offers", (s) => {
  it.each(CHECKED[s])(
    "as %s: no form or button the policy refuses",
    async (m) => {
      const { members } = await ready(s);
      const wrong: string[] = [];
      let offered = 0;
      for (const page of await pagesAs(members[m].cookie)) {
        expect(page.status, `GET ${page.pattern}`).not.toBe(500);
        for (const a of actionsIn(page.html)) {
          offered++;
          const why = await refusal(m, a);
          if (why) wrong.push(`GET ${page.pattern} offers POST ${a.path} (${why})\n    ${a.html.replace(/\s+/g, " ").slice(0, 160)}`);
        }
      }
      // the owner is offered every action: the test reaches the pages' forms, not only their errors
      if (m === "owner") expect(offered).toBeGreaterThan(50);
      expect(wrong, wrong.join("\n")).toEqual([]);
    },
    300_000,
  );
});
