import { Hono, type Context } from "hono";
import { z } from "zod";
import { openChannel, sealChannel, channelForm } from "../alerts/channels.js";
import { noticeText, send } from "../alerts/send.js";
import { keyRing } from "../auth/keys.js";
import { AlertSettingsPage } from "../pages/alert-settings.js";
import { team } from "../team/client.js";
import { requireAction } from "../team/guard.js";
import type { AppEnv } from "../types.js";
import { alertSettingsUrl } from "../urls.js";
import { problems, valid } from "./input.js";

async function page(c: Context<AppEnv>, extra: { notice?: string; error?: string } = {}, status: 200 | 400 | 404 = 200) {
  c.header("cache-control", "no-store");
  return c.html(<AlertSettingsPage channels={await team(c.env).alertChannels()} {...extra} />, status);
}

const channelId = valid("param", z.object({ id: z.uuid() }));

/**
 * `/alerts`, the owner's: where alerts go (worker/alerts/channels.ts). Add a channel (its URL and
 * key sealed), send it a test (the answer said on the page, never the URL or key), remove it.
 */
export const alertSettingsRoutes = new Hono<AppEnv>()
  .use("/alerts", requireAction("alerts.manage"))
  .use("/alerts/*", requireAction("alerts.manage"))
  .get("/alerts", (c) => page(c))
  .post("/alerts", async (c) => {
    const form = channelForm(c.var.config.production).safeParse(await c.req.parseBody());
    if (!form.success) return page(c, { error: problems(form.error) }, 400);
    await team(c.env).addAlertChannel(await sealChannel(form.data, await keyRing(c.var.config, "alertChannel"), Date.now()));
    return c.redirect(alertSettingsUrl(), 303);
  })
  .post("/alerts/channels/:id/test", channelId, async (c) => {
    const record = (await team(c.env).alertChannels()).find((r) => r.id === c.req.valid("param").id);
    if (!record) return page(c, { error: "No such channel." }, 404);
    const channel = await openChannel(record, await keyRing(c.var.config, "alertChannel"));
    if (!channel) return page(c, { error: `${record.name} cannot be opened (the edge's SESSION_SECRET changed): remove it and add it again.` }, 400);
    const sent = await send(channel, noticeText("test", "test", "Docklight", null));
    return sent.ok
      ? page(c, { notice: `Test sent to ${record.name}.` })
      : page(c, { error: `The test to ${record.name} was not delivered after ${sent.attempts} attempt(s): ${sent.error}.` });
  })
  .post("/alerts/channels/:id/remove", channelId, async (c) => {
    await team(c.env).removeAlertChannel(c.req.valid("param").id);
    return c.redirect(alertSettingsUrl(), 303);
  });
