import { SELF } from "cloudflare:test";
import { beforeAll, describe, expect, it } from "vitest";
import { loggedInCookie, ORIGIN } from "./helpers.js";

/**
 * Every form's required text field, left blank or filled with spaces only: refused (400) before
 * anything is sent, with exactly one message saying what to give, never also the field's format
 * rule (nor a wrong one, such as "may not start with '-'").
 */
let cookie: string;
beforeAll(async () => {
  cookie = await loggedInCookie();
});

const post = (path: string, form: Record<string, string>) =>
  SELF.fetch(`${ORIGIN}${path}`, {
    method: "POST",
    headers: { cookie, origin: ORIGIN, "content-type": "application/x-www-form-urlencoded", "hx-request": "true" },
    body: new URLSearchParams(form).toString(),
    redirect: "manual",
  });

/** The refusal's message lines (the `<pre class="message">` of BadInput). */
async function messages(res: Response): Promise<string[]> {
  const html = await res.text();
  const m = /<pre class="message">([\s\S]*?)<\/pre>/.exec(html);
  expect(m, html).not.toBeNull();
  const text = m![1]!
    .replace(/&#39;/g, "'")
    .replace(/&quot;/g, '"')
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&amp;/g, "&");
  return text.split("\n");
}

const app = "/hosts/demo/apps/api";
/** [path, the blank field, the other fields the form sends, the one message expected]. */
const FORMS: Array<[string, string, Record<string, string>, string]> = [
  ["/hosts", "name", {}, "name: give the host a name"],
  ["/hosts/demo/name", "name", {}, "name: give the host a name"],
  ["/hosts/demo/apps", "name", {}, "name: give the app a name"],
  [`${app}/domains/add`, "domain", {}, "domain: give a domain"],
  [`${app}/domains/remove`, "domain", {}, "domain: give a domain"],
  [`${app}/config/set`, "key", { value: "1" }, "key: give a key"],
  [`${app}/config/unset`, "key", {}, "key: give a key"],
  [`${app}/tls/enable`, "email", {}, "email: give an e-mail address"],
  [`${app}/deploy/sync`, "remote", {}, "remote: give a repository URL"],
  [`${app}/deploy/buildpacks/add`, "url", {}, "url: give a buildpack"],
  [`${app}/deploy/buildpacks/remove`, "url", {}, "url: give a buildpack"],
  ["/hosts/demo/databases", "service", { plugin: "postgres" }, "service: give the database a name"],
  ["/hosts/demo/databases/postgres/main-db/link", "app", {}, "app: give an app"],
];

describe("a required field left blank", () => {
  for (const [path, field, rest, expected] of FORMS) {
    it(`${path} (${field}) says once what to give`, async () => {
      for (const blank of ["", "   ", " \t "]) {
        const res = await post(path, { ...rest, [field]: blank });
        expect(res.status, `${path} ${JSON.stringify(blank)}`).toBe(400);
        expect(await messages(res), `${path} ${JSON.stringify(blank)}`).toEqual([expected]);
      }
    });
  }

  it("still says what is wrong with a filled field's form, once", async () => {
    const res = await post(`${app}/deploy/sync`, { remote: "-oProxyCommand=x" });
    expect(res.status).toBe(400);
    const said = await messages(res);
    expect(said[0]).toBe("remote: a repository URL may not start with '-'");
  });
});
