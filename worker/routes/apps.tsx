import { Hono } from "hono";
import { z } from "zod";
import { appName, required } from "../../protocol/names.js";
import { AppCreated } from "../pages/apps.js";
import type { HostEnv } from "../types.js";
import { failure } from "./answers.js";
import { valid } from "./input.js";

const createAppForm = z.object({ name: required("the app a name", appName) });

/** `POST /hosts/:host/apps`: `apps:create NAME` from the dashboard's form; the answer says how to deploy the new app. */
export const appsRoutes = new Hono<HostEnv>().post("/", valid("form", createAppForm), async (c) => {
  const { name } = c.req.valid("form");
  const outcome = await c.var.host.run("apps.create", { app: name });
  if (outcome.kind !== "ok") return failure(c, outcome);
  return c.html(<AppCreated host={c.var.host.id} app={name} result={outcome.result} />);
});
