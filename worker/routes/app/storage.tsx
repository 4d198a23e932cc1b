import { Hono } from "hono";
import { mayOf } from "../../pages/may.js";
import { z } from "zod";
import { chownOption } from "../../../protocol/ops/storage.js";
import { STORAGE_TAKES_EFFECT, StorageEntries, StorageMounts } from "../../pages/app/storage.js";
import { Done } from "../../pages/app/shell.js";
import type { HostAppEnv } from "../../types.js";
import { change } from "../answers.js";
import { validArgs } from "../input.js";
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
/** The mount a mount or unmount form names: the app, the host path or entry, and the container path. */
function mountOf(f: { host_path?: string | undefined; entry?: string | undefined; container_path?: string | undefined }, app: string) {
  return { app, hostPath: f.host_path, entry: f.entry, containerPath: f.container_path ?? "" };
}

const destroyForm = z.object({ name: z.string().trim().max(100), destroy_host_dir: box });

/**
 * An app's storage, `…/storage/…` (a section of the Settings tab). Every path is checked by the
 * op's own schema here (protocol/ops/storage.ts: normalised, then /, system directories, the docker
 * socket and Dokku's folders refused with why) before anything is signed; the relay checks again.
 */
export const storageRoutes = new Hono<HostAppEnv>()
  .get("/mounts", async (c) => {
    const { host, app } = c.var;
    return c.html(<StorageMounts host={host.id} app={app} list={await host.run("storage.list", { app })} historyHref={historyHref(c)} may={mayOf(host)} />);
  })
  .get("/entries", async (c) => {
    const { host, app } = c.var;
    return c.html(<StorageEntries host={host.id} app={app} entries={await host.run("storage.entries", {})} historyHref={historyHref(c)} may={mayOf(host)} />);
  })
  .post(
    "/mount",
    validArgs("storage.mount", mountForm, (f, u) => ({ ...mountOf(f, u.app), readonly: f.readonly || undefined })),
    (c) => {
      // the normalised path is what is signed and shown (the relay normalises the same way again)
      const d = c.req.valid("form");
      return change(c, "storage.mount", d, (r) => (
        <Done title={`Mounted ${d.hostPath ?? d.entry} at ${d.containerPath}. ${STORAGE_TAKES_EFFECT}`} result={r} />
      ));
    },
  )
  .post(
    "/unmount",
    validArgs("storage.unmount", unmountForm, (f, u) => ({ ...mountOf(f, u.app), options: f.options })),
    (c) => {
      const d = c.req.valid("form");
      return change(c, "storage.unmount", d, (r) => <Done title={`Unmounted ${d.containerPath}. ${STORAGE_TAKES_EFFECT}`} result={r} />);
    },
  )
  .post(
    "/directory",
    validArgs("storage.ensureDirectory", dirForm, (f) => f),
    (c) => {
      const d = c.req.valid("form");
      return change(c, "storage.ensureDirectory", d, (r) => <Done title={`Storage directory ${d.name} is ready to mount`} result={r} />);
    },
  )
  .post(
    "/create",
    validArgs("storage.create", createForm, (f) => ({ name: f.name, hostPath: f.host_path, chown: f.chown })),
    (c) => {
      const d = c.req.valid("form");
      return change(c, "storage.create", d, (r) => <Done title={`Created the storage entry ${d.name}`} result={r} />);
    },
  )
  .post(
    "/destroy",
    validArgs("storage.destroy", destroyForm, (f) => ({ name: f.name, destroyHostDir: f.destroy_host_dir })),
    (c) => {
      const d = c.req.valid("form");
      return change(c, "storage.destroy", d, (r) => (
        <Done title={`Destroyed the storage entry ${d.name}${d.destroyHostDir ? " and its directory" : ""}`} result={r} />
      ));
    },
  );
