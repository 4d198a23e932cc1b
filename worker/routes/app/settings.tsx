import { Hono } from "hono";
import { mayOf } from "../../pages/may.js";
import { NetworkSection } from "../../pages/app/network.js";
import { ProxySection } from "../../pages/app/proxy.js";
import { ResourcesSection } from "../../pages/app/resources.js";
import { hasStorageEntries, StorageSection } from "../../pages/app/storage.js";
import { DockerOptionsSection } from "../../pages/app/docker-options.js";
import type { HostAppEnv } from "../../types.js";
import { historyHref } from "../scope.js";
import { fromReads } from "../stream-page.js";
import { appPage } from "./kit.js";

/**
 * An app's Settings tab, `…/settings`: the settings an operator changes beyond config and domains
 * (proxy and nginx, resources, network, storage, docker options). Every section's reads start at once; each section streams in when ready.
 */
export const settingsRoutes = new Hono<HostAppEnv>().get("/", (c) => {
  const { host, app } = c.var;
  const may = mayOf(host);
  const [status, proxy, nginx, resources, network, storage, dockerOptions] = [
    host.status(),
    host.run("proxy.report", { app }),
    host.run("nginx.report", { app }),
    host.run("resources.report", { app }),
    host.run("network.report", { app }),
    host.run("storage.list", { app }),
    host.run("docker-options.report", { app }),
  ];
  // named storage entries are read only where the host's Dokku has them (0.38.0+, or a version not known)
  const entries = status.then((s) => (hasStorageEntries(s.dokkuVersion) ? host.run("storage.entries", {}) : null));
  return appPage(
    c,
    "settings",
    [
      fromReads([status, proxy, nginx], (s, p, n) => (
        <ProxySection host={host.id} app={app} proxy={p} nginx={n} historyHref={historyHref(c)} dokkuVersion={s.dokkuVersion} may={may} />
      )),
      fromReads([resources], (r) => <ResourcesSection host={host.id} app={app} report={r} historyHref={historyHref(c)} may={may} />),
      fromReads([network], (r) => <NetworkSection host={host.id} app={app} report={r} historyHref={historyHref(c)} may={may} />),
      fromReads([status, storage, entries], (s, list, e) => (
        <StorageSection host={host.id} app={app} list={list} entries={e} dokkuVersion={s.dokkuVersion} historyHref={historyHref(c)} may={may} />
      )),
      fromReads([status, dockerOptions], (s, r) => (
        <DockerOptionsSection host={host.id} app={app} report={r} dokkuVersion={s.dokkuVersion} historyHref={historyHref(c)} may={may} />
      )),
    ],
    status,
    proxy,
  );
});
