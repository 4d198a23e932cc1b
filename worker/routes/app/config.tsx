import { Hono } from "hono";
import { IfMay, mayOf } from "../../pages/may.js";
import { z } from "zod";
import { envKey, required } from "../../../protocol/names.js";
import { OP_LIMITS } from "../../../protocol/ops.js";
import { BulkForm, BulkPreview, ConfigBody, ConfigEditor, ConfigList, RevealedValue, SetVarForm } from "../../pages/app/config.js";
import { Done } from "../../pages/app/shell.js";
import { requireSameOrigin } from "../../security.js";
import type { HostAppEnv } from "../../types.js";
import { change, failure, fragment, noStore } from "../answers.js";
import { refuse, valid } from "../input.js";
import { fromReads } from "../stream-page.js";
import { appPage, unlessFailed, type C } from "./kit.js";
import { parseEnvLines } from "./env-lines.js";

const checkbox = z.literal("on").optional();

/**
 * One variable, added or replaced. The value is any text (spaces, quotes, `$`, `=`, unicode).
 * A plain form post (no htmx) sends a textarea's line breaks as CRLF; they are stored as the LF
 * the user typed.
 */
const setVarForm = z.object({
  key: required("a key", envKey),
  value: z
    .string()
    .max(OP_LIMITS.configValueLength, "a config value is at most 32 KiB")
    .transform((v) => v.replace(/\r\n/g, "\n")),
  no_restart: checkbox,
});

const unsetVarForm = z.object({ key: required("a key", envKey), no_restart: checkbox });

const revealQuery = z.object({ key: envKey });

/** The paste box: the text read as dotenv reads it, or one issue per bad line ("line 3: …"). */
const pastedText = z.string().max(OP_LIMITS.configVars * (OP_LIMITS.configValueLength + 300), "the pasted text is too long");
const bulkVarsForm = z.object({
  lines: pastedText.transform((text, ctx) => {
    const { vars, problems } = parseEnvLines(text);
    for (const p of problems) {
      ctx.addIssue({ code: "custom", message: p.line > 0 ? `line ${p.line}: ${p.problem}` : p.problem, path: p.line > 0 ? ["lines", p.line] : ["lines"] });
    }
    return { text, vars };
  }),
  no_restart: checkbox,
});

const keysOf = (vars: Record<string, string>) => Object.keys(vars).sort();

/** Reads the variable named by `?key=`, or answers for it (host trouble, key gone). Never cached: a value is a secret. */
async function oneVar(c: C, key: string): Promise<{ key: string; value: string; index: number } | Response> {
  const config = await c.var.host.run("config.get", { app: c.var.app });
  if (config.kind !== "ok") return failure(c, config);
  if (!Object.hasOwn(config.result.vars, key)) return refuse(c, `${key} is not set (any more)`, 404);
  noStore(c);
  return { key, value: config.result.vars[key]!, index: keysOf(config.result.vars).indexOf(key) };
}

const restartNote = (noRestart: boolean) => (noRestart ? " (not restarted)" : "");

/** An app's Config tab, `…/config`: keys listed, values revealed one at a time, set/unset/paste. */
export const configRoutes = new Hono<HostAppEnv>()
  .get("/", (c) => {
    const { host, app } = c.var;
    const [status, config] = [host.status(), host.run("config.get", { app })];
    const body = fromReads([status, config], (s, vars) =>
      unlessFailed(c, vars, (r) => <ConfigBody host={s} app={app} keys={keysOf(r.vars)} may={mayOf(host)} />),
    );
    return appPage(c, "config", [body], status, config);
  })
  // nothing to one who may not set variables (the page offers them no form either)
  .get("/set-form", (c) =>
    c.html(
      <IfMay may={mayOf(c.var.host)} op="config.set" args={{ app: c.var.app }}>
        <SetVarForm host={c.var.host.id} app={c.var.app} />
      </IfMay>,
    ),
  )
  .get("/bulk-form", (c) =>
    c.html(
      <IfMay may={mayOf(c.var.host)} op="config.set" args={{ app: c.var.app }}>
        <BulkForm host={c.var.host.id} app={c.var.app} />
      </IfMay>,
    ),
  )
  .get("/list", (c) =>
    fragment(c, "config.get", { app: c.var.app }, (r) => <ConfigList host={c.var.host.id} app={c.var.app} keys={keysOf(r.vars)} may={mayOf(c.var.host)} />),
  )
  /** One value, as text. Same-origin only: a value is a secret. */
  .get("/value", requireSameOrigin, valid("query", revealQuery), async (c) => {
    const v = await oneVar(c, c.req.valid("query").key);
    return v instanceof Response ? v : c.html(<RevealedValue id={`val-${v.index}`} value={v.value} />);
  })
  /** One value in an edit form (so revealed too): same-origin only, never cached. */
  .get("/edit", requireSameOrigin, valid("query", revealQuery), async (c) => {
    const v = await oneVar(c, c.req.valid("query").key);
    return v instanceof Response ? v : c.html(<ConfigEditor host={c.var.host.id} app={c.var.app} name={v.key} value={v.value} />);
  })
  .post("/set", valid("form", setVarForm), (c) => {
    const { key, value, no_restart } = c.req.valid("form");
    const noRestart = no_restart === "on";
    return change(c, "config.set", { app: c.var.app, vars: { [key]: value }, noRestart }, (r) => (
      <Done title={`Set ${key}${restartNote(noRestart)}`} result={r} />
    ));
  })
  /** What a paste will set, before it is set: each key and its value as dotenv reads it, then one button to set them. */
  .post("/bulk/preview", valid("form", bulkVarsForm), (c) => {
    c.header("cache-control", "no-store");
    return c.html(<BulkPreview host={c.var.host.id} app={c.var.app} vars={c.req.valid("form").lines.vars} text={c.req.valid("form").lines.text} />);
  })
  .post("/bulk", valid("form", bulkVarsForm), (c) => {
    const { lines: pasted, no_restart } = c.req.valid("form");
    const lines = pasted.vars;
    const keys = Object.keys(lines);
    const noRestart = no_restart === "on";
    return change(c, "config.set", { app: c.var.app, vars: lines, noRestart }, (r) => (
      <Done title={`Set ${keys.length} variable${keys.length === 1 ? "" : "s"}: ${keys.join(", ")}${restartNote(noRestart)}`} result={r} />
    ));
  })
  .post("/unset", valid("form", unsetVarForm), (c) => {
    const { key, no_restart } = c.req.valid("form");
    const noRestart = no_restart === "on";
    return change(c, "config.unset", { app: c.var.app, keys: [key], noRestart }, (r) => <Done title={`Removed ${key}${restartNote(noRestart)}`} result={r} />);
  });
