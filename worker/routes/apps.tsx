import { Hono } from "hono";
import { z } from "zod";
import { appName, required } from "../../protocol/names.js";
import { AppCreated } from "../pages/apps.js";
import type { HostEnv } from "../types.js";
import { change } from "./answers.js";
import { valid } from "./input.js";

const createAppForm = z.object({ name: required("the app a name", appName) });

/** `POST /hosts/:host/apps`: `apps:create NAME` from the dashboard's form; the answer says how to deploy the new app. */
export const appsRoutes = new Hono<HostEnv>().post("/", valid("form", createAppForm), async (c) => {
  const { name } = c.req.valid("form");
  return change(c, "apps.create", { app: name }, (r) => <AppCreated host={c.var.host.id} app={name} result={r} />, {
    page: { title: `Created ${name}`, current: "dashboard" },
  });
});
