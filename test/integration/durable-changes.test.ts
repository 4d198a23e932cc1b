import { describe, expect, it } from "vitest";
import { commandsIn, historyOf, until } from "../support/history.js";
import { useStack } from "../support/use-stack.js";

/**
 * Changes as durable jobs, with the real edge (wrangler dev, workerd) and a real relay on the
 * simulator: a burst of changes each ends with its real outcome; one change per app at a time;
 * a change outlives its viewer and any number of viewers can follow it from its first line;
 * output reads as a terminal would show it.
 */
const stack = useStack();
const headers = () => ({ cookie: stack.cookie, origin: stack.url });
const form = (path: string, body: Record<string, string>) =>
  fetch(`${stack.url}${path}`, {
    method: "POST",
    headers: { ...headers(), "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams(body),
  });
const post = (path: string, accept?: string) => fetch(`${stack.url}${path}`, { method: "POST", headers: { ...headers(), ...(accept ? { accept } : {}) } });
const get = (path: string, accept?: string) => fetch(`${stack.url}${path}`, { headers: { cookie: stack.cookie, ...(accept ? { accept } : {}) } });

/** The text an SSE stream of HTML fragments shows a person: tags and entities undone, data lines joined. */
function shownText(sse: string): string {
  return sse
    .split("\n")
    .filter((l) => l.startsWith("data: "))
    .map((l) => l.slice(6))
    .join("\n")
    .replace(/<[^>]+>/g, "")
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, "&");
}

/** Read an SSE response until `stop` says so (or the stream ends); returns what came. */
async function readUntil(res: Response, stop: (text: string) => boolean): Promise<{ text: string; reader: ReadableStreamDefaultReader<Uint8Array> }> {
  const reader = res.body!.getReader();
  const decoder = new TextDecoder();
  let text = "";
  while (!stop(text)) {
    const { value, done } = await reader.read();
    if (done) break;
    text += decoder.decode(value, { stream: true });
  }
  return { text, reader };
}

const opIdIn = (html: string) => /\/ops\/([0-9a-f-]{36})/.exec(html)?.[1];

