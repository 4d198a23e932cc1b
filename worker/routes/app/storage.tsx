import { Hono } from "hono";
import { z } from "zod";
import { ops, type OpArgs } from "../../../protocol/ops.js";
import { chownOption } from "../../../protocol/ops/storage.js";
import { STORAGE_TAKES_EFFECT, StorageEntries, StorageMounts } from "../../pages/app/storage.js";
import { Done } from "../../pages/app/shell.js";
import type { HostAppEnv } from "../../types.js";
import { change } from "../answers.js";
import { problems, refuse, valid } from "../input.js";
import { historyHref } from "../scope.js";

/** A field typed in a form: trimmed, left out when empty. */
const text = z
  .string()
  .trim()
  .max(1100)
  .optional()
  .transform((s) => (s ? s : undefined));
const box = z
  .literal("true")
  .optional()
  .transform((v) => v === "true");

const mountForm = z.object({ host_path: text, entry: text, container_path: text, readonly: box });
const unmountForm = z.object({ host_path: text, entry: text, container_path: text, options: text });
const dirForm = z.object({ name: z.string().trim().max(100), chown: chownOption });
const createForm = z.object({ name: z.string().trim().max(100), host_path: text, chown: chownOption });
const destroyForm = z.object({ name: z.string().trim().max(100), destroy_host_dir: box });

/** Drop the keys a form left empty (the op schemas are strict: an absent key, never an undefined one). */
const defined = <T extends Record<string, unknown>>(o: T) => Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;

/**
 * An app's storage, `…/storage/…` (a section of the Settings tab). Every path is checked by the
 * op's own schema here (protocol/ops/storage.ts: normalised, then /, system directories, the docker
 * socket and Dokku's folders refused with why) before anything is signed; the relay checks again.
 */
export const storageRoutes = new Hono<HostAppEnv>()
  .get("/mounts", async (c) => {
    const { host, app } = c.var;
    return c.html(<StorageMounts host={host.id} app={app} list={await host.run("storage.list", { app })} historyHref={historyHref(c)} />);
  })
  .get("/entries", async (c) => {
    const { host, app } = c.var;
    return c.html(<StorageEntries host={host.id} app={app} entries={await host.run("storage.entries", {})} historyHref={historyHref(c)} />);
  })
  .post("/mount", valid("form", mountForm), (c) => {
    const f = c.req.valid("form");
    const args = defined({ app: c.var.app, hostPath: f.host_path, entry: f.entry, containerPath: f.container_path ?? "", readonly: f.readonly || undefined });
    const parsed = ops["storage.mount"].args.safeParse(args);
    if (!parsed.success) return refuse(c, problems(parsed.error));
    const d = parsed.data;
    // the normalised path is what is signed and shown (the relay normalises the same way again)
    return change(c, "storage.mount", d as OpArgs<"storage.mount">, (r) => (
      <Done title={`Mounted ${d.hostPath ?? d.entry} at ${d.containerPath}. ${STORAGE_TAKES_EFFECT}`} result={r} />
    ));
  })
  .post("/unmount", valid("form", unmountForm), (c) => {
    const f = c.req.valid("form");
    const args = defined({ app: c.var.app, hostPath: f.host_path, entry: f.entry, containerPath: f.container_path ?? "", options: f.options });
    const parsed = ops["storage.unmount"].args.safeParse(args);
    if (!parsed.success) return refuse(c, problems(parsed.error));
    return change(c, "storage.unmount", args as OpArgs<"storage.unmount">, (r) => (
      <Done title={`Unmounted ${args.containerPath}. ${STORAGE_TAKES_EFFECT}`} result={r} />
    ));
  })
  .post("/directory", valid("form", dirForm), (c) => {
    const args = c.req.valid("form");
    const parsed = ops["storage.ensureDirectory"].args.safeParse(args);
    if (!parsed.success) return refuse(c, problems(parsed.error));
    return change(c, "storage.ensureDirectory", args, (r) => <Done title={`Storage directory ${args.name} is ready to mount`} result={r} />);
  })
  .post("/create", valid("form", createForm), (c) => {
    const f = c.req.valid("form");
    const args = defined({ name: f.name, hostPath: f.host_path, chown: f.chown });
    const parsed = ops["storage.create"].args.safeParse(args);
    if (!parsed.success) return refuse(c, problems(parsed.error));
    return change(c, "storage.create", args, (r) => <Done title={`Created the storage entry ${f.name}`} result={r} />);
  })
  .post("/destroy", valid("form", destroyForm), (c) => {
    const f = c.req.valid("form");
    const args = { name: f.name, destroyHostDir: f.destroy_host_dir };
    const parsed = ops["storage.destroy"].args.safeParse(args);
    if (!parsed.success) return refuse(c, problems(parsed.error));
    return change(c, "storage.destroy", args, (r) => (
      <Done title={`Destroyed the storage entry ${f.name}${f.destroy_host_dir ? " and its directory" : ""}`} result={r} />
    ));
  });
