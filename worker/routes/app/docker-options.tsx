import { Hono } from "hono";
import { z } from "zod";
import { ops, type OpArgs } from "../../../protocol/ops.js";
import { DOCKER_OPTIONS_TAKE_EFFECT, DockerOptionsList } from "../../pages/app/docker-options.js";
import { Done } from "../../pages/app/shell.js";
import type { HostAppEnv } from "../../types.js";
import { change } from "../answers.js";
import { problems, refuse, valid } from "../input.js";
import { historyHref } from "../scope.js";

/** `deploy,run` → ["deploy", "run"]; empty → undefined (all phases, for clear). */
const phaseList = z
  .string()
  .trim()
  .max(40)
  .transform((s) => (s === "" ? undefined : s.split(",")));
const processField = z
  .string()
  .trim()
  .max(100)
  .optional()
  .transform((s) => (s ? s : undefined));

const optionForm = z.object({ option: z.string().trim().max(600), phases: phaseList, process_type: processField });
const clearForm = z.object({ phases: phaseList, process_type: processField });

/** Drop the keys a form left empty (the op schemas are strict). */
const defined = <T extends Record<string, unknown>>(o: T) => Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;

/**
 * An app's docker options, `…/docker-options/…` (a section of the Settings tab). An option is held
 * to the op's own schema here (protocol/docker-options.ts: shape, no shell characters, a known
 * flag) before anything is signed; whether an isolation-breaking one may run is the relay's setting,
 * and its refusal says why.
 */
export const dockerOptionsRoutes = new Hono<HostAppEnv>()
  .get("/list", async (c) => {
    const { host, app } = c.var;
    return c.html(<DockerOptionsList host={host.id} app={app} report={await host.run("docker-options.report", { app })} historyHref={historyHref(c)} />);
  })
  .post("/add", valid("form", optionForm), (c) => {
    const f = c.req.valid("form");
    const args = defined({ app: c.var.app, phases: f.phases, option: f.option, processType: f.process_type });
    const parsed = ops["docker-options.add"].args.safeParse(args);
    if (!parsed.success) return refuse(c, problems(parsed.error));
    return change(c, "docker-options.add", args as OpArgs<"docker-options.add">, (r) => (
      <Done
        title={`Added ${f.option} to ${(f.phases ?? []).join(" and ")}${f.process_type ? ` of ${f.process_type}` : ""}. ${DOCKER_OPTIONS_TAKE_EFFECT}`}
        result={r}
      />
    ));
  })
  .post("/remove", valid("form", optionForm), (c) => {
    const f = c.req.valid("form");
    const args = defined({ app: c.var.app, phases: f.phases, option: f.option, processType: f.process_type });
    const parsed = ops["docker-options.remove"].args.safeParse(args);
    if (!parsed.success) return refuse(c, problems(parsed.error));
    return change(c, "docker-options.remove", args as OpArgs<"docker-options.remove">, (r) => (
      <Done title={`Removed ${f.option}. ${DOCKER_OPTIONS_TAKE_EFFECT}`} result={r} />
    ));
  })
  .post("/clear", valid("form", clearForm), (c) => {
    const f = c.req.valid("form");
    const args = defined({ app: c.var.app, phases: f.phases, processType: f.process_type });
    const parsed = ops["docker-options.clear"].args.safeParse(args);
    if (!parsed.success) return refuse(c, problems(parsed.error));
    return change(c, "docker-options.clear", args as OpArgs<"docker-options.clear">, (r) => (
      <Done title={`Cleared the docker options of ${f.phases ? f.phases.join(" and ") : "every phase"}. ${DOCKER_OPTIONS_TAKE_EFFECT}`} result={r} />
    ));
  });
