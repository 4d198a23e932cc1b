import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { historyOf } from "../support/history.js";
import { useStack } from "../support/use-stack.js";

const stack = useStack();

const base = "/hosts/demo/apps/api";
const get = (path: string, headers: Record<string, string> = {}) => fetch(`${stack.url}${path}`, { headers: { cookie: stack.cookie, ...headers } });
const post = (path: string, form: Record<string, string>) =>
  fetch(`${stack.url}${path}`, {
    method: "POST",
    headers: { cookie: stack.cookie, origin: stack.url, "content-type": "application/x-www-form-urlencoded", "hx-request": "true" },
    body: new URLSearchParams(form),
  });
const ran = () => historyOf(stack.relays.demo!.db).length;

describe("per-app pages refuse bad input with a 400 that says what was wrong, and run nothing", () => {
  it("names every bad line of a pasted env block", async () => {
    const before = ran();
    const res = await post(`${base}/config/bulk`, { lines: "GOOD=1\nno equals sign\n# comment\n1BAD=x\nGOOD=2\nA-B=c" });
    expect(res.status).toBe(400);
    const html = await res.text();
    expect(html).toContain("Not accepted (nothing was changed)");
    expect(html).toContain("line 2: not a KEY=value line (dotenv skips it)");
    expect(html).toContain("line 4: the text before &#39;=&#39; is not a valid key");
    expect(html).toContain("line 6: the text before &#39;=&#39; is not a valid key");
    expect(html).not.toContain("1BAD"); // a line that is not KEY=value is never quoted back
    expect(html).not.toContain("line 1:");
    expect(html).not.toContain("line 3:");
    expect(html).not.toContain("line 5:"); // a later GOOD overrides the earlier one, as in dotenv
    expect((await post(`${base}/config/bulk`, { lines: "\n# only a comment\n" })).status).toBe(400);
    expect(ran()).toBe(before);
  });

  it("refuses a bad key, a bad domain, a bad count and a bad e-mail", async () => {
    const before = ran();
    const cases: Array<[string, Record<string, string>, string]> = [
      [`${base}/config/set`, { key: "BAD KEY", value: "x" }, "an env key starts with a letter or &#39;_&#39;"],
      [`${base}/config/unset`, { key: "$(reboot)" }, "an env key starts with"],
      [`${base}/domains/add`, { domain: "bad_domain!" }, "a domain is a lowercase hostname"],
      [`${base}/domains/add`, { domain: "" }, "domain: give a domain"],
      [`${base}/domains/remove`, { domain: "-x.example.com" }, "a domain is a lowercase hostname"],
      [`${base}/scale`, { "scale.web": "101" }, "a count is a whole number from 0 to 100"],
      [`${base}/scale`, { "scale.web": "" }, "a count is a whole number from 0 to 100"],
      [`${base}/scale`, { "scale.we b": "1" }, "a process type holds only"],
      [`${base}/scale`, {}, "give a count for at least one process type"],
      [`${base}/tls/enable`, { email: "not-an-address" }, "give an e-mail address"],
      [`${base}/ports/add`, { scheme: "ftp", host_port: "21", container_port: "21" }, "the scheme is http, https, grpc, grpcs, tcp or udp"],
      [`${base}/ports/add`, { scheme: "http", host_port: "0", container_port: "5000" }, "a port is a whole number from 1 to 65535"],
      [`${base}/ports/add`, { scheme: "http", host_port: "80", container_port: "70000" }, "a port is a whole number from 1 to 65535"],
      [`${base}/ports/add`, { scheme: "http", host_port: "8.5", container_port: "5000" }, "a port is a whole number from 1 to 65535"],
      [`${base}/ports/remove`, { mapping: "http:80" }, "a port mapping is scheme:host-port:container-port"],
      [`${base}/ports/remove`, { mapping: "http:80:5000 tcp:22:22" }, "a port mapping is scheme:host-port:container-port"],
      [`${base}/deploy/sync`, { remote: "https://user:ghp_secret@github.com/acme/app.git" }, "put no credentials in the URL"],
      [`${base}/deploy/sync`, { remote: "--upload-pack=touch /tmp/x" }, "a repository URL holds no spaces"],
      [`${base}/deploy/sync`, { remote: "file:///etc/passwd" }, "a repository is an https://, http:// or ssh:// URL, or user@host:path"],
      [`${base}/deploy/sync`, { remote: "https://github.com/acme/app.git", ref: "--force" }, "a branch, tag or commit holds letters"],
      [`${base}/deploy/sync`, { remote: "https://github.com/acme/app.git", ref: "a..b" }, "that is not a valid branch, tag or commit name"],
      [`${base}/deploy/checks`, { state: "on" }, "state is enabled, disabled or skipped"],
      [`${base}/deploy/branch`, { branch: "--orphan" }, "a branch, tag or commit holds letters"],
      [`${base}/deploy/builder`, { builder: "curl|sh" }, "the builder is one of herokuish, dockerfile"],
      [`${base}/deploy/build-dir`, { build_dir: "/etc" }, "a build directory is a relative path"],
      [`${base}/deploy/build-dir`, { build_dir: "apps/../../etc" }, "a build directory stays inside the repository"],
      [`${base}/deploy/buildpacks/add`, { url: "https://ghp_secret@github.com/acme/bp.git" }, "put no credentials in a buildpack URL"],
      [`${base}/deploy/buildpacks/add`, { url: "heroku/nodejs", index: "0" }, "the position is a whole number from 1 to 100"],
      [`${base}/deploy/buildpacks/add`, { url: "heroku/nodejs", index: "two" }, "the position is a whole number from 1 to 100"],
      [`${base}/deploy/buildpacks/remove`, { url: "--all" }, "a buildpack is owner/name"],
      // red-team #13: values that used to reach Dokku as options
      [`${base}/deploy/sync`, { remote: "-utouch@x:y" }, "a repository URL may not start with &#39;-&#39;"],
      [`${base}/deploy/buildpacks/add`, { url: "--index/2" }, "a buildpack may not start with &#39;-&#39;"],
      [`${base}/deploy/buildpacks/remove`, { url: "-x/y" }, "a buildpack may not start with &#39;-&#39;"],
      [`${base}/tls/enable`, { email: "--force@example.com" }, "an e-mail address may not start with &#39;-&#39;"],
    ];
    for (const [path, form, message] of cases) {
      const res = await post(path, form);
      expect(res.status, `${path} ${JSON.stringify(form)}`).toBe(400);
      const html = await res.text();
      expect(html).toContain(message);
      expect(html).not.toContain("ghp_secret"); // a refused URL's token is not echoed back
    }
    expect(ran()).toBe(before);
  });

  it("refuses bad query strings and names that cannot be apps", async () => {
    const before = ran();
    expect((await get(`${base}/logs?lines=7`)).status).toBe(400);
    expect((await get(`${base}/config/value?key=a-b`)).status).toBe(400);
    expect((await get("/hosts/demo/apps/Not_An_App/config")).status).toBe(400);
    expect((await post("/hosts/demo/apps/api/ps/explode", {})).status).toBe(400);
    expect(ran()).toBe(before);
  });

  it("opens the log stream and reveals values only for this origin", async () => {
    expect((await get(`${base}/logs/stream`, { origin: "https://evil.example" })).status).toBe(403);
    expect((await get(`${base}/config/value?key=GIT_REV`, { "sec-fetch-site": "cross-site" })).status).toBe(403);
    const ok = await get(`${base}/config/value?key=GIT_REV`, { "sec-fetch-site": "same-origin" });
    expect(ok.status).toBe(200);
    expect(await ok.text()).toContain("cd7b8afccb202f222e7dc7b427553e71ba5ddafd");
    expect((await get(`${base}/config/edit?key=GIT_REV`, { "sec-fetch-site": "cross-site" })).status).toBe(403);
    const edit = await get(`${base}/config/edit?key=GIT_REV`, { "sec-fetch-site": "same-origin" });
    expect(edit.status).toBe(200);
    expect(edit.headers.get("cache-control")).toBe("no-store");
    expect(await edit.text()).toMatch(/<textarea[^>]*name="value"[^>]*>\ncd7b8afccb202f222e7dc7b427553e71ba5ddafd<\/textarea>/);
    expect((await get(`${base}/config/edit?key=NOT_SET`, { "sec-fetch-site": "same-origin" })).status).toBe(404);
  });

  it("reads a pasted .env as dotenv does, shows what it will set, and sets exactly that", async () => {
    const pasted = 'export QUOTED="a b"\r\nSINGLE=\'$HOME stays\'\r\n# note\r\nMULTI="line one\r\nline two"\r\nESC="x\\ny" # trailing comment\r\n';
    const before = ran();
    const preview = await post(`${base}/config/bulk/preview`, { lines: pasted });
    expect(preview.status).toBe(200);
    expect(preview.headers.get("cache-control")).toBe("no-store");
    const html = await preview.text();
    expect(ran()).toBe(before); // nothing ran for the preview
    expect(html).toContain("4 variables will be set:");
    expect(html).toContain('<pre class="value">a b</pre>');
    expect(html).toContain('<pre class="value">$HOME stays</pre>');
    expect(html).toContain('<pre class="value">line one\nline two</pre>');
    expect(html).toContain('<pre class="value">x\ny</pre>');
    const set = await post(`${base}/config/bulk`, { lines: pasted, no_restart: "on" });
    expect(set.status).toBe(200);
    expect(await set.text()).toContain("Set 4 variables: QUOTED, SINGLE, MULTI, ESC");
    const value = async (key: string) =>
      (await (await get(`${base}/config/value?key=${key}`, { "sec-fetch-site": "same-origin" })).text()).replace(/<[^>]+>/g, "");
    expect(await value("QUOTED")).toBe("a b");
    expect(await value("MULTI")).toBe("line one\nline two");
    for (const key of ["QUOTED", "SINGLE", "MULTI", "ESC"]) await post(`${base}/config/unset`, { key, no_restart: "on" });
  });

  it("stores a plain form post's CRLF line breaks as LF", async () => {
    const set = await post(`${base}/config/set`, { key: "PEM_LIKE", value: "-----BEGIN-----\r\nabc\r\n-----END-----", no_restart: "on" });
    expect(set.status).toBe(200);
    const shown = await get(`${base}/config/value?key=PEM_LIKE`, { "sec-fetch-site": "same-origin" });
    expect(await shown.text()).toContain(">-----BEGIN-----\nabc\n-----END-----<");
    expect((await post(`${base}/config/unset`, { key: "PEM_LIKE", no_restart: "on" })).status).toBe(200);
  });

  it("refuses a mismatched destroy confirmation with what to type, streamed or not, without running anything", async () => {
    const res = await post(`${base}/destroy`, { confirm: "apx" });
    expect(res.status).toBe(400);
    expect(await res.text()).toContain("Type the app name, api, exactly to confirm; nothing was destroyed.");
    // as the page's form sends it (htmx asking for a stream)
    const streamed = await fetch(`${stack.url}${base}/destroy`, {
      method: "POST",
      headers: {
        cookie: stack.cookie,
        origin: stack.url,
        "content-type": "application/x-www-form-urlencoded",
        "hx-request": "true",
        accept: "text/html, text/event-stream",
      },
      body: new URLSearchParams({ confirm: "API" }),
    });
    expect(streamed.status).toBe(400);
    expect(await streamed.text()).toContain("exactly to confirm; nothing was destroyed");
    expect(historyOf(stack.relays.demo!.db).filter((e) => e.argv.includes("apps:destroy"))).toEqual([]);
    expect((await get(base)).status).toBe(200);
  });

  it("says when an action had nothing to do, and tells that from a note along the way", async () => {
    const idle = await post(`${base}/ps/start`, {});
    expect(idle.status).toBe(200);
    const idleHtml = await idle.text();
    expect(idleHtml).toContain("Nothing to do for api");
    expect(idleHtml).toContain("App api already running");
    expect((await post("/hosts/demo/apps/queue-worker/ps/start", {})).status).toBe(200);
    const stopped = await (await post("/hosts/demo/apps/queue-worker/ps/stop", {})).text();
    expect(stopped).toContain("Stopped queue-worker");
    const again = await (await post("/hosts/demo/apps/queue-worker/ps/start", {})).text();
    expect(again).toContain("Started queue-worker"); // "detected as not running, releasing" is a note, not a no-op
    expect(again).toContain("App has been detected as not running, releasing");
  });

  it("serves each tab as a bookmarkable page", async () => {
    for (const tab of ["", "/deploy", "/config", "/domains", "/tls", "/logs", "/history"]) {
      const res = await get(`${base}${tab}`);
      expect(res.status, tab).toBe(200);
      const html = await res.text();
      expect(html).toContain('aria-label="App sections"');
      // Every form htmx posts also posts without it (to the same place): were htmx not to load, a
      // form would otherwise be sent as a GET, its values (config values too) in the URL.
      const forms = [...html.matchAll(/<form\b[^>]*>/g)].map((m) => m[0]);
      expect(forms.length, tab).toBeGreaterThan(0);
      for (const form of forms.filter((f) => f.includes("hx-post="))) {
        const target = /hx-post="([^"]*)"/.exec(form)![1];
        expect(form, tab).toContain('method="post"');
        expect(form, tab).toContain(`action="${target}"`);
      }
    }
    // A page is streamed (its status is sent before the host answers): the failure is in the page.
    const missing = await get("/hosts/demo/apps/ghost");
    expect(missing.status).toBe(200);
    const said = await missing.text();
    expect(said).toContain("App ghost does not exist");
    expect(said).toContain('class="outcome outcome-error"');
    expect(said).not.toContain("Destroy ghost");
  });

  it("says plainly when the letsencrypt plugin is not installed, with the command that installs it", async () => {
    const file = join(stack.relays.demo!.sim.dir, "state.json");
    const saved = readFileSync(file, "utf8");
    const state = JSON.parse(saved) as { plugins: Record<string, unknown> };
    delete state.plugins.letsencrypt;
    writeFileSync(file, JSON.stringify(state));
    try {
      const res = await get("/hosts/demo/apps/blog.v2/tls");
      expect(res.status).toBe(200);
      const html = await res.text();
      expect(html).toContain("The letsencrypt plugin is not installed on this host.");
      expect(html).toContain("sudo dokku plugin:install https://github.com/dokku/dokku-letsencrypt.git");
      expect(html).not.toContain("/tls/enable");
    } finally {
      writeFileSync(file, saved);
    }
  });
});

