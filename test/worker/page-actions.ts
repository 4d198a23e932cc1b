/**
 * The actions a page offers, read from its HTML as a browser (and htmx) would submit them: every
 * form that posts (its `hx-post`, else its `action`) with the fields it would send, and every other
 * element with an `hx-post`. An empty field gets a value that fits it (its placeholder, else one by
 * its type or name), so that a submission reaches the op behind it rather than stopping at a 400.
 */
export interface PageAction {
  /** The URL path it posts to. */
  path: string;
  fields: Record<string, string>;
  /** Whether the form sends multipart/form-data. */
  multipart: boolean;
  /** How it looks in the page, for a failure message. */
  html: string;
}

const decode = (s: string) =>
  s
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&amp;/g, "&");

/** The attributes of one start tag's attribute text. */
function attrs(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const m of text.matchAll(/([a-zA-Z_:][-a-zA-Z0-9_:.]*)(?:\s*=\s*"([^"]*)")?/g)) out[m[1]!.toLowerCase()] = decode(m[2] ?? "");
  return out;
}

/** A value by field name, for an empty text field without a placeholder. */
const BY_NAME: Record<string, string> = {
  domain: "x.example.com",
  email: "a@example.com",
  key: "A",
  value: "1",
  name: "web",
  app: "web",
  confirm: "web",
  repo: "https://example.com/x.git",
  branch: "main",
  server: "ghcr.io",
  username: "u",
  password: "p",
  image: "nginx:1",
};

function fieldValue(a: Record<string, string>): string | null {
  const type = (a.type ?? "text").toLowerCase();
  if (type === "submit" || type === "button" || type === "file" || type === "reset" || type === "image") return null;
  if ((type === "checkbox" || type === "radio") && !("checked" in a)) return null;
  if (type === "checkbox" || type === "radio") return a.value || "on";
  if (a.value) return a.value;
  if (type === "number") return a.min || "1";
  if (type === "email") return "a@example.com";
  if (type === "url") return "https://example.com/x";
  if (type === "password") return "pw-123456789";
  // a placeholder is an example value ("e.g. 512m"), not an instruction ("all processes")
  if (a.placeholder && !/\s/.test(a.placeholder.replace(/^e\.g\.\s*/, ""))) return a.placeholder.replace(/^e\.g\.\s*/, "");
  return BY_NAME[a.name ?? ""] ?? "web";
}

/** The fields a form's inner HTML sends. */
function fieldsOf(inner: string): Record<string, string> {
  const fields: Record<string, string> = {};
  const set = (name: string | undefined, v: string | null) => {
    if (name && v !== null && !(name in fields)) fields[name] = v;
  };
  for (const m of inner.matchAll(/<input\b([^>]*)>/g)) {
    const a = attrs(m[1]!);
    set(a.name, fieldValue(a));
  }
  for (const m of inner.matchAll(/<select\b([^>]*)>([\s\S]*?)<\/select>/g)) {
    const options = [...m[2]!.matchAll(/<option\b([^>]*)>([\s\S]*?)<\/option>/g)].map((o) => ({ a: attrs(o[1]!), text: decode(o[2]!) }));
    const chosen = options.find((o) => "selected" in o.a) ?? options.find((o) => (o.a.value ?? o.text) !== "") ?? options[0];
    set(attrs(m[1]!).name, chosen ? (chosen.a.value ?? chosen.text) : null);
  }
  for (const m of inner.matchAll(/<textarea\b([^>]*)>([\s\S]*?)<\/textarea>/g)) {
    const a = attrs(m[1]!);
    set(a.name, decode(m[2]!) || a.placeholder || "A=1");
  }
  return fields;
}

/** Every action `html` offers that posts to a path under `/hosts/` (the sign-out form and the like left out). */
export function actionsIn(html: string): PageAction[] {
  const out: PageAction[] = [];
  const forms = [...html.matchAll(/<form\b([^>]*)>([\s\S]*?)<\/form>/g)];
  for (const m of forms) {
    const a = attrs(m[1]!);
    const posts = a["hx-post"] ?? ((a.method ?? "get").toLowerCase() === "post" ? a.action : undefined);
    if (posts) out.push({ path: posts, fields: fieldsOf(m[2]!), multipart: (a.enctype ?? "").includes("multipart"), html: m[0].slice(0, 300) });
  }
  // an element of its own that posts (a button with hx-post), outside those forms' start tags
  for (const m of html.matchAll(/<(?!form\b)([a-z]+)\b([^>]*\bhx-post="[^"]*"[^>]*)>/g)) {
    const a = attrs(m[2]!);
    out.push({ path: a["hx-post"]!, fields: a["hx-vals"] ? (JSON.parse(a["hx-vals"]) as Record<string, string>) : {}, multipart: false, html: m[0] });
  }
  return out.filter((x) => new URL(x.path, "https://x").pathname.startsWith("/hosts/"));
}
