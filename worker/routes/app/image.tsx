import { Hono } from "hono";
import { z } from "zod";
import { required } from "../../../protocol/names.js";
import { dockerImage, registryPassword, registryServer, registryUser } from "../../../protocol/ops/image.js";
import { ImageSection } from "../../pages/app/image.js";
import { mayOf } from "../../pages/may.js";
import { Done } from "../../pages/app/shell.js";
import type { HostAppEnv } from "../../types.js";
import { change } from "../answers.js";
import { valid } from "../input.js";
import type { C } from "./kit.js";

const deployForm = z.object({ image: required("an image", dockerImage) });
const loginForm = z.object({
  server: required("the registry", registryServer),
  username: required("the user", registryUser),
  // not trimmed: a password is taken as typed (its own schema refuses spaces at either end)
  password: registryPassword,
  global: z
    .literal("on")
    .optional()
    .transform((v) => v === "on"),
});

/** The Deploy tab's image section, after the host's version is known. */
export async function imageSection(c: C) {
  const s = await c.var.host.status();
  return <ImageSection host={c.var.host.id} app={c.var.app} dokkuVersion={s.dokkuVersion} may={mayOf(c.var.host)} />;
}

/** `…/image/deploy` (git:from-image, streamed) and `…/image/login` (registry:login, the app's or the host's). */
export const imageRoutes = new Hono<HostAppEnv>()
  .post("/deploy", valid("form", deployForm), (c) => {
    const { image } = c.req.valid("form");
    return change(c, "git.fromImage", { app: c.var.app, image }, (r) => <Done title={`Deployed ${c.var.app} from ${image}`} result={r} />);
  })
  .post("/login", valid("form", loginForm), (c) => {
    const { server, username, password, global } = c.req.valid("form");
    const done = (r: { output: string; warning?: string }) => (
      <Done title={global ? `The host is logged in to ${server}` : `${c.var.app} is logged in to ${server}`} result={r} />
    );
    return global
      ? change(c, "registry.loginGlobal", { server, username, password }, done)
      : change(c, "registry.login", { app: c.var.app, server, username, password }, done);
  });
