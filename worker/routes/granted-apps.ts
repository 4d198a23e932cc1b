import type { AppSummary } from "../../protocol/ops.js";
import type { HostClient } from "../hub/client.js";
import type { Outcome } from "../hub/outcome.js";

/**
 * The apps a user sees on a host's dashboard, answered as `apps.list` and `domains.all` answer.
 * Who may read the host's whole list (an owner, an admin, a grant on the host: the policy says)
 * gets those two reads. A user granted only some apps gets each of those apps read alone
 * (`apps.detail`, a read of one app their grant covers), so a host-wide read the policy would
 * refuse is never attempted and never shown as an error. A granted app that cannot be read (gone
 * since) is listed as "status unknown", saying why.
 */
export function dashboardApps(host: HostClient): { apps: Promise<Outcome<"apps.list">>; domains: Promise<Outcome<"domains.all">> } {
  if (host.may("apps.list", {}).allowed) return { apps: host.run("apps.list", {}), domains: host.run("domains.all", {}) };
  const details = Promise.all(host.principal.grants.apps.map((app) => host.run("apps.detail", { app }).then((d) => [app, d] as const)));
  const apps = details.then((all): Outcome<"apps.list"> => {
    // The host's link state decides for the whole list: offline (or not answering) for every app is said once.
    const firstFailure = all.find(([, d]) => d.kind === "offline" || d.kind === "timeout" || d.kind === "unknown")?.[1];
    if (firstFailure && all.every(([, d]) => d.kind === firstFailure.kind)) return firstFailure as Outcome<"apps.list">;
    const asOf = Math.min(...all.map(([, d]) => (d.kind === "ok" && d.asOf !== undefined ? d.asOf : Infinity)));
    const rows: AppSummary[] = all.map(([app, d]) =>
      d.kind === "ok"
        ? { name: app, state: d.result.state, processes: d.result.processes, unknownReason: d.result.unknownReason }
        : { name: app, state: "unknown", processes: null, unknownReason: d.message },
    );
    return { kind: "ok", result: { apps: rows }, ...(Number.isFinite(asOf) ? { asOf } : {}) };
  });
  const domains = details.then((all): Outcome<"domains.all"> => ({
    kind: "ok",
    result: { domains: Object.fromEntries(all.flatMap(([app, d]) => (d.kind === "ok" ? [[app, d.result.domains.vhosts]] : []))) },
  }));
  return { apps, domains };
}
