import { Hono } from "hono";
import { z } from "zod";
import { DOCKER_OPTIONS_TAKE_EFFECT, DockerOptionsList } from "../../pages/app/docker-options.js";
import { Done } from "../../pages/app/shell.js";
import type { HostAppEnv } from "../../types.js";
import { change } from "../answers.js";
import { validArgs } from "../input.js";
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
  .post(
    "/add",
    validArgs("docker-options.add", optionForm, (f, u) => ({ app: u.app, phases: f.phases, option: f.option, processType: f.process_type })),
    (c) => {
      const d = c.req.valid("form");
      return change(c, "docker-options.add", d, (r) => (
        <Done
          title={`Added ${d.option} to ${d.phases.join(" and ")}${d.processType ? ` of ${d.processType}` : ""}. ${DOCKER_OPTIONS_TAKE_EFFECT}`}
          result={r}
        />
      ));
    },
  )
  .post(
    "/remove",
    validArgs("docker-options.remove", optionForm, (f, u) => ({ app: u.app, phases: f.phases, option: f.option, processType: f.process_type })),
    (c) => {
      const d = c.req.valid("form");
      return change(c, "docker-options.remove", d, (r) => <Done title={`Removed ${d.option}. ${DOCKER_OPTIONS_TAKE_EFFECT}`} result={r} />);
    },
  )
  .post(
    "/clear",
    validArgs("docker-options.clear", clearForm, (f, u) => ({ app: u.app, phases: f.phases, processType: f.process_type })),
    (c) => {
      const d = c.req.valid("form");
      return change(c, "docker-options.clear", d, (r) => (
        <Done title={`Cleared the docker options of ${d.phases ? d.phases.join(" and ") : "every phase"}. ${DOCKER_OPTIONS_TAKE_EFFECT}`} result={r} />
      ));
    },
  );
