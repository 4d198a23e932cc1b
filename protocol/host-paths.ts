/**
 * Which host directories an app may have mounted (storage:mount, a named storage entry's path, a
 * docker option's `-v`). A bind mount gives the app's containers, whose processes often run as
 * root, that directory of the host: mounting `/`, a system directory, the docker socket or Dokku's
 * own folders hands the app the host. Paths are normalised first (`//etc`, `/srv/../etc`, a
 * trailing `/`), so a spelling cannot slip past the check; the edge's forms and the relay check the
 * same normalised text, and the relay runs the normalised text, never the typed one.
 */

/** Where `storage:ensure-directory` and `storage:create` make app directories (GetStorageDirectory in plugins/storage/storage.go of dokku/dokku). */
export const DOKKU_STORAGE_DIR = "/var/lib/dokku/data/storage";

/** System directories: whoever writes there (or reads /root, /proc) owns the host. */
const SYSTEM_DIRS = ["/etc", "/bin", "/sbin", "/usr", "/lib", "/lib32", "/lib64", "/libx32", "/boot", "/dev", "/proc", "/sys", "/root", "/run", "/var/run"];
/** Docker's and containerd's own state: every container's files and the engine's keys. */
const ENGINE_DIRS = ["/var/lib/docker", "/var/lib/containerd"];
/** Dokku's own folders: every app's config (secrets), ssh keys, certificates and data. */
const DOKKU_DIRS = ["/home/dokku", "/var/lib/dokku"];

/** A host path's characters: no ':' (Dokku splits `host:container[:options]` on it), no spaces or shell characters. */
export const HOST_PATH_CHARS = /^\/[A-Za-z0-9._/@+-]*$/;
/** A docker named volume as Dokku accepts one (VerifyPaths in plugins/storage/storage.go). */
export const VOLUME_NAME = /^[a-zA-Z0-9][a-zA-Z0-9_.-]+$/;

/** `/a//b/./c/../d/` → `/a/b/d`; `..` above the root stays at the root, as the kernel resolves it. */
export function normaliseHostPath(path: string): string {
  const out: string[] = [];
  for (const seg of path.split("/")) {
    if (seg === "" || seg === ".") continue;
    if (seg === "..") out.pop();
    else out.push(seg);
  }
  return `/${out.join("/")}`;
}

const within = (path: string, dir: string) => path === dir || path.startsWith(`${dir}/`);

/**
 * Why a normalised absolute host path may not be mounted into an app, or null when it may. Refused:
 * `/`; system directories, the engine's state and Dokku's own folders, anything under them, and any
 * directory that holds one of them (mounting `/var` reaches /var/lib/dokku); any `docker.sock`.
 * Under Dokku's folders only a directory of its storage folder may be mounted (one app's data).
 */
export function hostPathRefusal(path: string): string | null {
  if (path === "/") return "mounting / gives the app the whole host";
  if (path.split("/").at(-1) === "docker.sock") return "the docker socket lets the app start containers as root on the host";
  if (within(path, DOKKU_STORAGE_DIR) && path !== DOKKU_STORAGE_DIR) return null;
  for (const dir of DOKKU_DIRS) {
    if (within(path, dir)) return `${dir} is Dokku's own folder (every app's config, keys and data); mount a directory of ${DOKKU_STORAGE_DIR} instead`;
  }
  for (const dir of [...SYSTEM_DIRS, ...ENGINE_DIRS]) {
    if (within(path, dir)) return `${dir} is a system directory: an app that can write there can take over the host`;
  }
  for (const dir of [...SYSTEM_DIRS, ...ENGINE_DIRS, ...DOKKU_DIRS, DOKKU_STORAGE_DIR]) {
    if (dir.startsWith(`${path}/`)) return `${path} holds ${dir}: mounting it reaches there too`;
  }
  return null;
}
