import { Hono } from "hono";
import { z } from "zod";
import { appName, listedAppName, required } from "../../protocol/names.js";
import { Renamed } from "../pages/app/rename.js";
import type { HostEnv } from "../types.js";
import { change } from "./answers.js";
import { valid } from "./input.js";

const checkbox = z
  .literal("on")
  .optional()
  .transform((v) => v === "on");
const renameForm = z.object({ app: required("the app", listedAppName), new_name: required("a new name", appName), skip_deploy: checkbox });
const cloneForm = renameForm.extend({ app: required("the app", appName), ignore_existing: checkbox });

/**
 * `POST /hosts/:host/apps/rename` and `/clone`: host-level, so an app whose legacy name the app
 * pages cannot route ("CLI only" on the apps list) can be renamed to one they can. The answer
 * links the app under its new name.
 */
export const renameRoutes = new Hono<HostEnv>()
  .post("/rename", valid("form", renameForm), (c) => {
    const { app, new_name: newName, skip_deploy: skipDeploy } = c.req.valid("form");
    return change(
      c,
      "apps.rename",
      { app, newName, skipDeploy },
      (r) => <Renamed host={c.var.host.id} title={`Renamed ${app} to ${newName}`} app={newName} result={r} />,
      {
        page: { title: `Renamed ${app} to ${newName}`, current: "dashboard" },
      },
    );
  })
  .post("/clone", valid("form", cloneForm), (c) => {
    const { app, new_name: newName, skip_deploy: skipDeploy, ignore_existing: ignoreExisting } = c.req.valid("form");
    return change(
      c,
      "apps.clone",
      { app, newName, skipDeploy, ignoreExisting },
      (r) => <Renamed host={c.var.host.id} title={r.warning ? `${newName} already exists` : `Cloned ${app} to ${newName}`} app={newName} result={r} />,
      {
        page: { title: `Cloned ${app} to ${newName}`, current: "dashboard" },
      },
    );
  });