describe("changes are durable jobs", () => {
  it("ends each of 200 concurrent changes with its real outcome, and history has exactly one row per command", async () => {
    const names = Array.from({ length: 200 }, (_, i) => `burst-${i}`);
    const answers = await Promise.all(names.map((name) => form("/hosts/demo/apps", { name }).then(async (r) => ({ status: r.status, html: await r.text() }))));
    // a refusal says why in its alert: the status and that text, not the page's head
    const said = (html: string) => /role="alert"[^>]*>([\s\S]{0,400})/.exec(html)?.[1]?.replace(/<[^>]+>/g, " ") ?? html.slice(-400);
    expect(answers.filter((a) => a.status !== 200).map((a) => `${a.status}: ${said(a.html)}`)).toEqual([]);
    const history = historyOf(stack.relays.demo!.db).filter((e) => e.op === "apps.create" && e.argv[1] === "apps:create");
    for (const name of names) expect(history.filter((e) => e.argv[2] === name)).toHaveLength(1);
    expect(history.every((e) => e.outcome === "ok")).toBe(true);
    // The burst did not make the relay drop its own link.
    expect(stack.relays.demo!.proc.output()).not.toContain("heartbeats unanswered");
  }, 300_000);

  it("runs one change per app at a time: the others are refused at once as busy, and nothing else ran", async () => {
    const relay = stack.relays.demo!;
    relay.sim.faults({ "ps:restart": { delayMs: 1500 } });
    const before = commandsIn(relay.db, "dokku ps:restart api").length;
    const answers = await Promise.all(
      Array.from({ length: 10 }, () => post("/hosts/demo/apps/api/ps/restart").then(async (r) => ({ status: r.status, html: await r.text() }))),
    );
    relay.sim.faults({});
    expect(answers.filter((a) => a.status === 200)).toHaveLength(1);
    const busy = answers.filter((a) => a.status === 409);
    expect(busy).toHaveLength(9);
    expect(busy[0]!.html).toContain("api is busy: Restart api");
    expect(commandsIn(relay.db, "dokku ps:restart api")).toHaveLength(before + 1);
    // Each refusal links to the page of the change that holds the app (the relay names it as data).
    const holder = opIdIn(busy[0]!.html)!;
    for (const b of busy) expect(b.html).toContain(`href="/hosts/demo/ops/${holder}"`);
    expect(
      historyOf(relay.db)
        .filter((e) => e.opId === holder)
        .map((e) => e.argv.slice(1)),
    ).toEqual([["ps:restart", "api"]]);
    expect((await get(`/hosts/demo/ops/${holder}`)).status).toBe(200);
  });

  it("keeps a change running after its viewer leaves; a second viewer sees its output from the first line", async () => {
    const relay = stack.relays.demo!;
    relay.sim.faults({ "ps:rebuild": { stdout: "-----> step one of the rebuild\n", delayMs: 2500 } });
    const first = await post("/hosts/demo/apps/api/ps/rebuild", "text/event-stream");
    const { text, reader } = await readUntil(first, (t) => t.includes("step one of the rebuild"));
    const opId = opIdIn(text)!;
    expect(opId).toBeDefined();
    await reader.cancel(); // the viewer leaves (tab closed, network lost)

    // The change is listed as running, and its page follows it from the first line.
    const runningNow = await (await get("/hosts/demo/ops/running")).text();
    expect(runningNow).toContain(`/hosts/demo/ops/${opId}`);
    expect(runningNow).toContain("Rebuild api"); // its title, sent by the relay

    const page = await get(`/hosts/demo/ops/${opId}`);
    expect(await page.text()).toContain("Cancel");
    const second = await readUntil(await get(`/hosts/demo/ops/${opId}/stream`, "text/event-stream"), (t) => t.includes("event: done"));
    const shown = shownText(second.text);
    expect(shown).toContain("step one of the rebuild");
    expect(shown).toContain("Releasing api");
    expect(second.text).toContain("event: done\ndata: ok");
    relay.sim.faults({});

    // the rebuild's own command (its release's snapshot reads follow it, under the same op)
    const rows = historyOf(relay.db).filter((e) => e.opId === opId && e.argv[1] === "ps:rebuild");
    expect(rows.map((r) => r.outcome)).toEqual(["ok"]);
    // Once ended, its page shows the outcome and the whole output from history.
    const ended = await (await get(`/hosts/demo/ops/${opId}`)).text();
    expect(ended).toContain("step one of the rebuild");
    expect(ended).toContain("dokku ps:rebuild api");
  });

  it("stops a change on Cancel, and history says cancelled", async () => {
    const relay = stack.relays.demo!;
    relay.sim.faults({ "ps:rebuild": { stdout: "-----> waiting\n", delayMs: 20_000 } });
    const started = await post("/hosts/demo/apps/blog.v2/ps/rebuild", "text/event-stream");
    const { text, reader } = await readUntil(started, (t) => t.includes("waiting"));
    const opId = opIdIn(text)!;
    expect((await fetch(`${stack.url}/hosts/demo/ops/${opId}/cancel`, { method: "POST", headers: { ...headers(), "hx-request": "true" } })).status).toBe(200);
    const rest = await readUntil(
      new Response(
        new ReadableStream({
          pull: async (c) => {
            const { value, done } = await reader.read();
            if (done) c.close();
            else c.enqueue(value);
          },
        }),
      ),
      (t) => t.includes("event: done"),
    );
    expect(rest.text).toContain("event: done\ndata: error");
    relay.sim.faults({});
    const rows = await until("the cancelled row", () => {
      const r = historyOf(relay.db).filter((e) => e.opId === opId && e.outcome !== "running");
      return r.length > 0 ? r : null;
    });
    expect(rows[0]!.outcome).toBe("cancelled");
    // Once it ended there is nothing to cancel, and the answer says so.
    const late = await fetch(`${stack.url}/hosts/demo/ops/${opId}/cancel`, { method: "POST", headers: { ...headers(), "hx-request": "true" } });
    expect(late.status).toBe(409);
    expect(await late.text()).toContain("Nothing to cancel");
    // An op id this host never ran: a whole page (with the host's navigation) that says so.
    const unknown = await get("/hosts/demo/ops/00000000-0000-4000-8000-000000000000");
    expect(unknown.status).toBe(404);
    const page = await unknown.text();
    expect(page).toContain("No change with this id ran on this host");
    expect(page).toContain('aria-label="Host"');
  });

  it("renders terminal output as a person reads it: escape sequences gone, a carriage return rewrites the line", async () => {
    const relay = stack.relays.demo!;
    relay.sim.faults({
      "ps:rebuild": { stdout: "\u001b[1G-----> Pulling image\nlayer: Waiting\rlayer: Downloading 50%\rlayer: Pull complete\n\u001b[31mred text\u001b[0m\n" },
    });
    const res = await post("/hosts/demo/apps/api/ps/rebuild", "text/event-stream");
    const { text } = await readUntil(res, (t) => t.includes("event: done"));
    relay.sim.faults({});
    const shown = shownText(text);
    expect(shown).toContain("-----> Pulling image");
    expect(shown).toContain("layer: Pull complete");
    expect(shown).not.toContain("Waiting");
    expect(shown).toContain("red text");
    expect(text).not.toMatch(/\u001b|\[1G|\[31m|\r/);
    const opId = opIdIn(text)!;
    const row = historyOf(relay.db).find((e) => e.opId === opId)!;
    expect(row.stdout).toContain("layer: Pull complete");
    expect(row.stdout).not.toMatch(/\u001b|\r/);
  });

  it("ends a change printing 2 MiB (watched live) and one printing 20 MiB (answered whole) ok with exit 0, on its page and in history", async () => {
    const relay = stack.relays.demo!;
    relay.sim.faults({ "ps:rebuild": { printBytes: 2 * 1024 * 1024 } });
    const { text } = await readUntil(await post("/hosts/demo/apps/api/ps/rebuild", "text/event-stream"), (t) => t.includes("event: done"));
    expect(text).toContain("event: done\ndata: ok");
    expect(shownText(text)).toContain("Shutting down old containers");
    const watched = opIdIn(text)!;

    // Answered whole: the answer waits for the result frame itself, which once carried all 20 MiB.
    relay.sim.faults({ "ps:rebuild": { printBytes: 20 * 1024 * 1024 } });
    const whole = await fetch(`${stack.url}/hosts/demo/apps/api/ps/rebuild`, { method: "POST", headers: { ...headers(), "hx-request": "true" } });
    relay.sim.faults({});
    const answer = await whole.text();
    expect(whole.status).toBe(200);
    expect(answer).toContain("outcome-ok");
    expect(answer).toContain("Shutting down old containers");
    const unwatched = historyOf(relay.db)
      .filter((e) => e.argv.join(" ") === "dokku ps:rebuild api")
      .at(-1)!.opId;

    for (const opId of [watched, unwatched]) {
      const row = await until("its history row ended", () => historyOf(relay.db).find((e) => e.opId === opId && e.outcome !== "running"));
      expect(row).toMatchObject({ outcome: "ok", exitCode: 0 });
      const page = await (await get(`/hosts/demo/ops/${opId}`)).text();
      expect(page).toContain("exit 0");
      expect(page).toContain("Shutting down old containers");
    }
    expect(stack.edge.output()).not.toContain("unreadable frame");
  }, 240_000);
});
