import { env, runInDurableObject, SELF } from "cloudflare:test";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { appOf, ops, type OpName } from "../../protocol/ops.js";
import { decide, mayAct } from "../../protocol/policy.js";
import { ORIGIN } from "./helpers.js";
import { fill, GET_ROUTES, HOST_RECORD_PAGES, MEMBERS, signInMembers, type Member, type Signed } from "./host-routes.js";
import { sampleResult } from "./sample-answers.js";
import { standInRelay, type SeenOp } from "./stand-in-relay.js";

/**
 * Every page and fragment of a host (GET, read from the edge's own route table, so a route added
 * later is in it unnamed) × every member (owner, admin, deployer, viewer, host-root deployer, and a
 * deployer and a viewer granted app web) × an app granted or not, named in the URL and the query,
 * and on a host the member holds no grant on. What a route reads is not listed by hand: the
 * owner's request of the same URL signs the route's reads, and the member's answer must be what
 * the one policy says of those reads for the member:
 * - every one allowed: the page, never a refusal;
 * - every one refused: 403 (or, for a page already streaming, a part saying "Not allowed"), and
 *   nothing reaches the relay;
 * - some refused (a dashboard that reads an app-only user's apps one by one): the page, without them;
 * - none (the route reads nothing from the host): either;
 * and whatever the answer, every op the relay receives for the member is one the policy allows,
 * on the app the URL named. The host record's pages are the owner's (`hosts.manage`).
 */

/** The stand-in host: a schema-valid answer to every read (a database dump: an empty one, as its bytes are not sent). */
function answer(op: SeenOp): unknown {
  if (op.op === "databases.export") return { bytes: 0 };
  return ops[op.op as OpName]?.mutates ? { output: "done" } : sampleResult(op.op as OpName, "full");
}

let members: Record<Member, Signed>;
let relay: Awaited<ReturnType<typeof standInRelay>>;
/** What the owner's request of each route signed, per app: the route's reads. */
const reads = new Map<string, SeenOp[]>();
const key = (pattern: string, app: string) => `${pattern} on ${app}`;
/** The owner's answers that were not a page: an unhandled error, or a refusal. */
const ownerWrong: string[] = [];

beforeAll(async () => {
  relay = await standInRelay(answer);
  members = await signInMembers("get-matrix");
  const hub = env.HOST_HUB.get(env.HOST_HUB.idFromName("demo"));
  for (const pattern of ROUTES)
    for (const app of TARGETS.owner) {
      // every read the route makes goes to the relay, none answered from what an earlier route read
      await runInDurableObject(hub, (h) => (h as unknown as { cache: { clear(): void } }).cache.clear());
      const a = await read("owner", pattern, app);
      reads.set(key(pattern, app), a.sent);
      if (a.status === 500 || a.refused) ownerWrong.push(`GET ${pattern} on ${app}: ${a.status}${a.refused ? " (refused)" : ""}`);
    }
}, 600_000);
afterAll(() => relay.close());

/**
 * Live streams (a log tail, a change's output) are read only to their headers, so an op they sign
 * may reach the relay after the request is counted: their answer is checked, and what they signed
 * is checked with everything else at the end. They come last, after the exports (downloads read
 * only to their headers too: the stand-in relay sends no rows), so no late op is counted as a
 * later route's.
 */
const STREAMS = GET_ROUTES.filter((p) => p.endsWith("/stream"));
const DOWNLOADS = GET_ROUTES.filter((p) => p.includes("export"));
const ROUTES = [...GET_ROUTES.filter((p) => !STREAMS.includes(p) && !DOWNLOADS.includes(p)), ...DOWNLOADS, ...STREAMS];

/**
 * The routes that show a user granted only some apps their part of a host-wide view rather than
 * refuse it: the dashboard and its apps table read each granted app alone (worker/routes/granted-apps.ts),
 * and the running-changes banner every host page loads lists none.
 */
const OWN_PART = new Set(["/hosts/:host", "/hosts/:host/apps-list", "/hosts/:host/ops/running"]);

/** Granted the whole host (or everything), web and api are alike to a member: one of them is enough. */
const TARGETS: Record<Member, string[]> = {
  owner: ["web", "api"],
  admin: ["api"],
  deployer: ["api"],
  viewer: ["api"],
  "deployer-root": ["api"],
  "app-deployer": ["web", "api"],
  "app-viewer": ["web", "api"],
};

interface Answer {
  status: number;
  /** The answer says it refused: 403, or a page whose part says "Not allowed". */
  refused: boolean;
  /** The ops the relay received for this member while the request was answered. */
  sent: SeenOp[];
}

