import type { Child } from "hono/jsx";
import type { HostStatus } from "../hub/outcome.js";
import type { HostRef } from "../hub/outcome.js";
import { Layout, type HostSection } from "./layout.js";

export function ErrorPage({
  title,
  host,
  hosts,
  current,
  children,
}: {
  title: string;
  host?: HostStatus | null;
  hosts?: HostRef[];
  current?: HostSection;
  children: Child;
}) {
  return (
    <Layout title={title} host={host} hosts={hosts} current={current}>
      <h1>{title}</h1>
      {children}
    </Layout>
  );
}

/** Served instead of anything else while a required secret is missing or weak. */
export function NotConfiguredPage({ problems }: { problems: string[] }) {
  return (
    <Layout title="Not configured" signedIn={false}>
      <h1>Docklight is not configured</h1>
      <p>The edge refuses to serve until these are fixed (see the README, "Deploy the edge"):</p>
      <ul>
        {problems.map((p) => (
          <li>{p}</li>
        ))}
      </ul>
    </Layout>
  );
}

/** Any unexpected failure: no detail reaches the page (it is in the log). */
export function ServerErrorPage() {
  return (
    <Layout title="Something went wrong" signedIn={false}>
      <h1>Something went wrong</h1>
      <p>The edge could not answer this request. Try again; if it keeps happening, the Worker's log has the details.</p>
    </Layout>
  );
}
