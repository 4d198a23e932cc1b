import { Hono } from "hono";
import type { Child } from "hono/jsx";
import type { HostRef, HostStatus } from "../hub/outcome.js";
import { OutsideNote, ReleaseTable } from "../pages/app/releases.js";
import { Layout } from "../pages/layout.js";
import type { HostEnv } from "../types.js";
import { unlessFailed } from "./answers.js";
import { fromReads, streamPage } from "./stream-page.js";

function RecentReleasesPage({ host, hosts, children }: { host: HostStatus; hosts: HostRef[]; children?: Child }) {
  return (
    <Layout title={`Releases on ${host.name}`} host={host} hosts={hosts} current="releases">
      <h1>Recent releases on {host.name}</h1>
      {children}
    </Layout>
  );
}

/** `/hosts/:host/releases`: the newest releases of every app on the host (streamed). */
export const recentReleaseRoutes = new Hono<HostEnv>().get("/", (c) => {
  const { host } = c.var;
  const [status, recent] = [host.status(), host.run("releases.recent", {})];
  return streamPage(
    c,
    async (slot) => (
      <RecentReleasesPage host={await status} hosts={c.var.hosts}>
        {slot}
      </RecentReleasesPage>
    ),
    [
      fromReads([status, recent], (s, r) =>
        unlessFailed(c, r, (list) =>
          list.releases.length === 0 ? (
            <p>No release is recorded on this host yet: each deploy made through Docklight records one when it ends.</p>
          ) : (
            <>
              <OutsideNote seesOutside={list.seesOutside} />
              <ReleaseTable host={s.host} releases={list.releases} withApp />
            </>
          ),
        ),
      ),
    ],
    recent,
  );
});