/** One GET as member `m` of `pattern` filled in for `app` on `host`, the app named in the query too. */
async function read(m: Member, pattern: string, app: string, host = "demo"): Promise<Answer> {
  const who = members[m].user.name;
  const before = relay.seen.length;
  const res = await SELF.fetch(`${ORIGIN}${fill(pattern, app, host)}?app=${app}`, { headers: { cookie: members[m].cookie }, redirect: "manual" });
  let text = "";
  // A page or fragment is read whole; a live stream or a download only to its headers (see ROUTES).
  if ((res.headers.get("content-type") ?? "").startsWith("text/html")) text = await res.text();
  else await res.body?.cancel();
  const sent = relay.seen.slice(before).filter((s) => s.sub === who);
  return { status: res.status, refused: res.status === 403 || text.includes("Not allowed:"), sent };
}

describe("the GET matrix, as the owner", () => {
  it("every route answers, none refused, and most reach the relay", () => {
    expect(ownerWrong, ownerWrong.join("\n")).toEqual([]);
    // the matrix is about reads: most routes sign some (not only edge-side pages and input errors)
    const signing = GET_ROUTES.filter((p) => reads.get(key(p, "api"))!.length > 0);
    expect(signing.length, `routes that signed an op:\n${signing.join("\n")}`).toBeGreaterThanOrEqual(Math.floor(GET_ROUTES.length / 2));
  });
});

// Members one at a time each, all at once (what the relay received is told apart by whom it was signed for).
describe.concurrent("the GET matrix, as every other member", () => {
  it.for(MEMBERS.filter((m) => m !== "owner"))(
    "as %s: every route answers what the policy says of its reads, and a refused read reaches no relay",
    { timeout: 300_000 },
    async (m, { expect }) => {
      const principal = members[m].on("demo");
      const wrong: string[] = [];
      let refusedSeen = 0;
      for (const pattern of ROUTES)
        for (const app of TARGETS[m]) {
          const a = await read(m, pattern, app);
          const where = `GET ${pattern} on ${app}: ${a.status}`;
          if (a.status === 500) wrong.push(`${where}: an unhandled error`);
          if (STREAMS.includes(pattern)) continue;
          for (const op of a.sent) {
            const d = decide(principal, op.op, op.args);
            if (!d.allowed) wrong.push(`${where}: ${op.op} ${JSON.stringify(op.args)} reached the relay, which the policy refuses: ${d.reason}`);
            const acted = appOf(op.args);
            if (acted !== null && acted !== app) wrong.push(`${where}: ${op.op} acted on ${acted}, not the app the URL named`);
          }
          if (a.refused) {
            refusedSeen++;
            if (a.sent.length > 0) wrong.push(`${where}: refused, yet ${a.sent.map((s) => s.op).join(", ")} reached the relay`);
          }
          const expected = HOST_RECORD_PAGES.has(pattern)
            ? verdictOfAction(m)
            : verdictOfReads(principal, reads.get(key(pattern, app))!, OWN_PART.has(pattern));
          if (expected === "allowed" && a.refused) wrong.push(`${where}: refused, though the policy allows every read it makes`);
          if (expected === "refused" && !a.refused) wrong.push(`${where}: answered, though the policy refuses every read it makes`);
        }
      // granted only web, the member is refused api's pages: the refusals are there to check
      if (m.startsWith("app-")) expect(refusedSeen).toBeGreaterThan(GET_ROUTES.length / 2);
      expect(wrong, wrong.join("\n")).toEqual([]);
    },
  );
});

describe("the GET matrix, afterwards", () => {
  it("as app-deployer, on a host they hold no grant on: every route refused, nothing sent", async () => {
    const m = "app-deployer";
    const wrong: string[] = [];
    for (const pattern of GET_ROUTES) {
      const a = await read(m, pattern, "web", "elsewhere");
      if (a.status !== 403 || a.sent.length > 0) wrong.push(`GET ${pattern} on elsewhere: ${a.status}, ${a.sent.length} op(s) sent`);
    }
    expect(wrong, wrong.join("\n")).toEqual([]);
  }, 300_000);

  it("no op any request signed is one the policy refuses its user (however late it arrived)", () => {
    for (const m of MEMBERS) {
      const mine = relay.seen.filter((s) => s.sub === members[m].user.name);
      for (const op of mine) expect(decide(members[m].on("demo"), op.op, op.args), `${op.op} for ${m}`).toEqual({ allowed: true });
    }
  });
});

/** What the policy says of the reads `signed` for member `p`: all allowed, all refused, or some of each ("either"). */
function verdictOfReads(p: Parameters<typeof decide>[0], signed: SeenOp[], ownPart: boolean): "allowed" | "refused" | "either" {
  // A route that reads nothing from the host (an empty form, the hub's own deploy hook state, which
  // the hub puts to the policy itself) has no reads to judge it by: only that nothing refused was sent.
  if (signed.length === 0) return "either";
  const allowed = signed.map((s) => decide(p, s.op, s.args).allowed);
  if (allowed.every(Boolean)) return "allowed";
  return allowed.some(Boolean) || ownPart ? "either" : "refused";
}

/** The host record's pages: the owner's action. */
function verdictOfAction(m: Member): "allowed" | "refused" {
  return mayAct(members[m].user.role, "hosts.manage").allowed ? "allowed" : "refused";
}
