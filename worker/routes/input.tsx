import type { Context, Env, MiddlewareHandler } from "hono";
import { validator } from "hono/validator";
import type { z } from "zod";
import { ops, type OpArgs, type OpName } from "../../protocol/ops.js";
import { BadInput } from "../pages/app/shell.js";
import { ErrorPage } from "../pages/errors.js";

/**
 * What the edge accepts from the browser: zod schemas run by Hono validators, so a route reads
 * `c.req.valid("form")` (or "query", "param") and never sees input that did not parse. Anything
 * that does not parse is answered here, with a 400 naming what was wrong, before any op is sent.
 */

/** Zod's messages, one per line ("field: message"), bounded, for a 400 the user can act on. */
export function problems(error: z.ZodError): string {
  return error.issues
    .slice(0, 30)
    .map((i) => {
      // A pasted env block's issues say their own line ("line 3: …"), so no field name before them.
      const field = typeof i.path[0] === "string" && i.path[0] !== "lines" ? `${i.path[0]}: ` : "";
      const msg = i.message.length > 300 ? `${i.message.slice(0, 300)}…` : i.message;
      return `${field}${msg}`;
    })
    .join("\n");
}

/**
 * Refused input, said where the user acted: a fragment for htmx, a page for a plain request.
 * Nothing ran. `status` is 400 unless the input named something that is not there (404).
 */
export function refuse(c: Context, message: string, status: 400 | 403 | 404 | 413 = 400): Response | Promise<Response> {
  // A page or fragment that was only read changed nothing to begin with: it is not said.
  const change = c.req.method !== "GET" && c.req.method !== "HEAD";
  if (c.req.header("hx-request")) return c.html(<BadInput message={message} change={change} />, status);
  return c.html(
    <ErrorPage title="Not accepted">
      <BadInput message={message} change={change} />
    </ErrorPage>,
    status,
  );
}

type Target = "form" | "query" | "param";

/**
 * Each field as one string, as the schemas expect: a repeated field keeps its last value in a form
 * body and its first in a query string (as `parseBody()` and `query()` do); files are left out (and
 * so fail the schema).
 */
function strings(target: Target, value: Record<string, unknown>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(value)) {
    const one = Array.isArray(v) ? (target === "form" ? v.at(-1) : v[0]) : v;
    if (typeof one === "string") out[k] = one;
  }
  return out;
}

/**
 * A validator for one part of the request: `schema`'s output becomes `c.req.valid(target)`; input
 * that does not parse is refused (400) with zod's messages.
 */
export function valid<T extends Target, S extends z.ZodType, E extends Env = Env, P extends string = string>(
  target: T,
  schema: S,
): MiddlewareHandler<E, P, { in: { [K in T]: Record<string, string> }; out: { [K in T]: z.output<S> } }> {
  return validator(target, async (value, c) => {
    const parsed = schema.safeParse(strings(target, value as Record<string, unknown>));
    return parsed.success ? (parsed.data as z.output<S>) : refuse(c, problems(parsed.error));
  }) as MiddlewareHandler<E, P, { in: { [K in T]: Record<string, string> }; out: { [K in T]: z.output<S> } }>;
}

/** What an op's arguments take from the URL: the app a route is under ("" outside one) and its path parameters. */
export type UrlParts = { app: string; param(name: string): string };

/**
 * A form that becomes one op's arguments, checked once, before anything is signed: `form` parses the
 * fields, `toArgs` names them as the op does and adds what the URL gives (the app, the service: the
 * op's schema checks those again), and the op's own schema checks the whole (normalised as the relay
 * normalises: a storage path, a docker option). `c.req.valid("form")` is then the op's parsed
 * arguments, which parse again unchanged where the op is signed. Either schema failing is a 400
 * naming what was wrong (zod's messages; they never repeat a value, which may be a secret).
 */
export function validArgs<O extends OpName, S extends z.ZodType, E extends Env = Env, P extends string = string>(
  op: O,
  form: S,
  toArgs: (fields: z.output<S>, url: UrlParts) => Record<string, unknown>,
): MiddlewareHandler<E, P, { in: { form: Record<string, string> }; out: { form: OpArgs<O> } }> {
  return validator("form", async (value, c) => {
    const fields = form.safeParse(strings("form", value as Record<string, unknown>));
    if (!fields.success) return refuse(c, problems(fields.error));
    // a field a form left empty is absent, never undefined: the op schemas are strict
    const url: UrlParts = { app: (c.var as { app?: string }).app ?? "", param: (name) => c.req.param(name) ?? "" };
    const named = Object.fromEntries(Object.entries(toArgs(fields.data, url)).filter(([, v]) => v !== undefined));
    const args = ops[op].args.safeParse(named);
    return args.success ? (args.data as OpArgs<O>) : refuse(c, problems(args.error));
  }) as MiddlewareHandler<E, P, { in: { form: Record<string, string> }; out: { form: OpArgs<O> } }>;
}