describe("pages never wait on Dokku", () => {
  it("sends the app's name and tabs before its slow read ends and the section after it, with no script; a visit right after runs no command", async () => {
    const app = "/hosts/demo/apps/blog.v2";
    // a change drops the app's cached config, so the next visit must read it from the host
    expect((await post(`${app}/config/set`, { key: "STREAM_PROBE", value: "1", no_restart: "on" })).status).toBe(200);
    const sim = stack.relays.demo!.sim;
    // config:export waits at a gate the test opens: the frame must come while it waits (a state, not a time).
    sim.faults({ "config:export": { gate: "open-config-export" } });
    try {
      const reads = () => historyOf(stack.relays.demo!.db).filter((e) => e.argv.join(" ") === "dokku config:export blog.v2 --format json").length;
      const before = reads();
      const res = await get(`${app}/config`, { "accept-encoding": "gzip, deflate, br" }); // as a browser asks
      expect(res.status).toBe(200);
      const reader = res.body!.getReader();
      const decoder = new TextDecoder();
      // However the bytes are cut into chunks, read until the frame's heading is in.
      let first = "";
      while (!first.includes('<h1 class="app-name">blog.v2</h1>')) {
        const { value, done } = await reader.read();
        expect(done, first).toBe(false);
        first += decoder.decode(value, { stream: true });
      }
      // the frame came while config:export was still waiting (a read is recorded when it ends)
      expect(reads()).toBe(before);
      expect(first).toContain('aria-label="App sections"');
      expect(first).not.toContain('id="config-list"');
      writeFileSync(join(sim.dir, "open-config-export"), "");
      let rest = "";
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        rest += decoder.decode(value, { stream: true });
      }
      expect(reads()).toBe(before + 1);
      const page = first + rest;
      expect(page).toContain('data-key="STREAM_PROBE"');
      expect(page.indexOf('aria-label="App sections"')).toBeLessThan(page.indexOf('id="config-list"'));
      expect(page.trimEnd().endsWith("</html>")).toBe(true);
      expect(page).not.toMatch(/<script(?![^>]*\ssrc=)[^>]*>/);

      const ran = historyOf(stack.relays.demo!.db).length;
      const again = await get(`${app}/config`);
      expect(await again.text()).toContain('data-key="STREAM_PROBE"');
      expect(historyOf(stack.relays.demo!.db).length).toBe(ran);
    } finally {
      sim.faults({});
    }
  });
});
