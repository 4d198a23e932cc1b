import type { z } from "zod";
import { ops, type OpName } from "../../protocol/ops.js";

/**
 * A schema-valid answer to any op, made from its declared result schema (so an op added later is
 * answered without anyone writing a fixture): for tests that render every page against a stand-in
 * relay and need each read to succeed, so that the page shows the forms its data calls for.
 *
 * `full`: every list holds one entry, every flag is true, every optional field is there; `empty`:
 * every list is empty, every flag false, every nullable null. A page shows some actions only in
 * one of them (Remove on a listed domain, Enable on a disabled proxy), so a test renders both.
 */
export type Shape = "full" | "empty";

/** Strings tried in order, the first a string schema accepts is used ("web": the app under test). */
const STRINGS = [
  "web",
  "x.example.com",
  "2026-01-01T00:00:00.000Z",
  "00000000-0000-4000-8000-000000000000",
  "a@example.com",
  "https://example.com/x",
  "1",
  "abc123",
  "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef",
  "postgres",
  "/var/lib/dokku/data/storage/web",
  "http:80:5000",
  "0.35.20",
  "x",
  "",
];
const NUMBERS = [1, 0, 1_700_000_000, 1_700_000_000_000];

interface Def {
  type: string;
  [k: string]: unknown;
}
const defOf = (s: z.ZodType): Def => (s as unknown as { _zod: { def: Def } })._zod.def;
const ok = (s: z.ZodType, v: unknown) => s.safeParse(v).success;

/** A value `schema` accepts, shaped by `shape`; throws naming `at` when none of the tries fit. */
function sample(schema: z.ZodType, shape: Shape, at: string): unknown {
  const d = defOf(schema);
  const pick = (tries: unknown[]) => {
    const v = tries.find((t) => ok(schema, t));
    if (v === undefined && !tries.some((t) => t === undefined && ok(schema, t))) throw new Error(`no sample fits ${at} (${d.type})`);
    return v;
  };
  switch (d.type) {
    case "string":
      return pick(STRINGS);
    case "number":
    case "int":
      return pick(NUMBERS);
    case "bigint":
      return pick([1n]);
    case "boolean":
      return shape === "full";
    case "null":
      return null;
    case "undefined":
    case "void":
      return undefined;
    case "any":
    case "unknown":
      return shape === "full" ? "x" : null;
    case "literal":
      return (d.values as unknown[])[0];
    case "enum":
      return pick(Object.values(d.entries as Record<string, unknown>));
    case "date":
      return new Date(0);
    case "optional":
      return shape === "full" ? sample(d.innerType as z.ZodType, shape, at) : undefined;
    case "nullable":
      return shape === "full" ? sample(d.innerType as z.ZodType, shape, at) : null;
    case "default":
    case "prefault":
    case "catch":
    case "readonly":
    case "nonoptional":
      return sample(d.innerType as z.ZodType, shape, at);
    case "pipe":
      return sample(d.in as z.ZodType, shape, at);
    case "lazy":
      return sample((d.getter as () => z.ZodType)(), shape, at);
    case "array": {
      const one = [sample(d.element as z.ZodType, shape, `${at}[]`)];
      return shape === "empty" && ok(schema, []) ? [] : one;
    }
    case "tuple":
      return (d.items as z.ZodType[]).map((s, i) => sample(s, shape, `${at}[${i}]`));
    case "record": {
      // a record keyed by an enum holds every key; else one key, or none when empty
      const keyDef = defOf(d.keyType as z.ZodType);
      const keys =
        keyDef.type === "enum" ? Object.values(keyDef.entries as Record<string, string>) : [sample(d.keyType as z.ZodType, "full", `${at} key`) as string];
      if (shape === "empty" && ok(schema, {})) return {};
      return Object.fromEntries(keys.map((k) => [k, sample(d.valueType as z.ZodType, shape, `${at}.${k}`)]));
    }
    case "object": {
      const out: Record<string, unknown> = {};
      for (const [k, s] of Object.entries(d.shape as Record<string, z.ZodType>)) {
        const v = sample(s, shape, `${at}.${k}`);
        if (v !== undefined) out[k] = v;
      }
      return out;
    }
    case "union": {
      const options = d.options as z.ZodType[];
      // `empty` prefers the last option (often the "none"/"disabled" one), `full` the first
      for (const o of shape === "full" ? options : [...options].reverse()) {
        try {
          return sample(o, shape, at);
        } catch {
          // the next option
        }
      }
      throw new Error(`no option of the union at ${at} could be sampled`);
    }
    case "intersection":
      return { ...(sample(d.left as z.ZodType, shape, at) as object), ...(sample(d.right as z.ZodType, shape, at) as object) };
    default:
      throw new Error(`cannot sample a ${d.type} at ${at}`);
  }
}

/**
 * A result of `op` its result schema accepts, shaped by `shape`; a sample the schema's refinements
 * refuse throws, naming the op (then the schema needs a value in STRINGS or NUMBERS that fits).
 */
export function sampleResult(op: OpName, shape: Shape): unknown {
  const schema = ops[op].result as z.ZodType;
  const v = sample(schema, shape, op);
  const parsed = schema.safeParse(v);
  if (!parsed.success) throw new Error(`the sample result of ${op} (${shape}) is refused: ${parsed.error.message}`);
  return v;
}
