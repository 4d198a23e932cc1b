/**
 * What the simulated host keeps for an app's settings beyond the seed's (proxy and nginx, storage,
 * resources, docker options, network), in SimApp.settings; and the host's own docker networks.
 */
export interface SimAppSettings {
  /** proxy:disable (DOKKU_DISABLE_PROXY on 0.35, the `disabled` property on 0.38). */
  proxyDisabled?: boolean;
  /** proxy:set APP TYPE. */
  proxyType?: string;
  /** nginx:set properties of the app. */
  nginx?: Record<string, string>;
  /** storage:mount entries, `host-path:container-path[:options]`, in mount order. */
  mounts?: string[];
  /** Named storage entries mounted (storage:mount APP ENTRY --container-dir PATH, Dokku 0.38). */
  attachments?: Array<{ entry: string; containerPath: string; readonly: boolean }>;
  /** resource:limit / resource:reserve properties, `TYPE.KIND.RESOURCE` (`_default_.limit.memory`) → value. */
  resources?: Record<string, string>;
  /** docker-options per phase (build, deploy, run), each a list of option strings. */
  dockerOptions?: Record<string, string[]>;
  /** network:set properties of the app. */
  network?: Record<string, string>;
}

/** A named storage entry (storage:create, Dokku 0.38). */
export interface SimStorageEntry {
  hostPath: string;
  createdAt: number;
  /** storage:create --chown OWNER. */
  chown?: string;
}
