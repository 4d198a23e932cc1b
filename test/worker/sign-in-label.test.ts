import { env, SELF } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { START_SCRIPT_AGENT } from "../../worker/guard/script-agent.js";
import { ORIGIN, sessionCookie } from "./helpers.js";

/**
 * The sign-in `npm start` makes to enrol its demo host (scripts/host.ts sends START_SCRIPT_AGENT)
 * is labelled in Account's sign-in list, so it is recognised. The label is all the agent gets: with
 * a wrong password it is refused like any other client.
 */
const login = (password: string, ua: string) =>
  SELF.fetch(`${ORIGIN}/login`, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded", origin: ORIGIN, "user-agent": ua },
    body: new URLSearchParams({ password }).toString(),
    redirect: "manual",
  });

describe("the start script's sign-in", () => {
  it("is labelled in the sign-in list; another agent's is shown as it came", async () => {
    const cookie = sessionCookie(await login(env.TEST_PASSWORD, START_SCRIPT_AGENT));
    await login(env.TEST_PASSWORD, "Mozilla/5.0 TestBrowser");
    const html = await (await SELF.fetch(`${ORIGIN}/account`, { headers: { cookie } })).text();
    expect(html).toContain("local start script, enrolling its demo host");
    expect(html.match(/class="start-script"/g)).toHaveLength(1);
    expect(html).toContain(`<td data-label="Browser">Mozilla/5.0 TestBrowser</td>`);
  });

  it("grants nothing: a wrong password with that agent is refused, and no session is set", async () => {
    const res = await login("not the password", START_SCRIPT_AGENT);
    expect(res.status).toBe(401);
    expect(res.headers.get("set-cookie") ?? "").not.toContain("docklight_session=");
  });
});
