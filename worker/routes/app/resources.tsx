import { Hono } from "hono";
import { mayOf } from "../../pages/may.js";
import { z } from "zod";
import { cpuValue, memoryValue, resourceKind, resourceTarget, RESOURCES_TAKE_EFFECT } from "../../../protocol/ops/resources.js";
import { ResourceList } from "../../pages/app/resources.js";
import { Done } from "../../pages/app/shell.js";
import type { HostAppEnv } from "../../types.js";
import { change } from "../answers.js";
import { valid } from "../input.js";
import { historyHref } from "../scope.js";

/** An empty field is left out; an empty process type means all processes (`_default_`). */
const blank = <T extends z.ZodType<string, string>>(schema: T) =>
  z
    .string()
    .trim()
    .transform((s) => (s === "" ? undefined : s))
    .pipe(schema.optional());
const setForm = z
  .object({
    kind: resourceKind,
    process_type: z
      .string()
      .trim()
      .transform((s) => s || "_default_")
      .pipe(resourceTarget),
    cpu: blank(cpuValue),
    memory: blank(memoryValue),
  })
  .refine((f) => f.cpu !== undefined || f.memory !== undefined, { message: "give CPUs, memory or both", path: ["cpu"] });
const clearForm = z.object({ kind: resourceKind, process_type: resourceTarget });

const who = (t: string) => (t === "_default_" ? "all processes" : t);

/** An app's resource limits and reservations, `…/resources/…` (a section of the Settings tab). */
export const resourceRoutes = new Hono<HostAppEnv>()
  .get("/list", async (c) => {
    const { host, app } = c.var;
    return c.html(
      <ResourceList host={host.id} app={app} report={await host.run("resources.report", { app })} historyHref={historyHref(c)} may={mayOf(host)} />,
    );
  })
  .post("/set", valid("form", setForm), (c) => {
    const f = c.req.valid("form");
    const args = { app: c.var.app, kind: f.kind, processType: f.process_type, ...(f.cpu ? { cpu: f.cpu } : {}), ...(f.memory ? { memory: f.memory } : {}) };
    return change(c, "resources.set", args, (r) => (
      <Done title={`Set ${f.kind === "limit" ? "limits" : "reservations"} of ${who(f.process_type)}. ${RESOURCES_TAKE_EFFECT}`} result={r} />
    ));
  })
  .post("/clear", valid("form", clearForm), (c) => {
    const f = c.req.valid("form");
    return change(c, "resources.clear", { app: c.var.app, kind: f.kind, processType: f.process_type }, (r) => (
      <Done title={`Cleared ${f.kind === "limit" ? "limits" : "reservations"} of ${who(f.process_type)}. ${RESOURCES_TAKE_EFFECT}`} result={r} />
    ));
  });
